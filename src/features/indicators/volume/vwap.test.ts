import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { Vwap, utcDaySession, vwap, vwapDef } from './vwap.ts'
import { close, loadBundled } from '../test-data.ts'

const H = 3_600_000
const t0 = Date.parse('2024-03-01T22:00:00Z')

describe('vwap', () => {
  it('restarts at each UTC day and weights the typical price by volume', () => {
    const time = Float64Array.from([t0, t0 + H, t0 + 2 * H, t0 + 3 * H])
    // typical prices: 10, 13, 20, 30 (the third bar opens at 00:00 UTC: a new session)
    const high = Float64Array.from([11, 14, 21, 31])
    const low = Float64Array.from([9, 12, 19, 29])
    const c = Float64Array.from([10, 13, 20, 30])
    const v = Float64Array.from([100, 300, 50, 150])
    const out = vwap(high, low, c, v, time)
    assert.deepEqual(Array.from(out), [10, (10 * 100 + 13 * 300) / 400, 20, (20 * 50 + 30 * 150) / 200])
  })

  it('anchors sessions at an offset or with a session function', () => {
    const time = Float64Array.from([t0, t0 + H, t0 + 2 * H])
    const p = Float64Array.from([10, 20, 30])
    const v = Float64Array.from([1, 1, 1])
    // sessions start at 23:00 UTC: bar 0 (22:00) is in the old session, bars 1 and 2 in the new one
    assert.deepEqual(Array.from(vwap(p, p, p, v, time, utcDaySession(23 * 60))), [10, 20, 25])
    assert.deepEqual(
      Array.from(vwapDef.compute({ high: p, low: p, close: p, volume: v, time }, [23 * 60])[0]!),
      [10, 20, 25],
    )
    // one session for everything
    assert.deepEqual(Array.from(vwap(p, p, p, v, time, () => 0)), [10, 15, 20])
  })

  it('is NaN while the session has no volume yet, then ignores zero-volume bars', () => {
    const time = Float64Array.from([t0, t0 + 1, t0 + 2, t0 + 3])
    const p = Float64Array.from([10, 20, 30, 40])
    const v = Float64Array.from([0, 2, 0, 2])
    const out = vwap(p, p, p, v, time)
    assert.ok(Number.isNaN(out[0]!))
    assert.deepEqual(Array.from(out).slice(1), [20, 20, 30])
  })

  it('rejects bars whose time goes back or is NaN', () => {
    const p = Float64Array.from([1, 1])
    assert.throws(() => vwap(p, p, p, p, Float64Array.from([t0, t0 - 1])), {
      code: 'DATA_BAD_ROW',
      message: `vwap: bar 1 time ${t0 - 1} is before the previous bar's ${t0}`,
    })
    assert.throws(() => vwap(p, p, p, p, Float64Array.from([t0, NaN])), /vwap: bar 1 time is NaN/)
  })

  it('matches technicalindicators VWAP within one session of real minute data', () => {
    const { VWAP } = createRequire(import.meta.url)('technicalindicators') as {
      VWAP: { calculate(i: Record<string, number[]>): number[] }
    }
    const d = loadBundled('SPY_1m')
    const day = utcDaySession()
    let end = 1
    while (end < d.length && day(d.time[end]!) === day(d.time[0]!)) end++
    assert.ok(end > 100, 'the first session has enough bars')
    const ours = vwap(d.high, d.low, d.close, d.volume, d.time)
    const ref = VWAP.calculate({
      high: Array.from(d.high.subarray(0, end)),
      low: Array.from(d.low.subarray(0, end)),
      close: Array.from(d.close.subarray(0, end)),
      volume: Array.from(d.volume.subarray(0, end)),
    })
    assert.equal(ref.length, end)
    for (let i = 0; i < end; i++) assert.ok(close(ours[i]!, ref[i]!), `bar ${i}: ${ours[i]} vs ${ref[i]}`)
    // and the streaming twin resets at the next session like the batch kernel
    const s = new Vwap()
    for (let i = 0; i < Math.min(d.length, end + 50); i++) {
      const got = s.update({
        high: d.high[i]!,
        low: d.low[i]!,
        close: d.close[i]!,
        volume: d.volume[i]!,
        time: d.time[i]!,
      })
      assert.ok(close(got!, ours[i]!))
    }
  })
})
