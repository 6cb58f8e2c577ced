import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { computeReturnMetrics } from './compute-metrics.ts'
import { formatMetric, METRIC_LABELS, metricValue } from './metric-labels.ts'
import { wave100 } from './test-vectors.ts'

describe('metric labels', () => {
  it('label every metric exactly once', () => {
    const m = computeReturnMetrics(wave100(), { periodsPerYear: 252 })
    const keys = METRIC_LABELS.map((l) => l.key)
    assert.equal(new Set(keys).size, keys.length)
    const expected = [
      ...Object.keys(m).filter((k) => k !== 'trades'),
      ...Object.keys(m.trades)
        .filter((k) => !['basis', 'wins', 'losses'].includes(k))
        .map((k) => `trades.${k}`),
    ].sort()
    assert.deepEqual([...keys].sort(), expected)
    for (const l of METRIC_LABELS) assert.equal(typeof metricValue(m, l.key), 'number', l.key)
  })
  it('formats percentages, tiny percentages, counts, ratios and non-finite values', () => {
    assert.equal(formatMetric(0.123456, 'pct'), '12.35%')
    assert.equal(formatMetric(-0.000123, 'pct'), '-0.012%')
    assert.equal(formatMetric(0, 'pct'), '0.00%')
    assert.equal(formatMetric(12500, 'count'), '12,500')
    assert.equal(formatMetric(1.23456, 'ratio'), '1.235')
    assert.equal(formatMetric(NaN, 'ratio'), 'n/a')
    assert.equal(formatMetric(Infinity, 'count'), '∞')
  })
})
