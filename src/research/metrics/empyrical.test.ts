// Expected values are the literals of quantopian/empyrical tests/test_stats.py (test vectors in test-vectors.ts).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  downsideRisk,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  stabilityOfTimeseries,
  tailRatio,
} from './empyrical.ts'
import {
  assertClose,
  DF_ONE,
  DF_TWO,
  MIXED8,
  MIXED9,
  NEGATIVE,
  POSITIVE,
  WAVE100,
  wave100,
  WEEKLY,
} from './test-vectors.ts'

describe('empyrical ratios match empyrical test_stats.py', () => {
  it('annual_return: mixed daily, weekly, monthly', () => {
    assertClose(annualReturn(MIXED9, 252), 1.9135925373194231, 1e-12, 'daily')
    assertClose(annualReturn(WEEKLY, 52), 0.24690830513998208, 1e-12, 'weekly')
    assertClose(annualReturn(WEEKLY, 12), 0.052242061386048144, 1e-12, 'monthly')
    assertClose(annualReturn([], 252), NaN)
  })
  it('annual_volatility: flat line, mixed daily, weekly, monthly', () => {
    assertClose(annualVolatility(new Float64Array(1000).fill(0.01), 252), 0, 1e-12, 'flat')
    assertClose(annualVolatility(MIXED8, 252), 0.9136465399704637, 1e-12, 'daily')
    assertClose(annualVolatility(WEEKLY, 52), 0.38851569394870583, 1e-12, 'weekly')
    assertClose(annualVolatility(WEEKLY, 12), 0.18663690238892558, 1e-12, 'monthly')
  })
  it('calmar_ratio: mixed daily, weekly, monthly; NaN without a drawdown', () => {
    assertClose(calmarRatio(MIXED9, 252), 19.135925373194233, 1e-12, 'daily')
    assertClose(calmarRatio(WEEKLY, 52), 2.4690830513998208, 1e-12, 'weekly')
    assertClose(calmarRatio(WEEKLY, 12), 0.52242061386048144, 1e-12, 'monthly')
    assertClose(calmarRatio([0.01], 252), NaN)
    assertClose(calmarRatio([], 252), NaN)
  })
  it('omega_ratio: the regression table', () => {
    assertClose(omegaRatio(MIXED8, 0, 10), 0.83354263497557934, 1e-12, 'req 10')
    assertClose(omegaRatio(MIXED8, 0, -10), NaN)
    assertClose(omegaRatio(MIXED8, 0.01, 0), 0.8125, 1e-12, 'rf flat 1%')
    assertClose(omegaRatio(POSITIVE, 0.01, 0), NaN)
    assertClose(omegaRatio(POSITIVE, 0.011, 0), 1.125, 1e-12, 'rf 1.1%')
    assertClose(omegaRatio(POSITIVE, 0.02, 0), 0, 1e-12, 'rf 2%')
    assertClose(omegaRatio(NEGATIVE, 0.01, 0), 0, 1e-12, 'negative')
    assertClose(omegaRatio([0.01], 0, 0), NaN)
  })
  it('sharpe_ratio: mixed, positive, negative; NaN for one return or constant returns', () => {
    assertClose(sharpeRatio(MIXED8, 252), 1.7238613961706866, 1e-12, 'mixed')
    assertClose(sharpeRatio(POSITIVE, 252), 52.915026221291804, 1e-11, 'positive')
    assertClose(sharpeRatio(NEGATIVE, 252), -24.406808633910085, 1e-12, 'negative')
    assertClose(sharpeRatio([0.01], 252), NaN)
    assertClose(sharpeRatio(new Float64Array(10).fill(0.01), 252), NaN)
  })
  it('downside_risk: mixed, weekly, monthly at required returns 0 and 0.1, and the two-column frame', () => {
    assertClose(downsideRisk([0.01], 252), 0, 1e-12, 'one')
    assertClose(downsideRisk(MIXED8, 252, 0), 0.60448325038829653, 1e-12, 'mixed 0')
    assertClose(downsideRisk(MIXED8, 252, 0.1), 1.7161730681956295, 1e-12, 'mixed .1')
    assertClose(downsideRisk(WEEKLY, 52, 0), 0.25888650451930134, 1e-12, 'weekly 0')
    assertClose(downsideRisk(WEEKLY, 52, 0.1), 0.7733045971672482, 1e-12, 'weekly .1')
    assertClose(downsideRisk(WEEKLY, 12, 0), 0.1243650540411842, 1e-12, 'monthly 0')
    assertClose(downsideRisk(WEEKLY, 12, 0.1), 0.37148351242013422, 1e-12, 'monthly .1')
    assertClose(downsideRisk(DF_ONE, 252), 0.20671788246185202, 1e-12, 'df one')
    assertClose(downsideRisk(DF_TWO, 252), 0.083495680595704475, 1e-12, 'df two')
    assertClose(downsideRisk(DF_ONE, 52), 0.093902996054410062, 1e-12, 'df one weekly')
    assertClose(downsideRisk(DF_TWO, 12), 0.018220251263412916, 1e-12, 'df two monthly')
  })
  it('sortino_ratio: the regression table, including inf when nothing is below the required return', () => {
    assertClose(sortinoRatio(MIXED8, 252, 0), 2.605531251673693, 1e-12, 'mixed')
    assertClose(sortinoRatio(MIXED8, 252, 0.01), -1.3934779588919977, 1e-12, 'mixed vs 1%')
    assertClose(sortinoRatio(POSITIVE, 252), Infinity)
    assertClose(sortinoRatio(NEGATIVE, 252), -13.532743075043401, 1e-12, 'negative')
    assertClose(
      sortinoRatio(
        [0, 1, 0, 1, 0, 1, 0, 1, 0].map((x) => x / 100),
        252,
      ),
      Infinity,
    )
    // empyrical >= 0.5 (annualised downside risk at the same period; older releases mixed in 252)
    assertClose(sortinoRatio(WEEKLY, 52), 1.1158901056866439, 1e-12, 'weekly')
    assertClose(sortinoRatio(WEEKLY, 12), 0.53605626741889756, 1e-12, 'monthly')
    assertClose(sortinoRatio(DF_ONE, 252), 3.0639640966566306, 1e-12, 'df one')
    assertClose(sortinoRatio(DF_TWO, 252), 38.090963117002495, 1e-11, 'df two')
    assertClose(sortinoRatio(DF_ONE, 52), 1.3918264112070571, 1e-12, 'df one weekly')
    assertClose(sortinoRatio(DF_TWO, 52), 17.303077589064618, 1e-11, 'df two weekly')
    assertClose(sortinoRatio([0.01], 252), NaN)
  })
  it('stability_of_timeseries: mixed and a flat line', () => {
    assertClose(stabilityOfTimeseries(MIXED8), 0.1529973665111273, 1e-12, 'mixed')
    assertClose(stabilityOfTimeseries(new Float64Array(1000).fill(0.01)), 1, 1e-12, 'flat')
    assertClose(stabilityOfTimeseries([0.01]), NaN)
    assertClose(stabilityOfTimeseries(wave100()), WAVE100.stability, 1e-12, 'wave (scipy linregress)')
  })
  it('tail_ratio: numpy percentiles (empyrical tests it to one decimal: 0.947 for mixed)', () => {
    assertClose(tailRatio(MIXED8), 0.9556962025316452, 1e-12, 'mixed (numpy)')
    assertClose(tailRatio([0.01]), 1, 1e-15)
    assertClose(tailRatio(wave100()), WAVE100.tail, 1e-12, 'wave')
    assertClose(tailRatio([]), NaN)
  })
  it('rejects a non-positive number of periods per year with PARAM_INVALID', () => {
    for (const ppy of [0, -252, NaN]) {
      assert.throws(
        () => sharpeRatio(MIXED8, ppy),
        (e) => isKestrelError(e, 'PARAM_INVALID') && /periodsPerYear/.test(e.message),
      )
    }
  })
})
