import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { loadBundled } from '../common/bundled.ts'
import { ewmaVol } from '../volatility/index.ts'
import { logReturns } from '../price-action/index.ts'
import { averageUniqueness, concurrency, fixedHorizonLabels, returnAttributionWeights, tripleBarrier } from './index.ts'

const f = (xs: number[]) => Float64Array.from(xs)

describe('triple barrier', () => {
  const close = f([100, 101, 102, 99, 97, 103])
  const vol = f([0.015, 0.015, 0.015, 0.015, 0.015, 0.015])
  it('labels the first horizontal barrier touched on a hand-built path and records t1', () => {
    const r = tripleBarrier(close, vol, { maxHold: 3 })
    assert.deepEqual([...r.label.subarray(0, 5)], [1, -1, -1, -1, 1])
    assert.deepEqual([...r.t1.subarray(0, 5)], [2, 3, 3, 4, 5])
    assert.deepEqual([...r.barrier.subarray(0, 5)], [1, -1, -1, -1, 1])
    assert.equal(r.ret[0], Math.log(1.02))
    assert.ok(Number.isNaN(r.label[5]!) && Number.isNaN(r.t1[5]!), 'the last event is unresolved')
  })
  it('uses the vertical barrier when no horizontal one is hit', () => {
    const c = f([100, 100.5, 100.4, 100.6, 90])
    const v = f([0.05, 0.05, 0.05, 0.05, 0.05])
    const r = tripleBarrier(c, v, { maxHold: 3 })
    assert.deepEqual([r.label[0], r.t1[0], r.barrier[0]], [1, 3, 0])
    assert.deepEqual([r.label[1], r.t1[1], r.barrier[1]], [-1, 4, -1])
    assert.equal(tripleBarrier(c, v, { maxHold: 3, verticalLabel: 'zero' }).label[0], 0)
  })
  it('scales the barriers with the multipliers and disables a barrier at 0', () => {
    const r = tripleBarrier(close, vol, { maxHold: 3, profitTake: 2 }, [0])
    // 2σ = 3%: 102 (+1.98%) no longer reaches it; the stop at 99 (-1%) is not -1.5% either → vertical at 3
    assert.deepEqual([r.label[0], r.t1[0], r.barrier[0]], [-1, 3, 0])
    const noStop = tripleBarrier(close, vol, { maxHold: 3, stopLoss: 0 }, [1])
    assert.deepEqual([noStop.label[0], noStop.t1[0], noStop.barrier[0]], [-1, 4, 0])
  })
  it('turns into meta-labels with a side: 1 when the side was right, 0 when not', () => {
    const long = tripleBarrier(close, vol, { maxHold: 3 }, [0, 1], f([1, 1, 1, 1, 1, 1]))
    const short = tripleBarrier(close, vol, { maxHold: 3 }, [0, 1], f([-1, -1, -1, -1, -1, -1]))
    assert.deepEqual([...long.label], [1, 0])
    assert.deepEqual([...short.label], [0, 1])
    assert.equal(short.barrier[0], -1, 'short at 100 stops out when price rises 2%')
  })
  it('gives t1 >= the event bar for every resolved label on BTC-USD_1m', () => {
    const s = loadBundled('BTC-USD_1m')
    const v = ewmaVol(logReturns(s.close, 1))
    const r = tripleBarrier(s.close, v, { maxHold: 30, profitTake: 2, stopLoss: 2 })
    let resolved = 0
    for (let e = 0; e < r.events.length; e++) {
      if (Number.isNaN(r.t1[e]!)) continue
      resolved++
      assert.ok(r.t1[e]! > r.events[e]! && r.t1[e]! <= r.events[e]! + 30)
    }
    assert.ok(resolved > s.close.length - 40)
  })
  it('rejects an event outside the series', () => {
    assert.throws(
      () => tripleBarrier(close, vol, { maxHold: 2 }, [9]),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /events\[0\]/.test(e.message),
    )
  })
})

describe('fixed-horizon labels', () => {
  it('labels sign(ln(C_{t+h}/C_t)) beyond the threshold with t1 = t + h', () => {
    const r = fixedHorizonLabels(f([100, 101, 100.05, 99]), { horizon: 2, threshold: 0.001 })
    assert.deepEqual([r.label[0], r.label[1]], [0, -1])
    assert.deepEqual([r.t1[0], r.t1[1]], [2, 3])
    assert.ok(Number.isNaN(r.label[2]!) && Number.isNaN(r.t1[3]!))
  })
})

describe('AFML sample weights', () => {
  const t0 = [0, 1, 2]
  const t1 = [2, 3, 3]
  it('counts concurrent labels per bar', () => {
    assert.deepEqual([...concurrency(6, t0, t1)], [1, 2, 3, 2, 0, 0])
  })
  it('averages 1/c over each label span', () => {
    const u = averageUniqueness(6, t0, t1)
    assert.ok(Math.abs(u[0]! - (1 + 1 / 2 + 1 / 3) / 3) < 1e-15)
    assert.ok(Math.abs(u[1]! - (1 / 2 + 1 / 3 + 1 / 2) / 3) < 1e-15)
    assert.ok(Math.abs(u[2]! - (1 / 3 + 1 / 2) / 2) < 1e-15)
  })
  it('attributes returns by concurrency and normalises the weights to the label count', () => {
    const close = f([100, 101, 102, 99, 97, 103])
    const w = returnAttributionWeights(close, t0, t1)
    const r = (t: number) => Math.log(close[t]! / close[t - 1]!)
    const raw = [Math.abs(r(1) / 2 + r(2) / 3), Math.abs(r(1) / 2 + r(2) / 3 + r(3) / 2), Math.abs(r(2) / 3 + r(3) / 2)]
    const sum = raw.reduce((a, b) => a + b)
    raw.forEach((x, i) => assert.ok(Math.abs(w[i]! - (x * 3) / sum) < 1e-12))
  })
  it('rejects t1 before t0', () => {
    assert.throws(
      () => concurrency(5, [3], [1]),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
