import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { makeInstrument, makeSignal, type Signal, type SignalInput } from '../../core/index.ts'
import { optimalF, optimalFUnits } from '../sizing/index.ts'
import {
  CONSTRUCTION_MODELS,
  covariance,
  diversificationRatio,
  maxDiversification,
  netSignals,
  toTarget,
  type ConstructionState,
} from './models.ts'

const ids = ['A', 'B', 'C', 'D']
const insts = new Map(ids.map((s) => [s, makeInstrument({ symbol: s, venue: 'X', assetClass: 'equity' })]))
const sig = (input: SignalInput, source = 'alpha'): Signal => makeSignal(input, source, 0)

/** A state with prices 10, 20, 40, 80, no positions, and returns given per instrument. */
function state(returns: Record<string, number[]> = {}, equity = 100_000): ConstructionState {
  const price: Record<string, number> = { 'A.X': 10, 'B.X': 20, 'C.X': 40, 'D.X': 80 }
  return {
    time: 0,
    equity,
    instrument: (id) => insts.get(id.split('.')[0]!)!,
    price: (id) => price[id]!,
    quantity: () => 0,
    returns: (id, n) => Float64Array.from((returns[id] ?? []).slice(-n)),
  }
}

describe('netSignals', () => {
  it('nets sources per instrument by sign × strength × confidence', () => {
    const n = netSignals([
      sig({ instrumentId: 'A.X', direction: 'LONG', confidence: 0.75 }, 's1'),
      sig({ instrumentId: 'A.X', direction: 'SHORT', confidence: 0.25 }, 's2'),
      sig({ instrumentId: 'B.X', direction: 'SHORT', strength: 0.5, magnitude: 0.02, stopDistance: 3 }),
      sig({ instrumentId: 'C.X', direction: 'LONG' }, 's1'),
      sig({ instrumentId: 'C.X', direction: 'SHORT' }, 's2'),
    ])
    assert.deepEqual(
      n.map((x) => [x.instrumentId, x.sign, x.conviction]),
      [
        ['A.X', 1, 0.25],
        ['B.X', -1, 0.5],
        ['C.X', 0, 0],
      ],
    )
    assert.equal(n[1]!.magnitude, -0.02)
    assert.equal(n[1]!.stopDistance, 3)
  })
})

describe('construction models', () => {
  it('equal weight: ±1/N of equity less the cash buffer, rounded toward zero to the lot', () => {
    const t = CONSTRUCTION_MODELS['equal-weight']({ cashBuffer: 0 }).createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG' }),
        sig({ instrumentId: 'B.X', direction: 'SHORT' }),
        sig({ instrumentId: 'C.X', direction: 'FLAT' }),
      ],
      state(),
    )
    assert.deepEqual(
      t.map((x) => [x.instrumentId, x.quantity]),
      [
        ['A.X', 5000],
        ['B.X', -2500],
        ['C.X', 0],
      ],
    )
  })

  it('confidence weighted: weights are the convictions, scaled down only when they sum past gross', () => {
    const m = CONSTRUCTION_MODELS['confidence-weighted']({ cashBuffer: 0 })
    const small = m.createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG', confidence: 0.2 }),
        sig({ instrumentId: 'B.X', direction: 'LONG', confidence: 0.3 }),
      ],
      state(),
    )
    assert.deepEqual(
      small.map((x) => x.weight),
      [0.2, 0.3],
    )
    const big = m.createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG', confidence: 0.75 }),
        sig({ instrumentId: 'B.X', direction: 'SHORT', confidence: 0.5 }),
      ],
      state(),
    )
    assert.deepEqual(
      big.map((x) => x.weight),
      [0.6, -0.4],
    )
  })

  it('toTarget never rounds away from zero and honours the lot size', () => {
    const lot = makeInstrument({ symbol: 'L', venue: 'X', assetClass: 'crypto', lotSize: 0.001, tickSize: 0.01 })
    const st: ConstructionState = { ...state(), instrument: () => lot, price: () => 30_000 }
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (w) => {
        const q = toTarget('L.X', w, st).quantity
        return (
          Math.abs(q * 30_000) <= Math.abs(w) * 100_000 + 1e-6 &&
          Math.abs(q * 30_000) > Math.abs(w) * 100_000 - 30.000001
        )
      }),
    )
  })

  it('risk models fall back to equal weight until three returns are known, then weigh by risk', () => {
    const sigs = [sig({ instrumentId: 'A.X', direction: 'LONG' }), sig({ instrumentId: 'B.X', direction: 'LONG' })]
    const m = CONSTRUCTION_MODELS['risk-parity']({ cashBuffer: 0 })
    assert.deepEqual(
      m.createTargets(sigs, state({ 'A.X': [0.01], 'B.X': [0.02] })).map((t) => t.weight),
      [0.5, 0.5],
    )
    // B moves exactly twice as much as A (correlation 1): equal risk gives A twice B's weight.
    const ra = [0.01, -0.02, 0.015, -0.005, 0.01]
    const w = m.createTargets(sigs, state({ 'A.X': ra, 'B.X': ra.map((x) => 2 * x) })).map((t) => t.weight!)
    assert.ok(Math.abs(w[0]! - 2 / 3) < 1e-9 && Math.abs(w[1]! - 1 / 3) < 1e-9, `${w}`)
  })

  it('maximum diversification: √N for N uncorrelated assets of equal volatility', () => {
    for (const n of [2, 3, 5, 8]) {
      const cov = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0.04 : 0)))
      const w = maxDiversification(cov)
      w.forEach((x) => assert.ok(Math.abs(x - 1 / n) < 1e-12))
      assert.ok(Math.abs(diversificationRatio(w, cov) - Math.sqrt(n)) < 1e-12)
    }
  })

  it('maximum diversification beats equal weights and every random long-only portfolio on its ratio', () => {
    const rs: Record<string, number[]> = {}
    let seed = 7
    const u = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5
    const common = Array.from({ length: 200 }, u)
    ids.forEach((s, k) => (rs[`${s}.X`] = common.map((c) => (k + 1) * 0.01 * (c * (k / 4) + u()))))
    const cov = covariance(
      ids.map((s) => `${s}.X`),
      state(rs),
      200,
    )!
    const best = diversificationRatio(maxDiversification(cov), cov)
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), (raw) => {
        const s = raw.reduce((a, b) => a + b, 0)
        return (
          diversificationRatio(
            raw.map((x) => x / s),
            cov,
          ) <=
          best + 1e-9
        )
      }),
    )
  })

  it('mean-variance uses the magnitudes as expected returns; Black-Litterman tilts toward the view', () => {
    const ra = [0.01, -0.02, 0.015, -0.005, 0.01, 0.003]
    const rb = [-0.01, 0.012, 0.004, -0.008, 0.002, 0.006]
    const st = state({ 'A.X': ra, 'B.X': rb })
    const mv = CONSTRUCTION_MODELS['mean-variance']({ allowShort: false, cashBuffer: 0 }).createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG', magnitude: 0.05 }),
        sig({ instrumentId: 'B.X', direction: 'LONG', magnitude: 0.001 }),
      ],
      st,
    )
    assert.ok(mv[0]!.weight! > mv[1]!.weight!)
    assert.ok(Math.abs(mv[0]!.weight! + mv[1]!.weight! - 1) < 1e-9)
    const bl = CONSTRUCTION_MODELS['black-litterman']({ cashBuffer: 0 })
    const tiltA = bl.createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG', magnitude: 0.03 }),
        sig({ instrumentId: 'B.X', direction: 'LONG' }),
      ],
      st,
    )
    const tiltB = bl.createTargets(
      [
        sig({ instrumentId: 'A.X', direction: 'LONG' }),
        sig({ instrumentId: 'B.X', direction: 'LONG', magnitude: 0.03 }),
      ],
      st,
    )
    assert.ok(tiltA[0]!.weight! > tiltB[0]!.weight!)
  })

  it('a turnover limit moves only part of the way', () => {
    const t = CONSTRUCTION_MODELS['equal-weight']({ maxTurnover: 0.1, cashBuffer: 0 }).createTargets(
      [sig({ instrumentId: 'A.X', direction: 'LONG' })],
      state(),
    )
    // From 0 to 100 % is a one-way turnover of 0.5: a 0.1 limit goes a fifth of the way.
    assert.equal(t[0]!.quantity, 2000)
  })

  it('stop-risk sizing risks the fraction of equity over the stop distance', () => {
    const t = CONSTRUCTION_MODELS['equal-weight']({
      cashBuffer: 0,
      sizing: [{ kind: 'stop-risk', riskFraction: 0.01 }],
    }).createTargets([sig({ instrumentId: 'B.X', direction: 'LONG', stopDistance: 2 })], state())
    // 1 % of 100,000 = 1,000 at risk over a 2-point stop: 500 shares.
    assert.equal(t[0]!.quantity, 500)
  })
})

describe('optimal f', () => {
  it("gives Vince's example f ≈ 0.24 with TWR ≈ 1.096", () => {
    const r = optimalF([9, 18, 7, 1, 10, -5, -3, -17, -7])
    assert.ok(Math.abs(r.f - 0.2367) < 5e-4, `${r.f}`)
    assert.ok(Math.abs(r.twr - 1.0957) < 5e-4, `${r.twr}`)
    assert.equal(r.largestLoss, -17)
    // 10,000 of equity, one unit per 17 / 0.2367 ≈ 71.8 of it.
    assert.equal(optimalFUnits(10_000, r), Math.floor(10_000 / (17 / r.f)))
  })

  it('refuses trades without a loss or with negative expectancy', () => {
    assert.throws(() => optimalF([1, 2, 3]), /losing trade/)
    assert.throws(() => optimalF([1, -5]), /expectancy/)
  })
})
