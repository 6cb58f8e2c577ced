import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import type { PerformanceInput } from '../types.ts'
import { computeMetrics, computeReturnMetrics } from './compute-metrics.ts'
import { sharpeRatio } from './empyrical.ts'
import { assertClose, WAVE100, wave100 } from './test-vectors.ts'

function equityFrom(returns: ArrayLike<number>, start = 100_000): PerformanceInput['equity'] {
  const n = returns.length + 1
  const time = new Float64Array(n)
  const value = new Float64Array(n)
  value[0] = start
  for (let i = 0; i < n; i++) time[i] = Date.UTC(2024, 0, 2) + i * 86_400_000
  for (let i = 1; i < n; i++) value[i] = value[i - 1]! * (1 + returns[i - 1]!)
  return { time, value }
}

describe('computeMetrics', () => {
  it('gives the reference values of every return metric for the wave series', () => {
    const m = computeReturnMetrics(wave100(), { periodsPerYear: 252 })
    assert.equal(m.periods, 100)
    assertClose(m.totalReturn, WAVE100.total, 1e-15, 'total')
    assertClose(m.annualReturn, WAVE100.annualReturn252, 1e-14, 'annual')
    assertClose(m.sharpeRatio, WAVE100.sharpe252, 1e-12, 'sharpe')
    assertClose(m.sharpePerPeriod, WAVE100.sharpePerPeriod, 1e-14, 'sr/period')
    assertClose(m.maxDrawdown, WAVE100.maxDrawdown, 1e-15, 'mdd')
    assertClose(m.skew, WAVE100.skew, 1e-12, 'skew')
    assertClose(m.kurtosis, WAVE100.kurtosis, 1e-12, 'kurtosis')
    assertClose(m.var95, WAVE100.pct[2][1], 1e-15, 'var95')
    assertClose(m.cvarCornishFisher95, WAVE100.cfcvar95, 1e-13, 'cf cvar95')
    assertClose(m.probabilisticSharpeRatio, WAVE100.psr, 1e-13, 'psr')
    assert.equal(m.deflatedSharpeRatio, m.probabilisticSharpeRatio)
    assert.equal(m.minTrackRecordLength, Infinity, 'a losing series never proves skill')
    assert.equal(m.trades.basis, 'periods')
  })
  it('computes the same returns from an equity curve, and trade, turnover and exposure figures', () => {
    const r = wave100()
    const equity = equityFrom(r)
    const exposure = { time: equity.time, value: Float64Array.from(equity.time, (_, i) => (i % 4 === 0 ? 0 : 0.5)) }
    const trades = [
      {
        instrumentId: 'SPY',
        side: 'LONG' as const,
        entryTime: 0,
        exitTime: 1,
        entryPrice: 100,
        exitPrice: 110,
        quantity: 1000,
        pnl: 9_990,
        returnPct: 0.0999,
        fees: 10,
      },
    ]
    const m = computeMetrics({ equity, trades, exposure, periodsPerYear: 252 })
    assertClose(m.sharpeRatio, WAVE100.sharpe252, 1e-11, 'sharpe from equity')
    assertClose(m.maxDrawdown, WAVE100.maxDrawdown, 1e-12, 'mdd from equity')
    assert.equal(m.trades.basis, 'trades')
    assert.equal(m.trades.count, 1)
    let meanEq = 0
    for (const v of equity.value) meanEq += v / equity.value.length
    assertClose(m.turnover, 210_000 / 2 / meanEq / (100 / 252), 1e-12, 'turnover')
    assertClose(m.exposure, (75 * 0.5) / 101, 1e-15, 'exposure')
    assertClose(m.timeInMarket, 75 / 101, 1e-15, 'time in market')
  })
  it('names the index of a NaN return instead of computing around it', () => {
    assert.throws(
      () => computeReturnMetrics([0.01, NaN, 0.02], { periodsPerYear: 252 }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && e.message === 'returns[1]: expected a finite return, got NaN',
    )
  })
  it('rejects periods per year ≤ 0 and an equity curve that reaches zero', () => {
    assert.throws(
      () => computeReturnMetrics([0.01, 0.02], { periodsPerYear: 0 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    const equity = { time: new Float64Array([1, 2, 3]), value: new Float64Array([100, 0, 50]) }
    assert.throws(
      () => computeMetrics({ equity, periodsPerYear: 252 }),
      (e) => isKestrelError(e, 'STATE_INVALID') && /equity\.value\[1\]/.test(e.message),
    )
  })
  it('requires the trials’ Sharpe variance for a deflated Sharpe over several trials', () => {
    assert.throws(
      () => computeReturnMetrics(wave100(), { periodsPerYear: 252, trials: 20 }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /trialSharpeVariance/.test(e.message),
    )
    const m = computeReturnMetrics(wave100(), { periodsPerYear: 252, trials: 20, trialSharpeVariance: 0.01 })
    assert.ok(m.expectedMaxSharpe > 0 && m.deflatedSharpeRatio < m.probabilisticSharpeRatio)
  })
  it('gives NaN, not a number, for an empty or one-return series', () => {
    const e = computeReturnMetrics([], { periodsPerYear: 252 })
    assert.ok([e.totalReturn, e.sharpeRatio, e.maxDrawdown, e.var95, e.probabilisticSharpeRatio].every(Number.isNaN))
    const one = computeReturnMetrics([0.01], { periodsPerYear: 252 })
    assert.ok(Number.isNaN(one.sharpeRatio) && Number.isNaN(one.annualVolatility))
    assertClose(one.totalReturn, 0.01, 1e-15)
  })
  it('keeps Sharpe invariant to scaling returns by a positive constant when rf = 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -20_000, max: 20_000 }).map((x) => x / 100_000),
          { minLength: 3, maxLength: 200 },
        ),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (xs, k) => {
          const base = sharpeRatio(xs, 252)
          fc.pre(Number.isFinite(base) && Math.abs(base) < 1e6)
          const scaled = sharpeRatio(
            xs.map((x) => x * k),
            252,
          )
          assert.ok(Math.abs(scaled - base) <= 1e-9 * Math.max(1, Math.abs(base)), `${base} vs ${scaled}`)
        },
      ),
      { seed: 11, numRuns: 300 },
    )
  })
})
