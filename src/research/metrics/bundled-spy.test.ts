// Real data: daily close-to-close returns of the bundled SPY_1d.csv (1998-01-02 … 2021-03-31, Apache-2.0, see
// data/bundled/SOURCES.md), with reference values from numpy 2.4 / scipy 1.17 on the same returns.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { computeReturnMetrics } from './compute-metrics.ts'
import { assertClose } from './test-vectors.ts'

function spyDailyReturns(): Float64Array {
  const lines = readFileSync(new URL('../../../data/bundled/SPY_1d.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
  const header = lines[0]!.split(',')
  const c = header.indexOf('close')
  const closes = lines.slice(1).map((l) => Number(l.split(',')[c]))
  return Float64Array.from({ length: closes.length - 1 }, (_, i) => closes[i + 1]! / closes[i]! - 1)
}

describe('metrics on the bundled SPY daily closes', () => {
  it('match numpy and scipy to 1e-12', () => {
    const r = spyDailyReturns()
    assert.equal(r.length, 5848)
    const m = computeReturnMetrics(r, { periodsPerYear: 252 })
    assertClose(m.annualReturn, 0.062360621848790876, 1e-12, 'annual return')
    assertClose(m.annualVolatility, 0.19538089157811084, 1e-12, 'volatility')
    assertClose(m.sharpeRatio, 0.4075013332979803, 1e-12, 'sharpe')
    assertClose(m.skew, -0.14754136904043022, 1e-12, 'skew')
    assertClose(m.kurtosis, 8.977915112727768, 1e-12, 'excess kurtosis')
    assertClose(m.var99, -0.03430368653520932, 1e-15, 'var99')
    assertClose(m.cvar95, -0.029530374467944633, 1e-15, 'cvar95')
    assertClose(m.stability, 0.6575765643052198, 1e-12, 'stability')
    assertClose(m.maxDrawdown, -0.5645140664961641, 1e-12, 'max drawdown (2007-2009)')
  })
})
