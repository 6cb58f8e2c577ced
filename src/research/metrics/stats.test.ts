import { describe, it } from 'node:test'
import { excessKurtosis, mean, percentile, skewness, std, variance } from '../../core/index.ts'
import { correlationWithIndex } from './stats.ts'
import { assertClose, WAVE100, wave100 } from './test-vectors.ts'

describe('descriptive statistics (numpy / scipy semantics)', () => {
  const r = wave100()
  it('matches numpy std with ddof 1 and 0', () => {
    assertClose(std(r, 1), WAVE100.std1, 1e-15, 'std ddof=1')
    assertClose(std(r, 0), WAVE100.std0, 1e-15, 'std ddof=0')
  })
  it('matches numpy percentile (linear) at every reference q', () => {
    for (const [q, v] of WAVE100.pct) assertClose(percentile(r, q), v, 1e-15, `p${q}`)
  })
  it("matches scipy's biased skew and Fisher excess kurtosis", () => {
    assertClose(skewness(r), WAVE100.skew, 1e-12, 'skew')
    assertClose(excessKurtosis(r), WAVE100.kurtosis, 1e-12, 'kurtosis')
  })
  it('gives NaN rather than a number when there is too little data', () => {
    assertClose(mean([]), NaN)
    assertClose(variance([0.1], 1), NaN)
    assertClose(percentile([], 50), NaN)
    assertClose(correlationWithIndex([1]), NaN)
  })
  it('correlates a straight line with time perfectly', () => {
    assertClose(correlationWithIndex([3, 5, 7, 9]), 1, 1e-15)
    assertClose(correlationWithIndex([3, 1, -1]), -1, 1e-15)
  })
})
