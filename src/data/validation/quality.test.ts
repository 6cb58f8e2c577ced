import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getCalendar } from '../calendars/index.ts'
import { qualityScore, seriesQuality } from './quality.ts'

const MIN = 60_000
const at = (iso: string) => Date.parse(iso)

describe('quality score', () => {
  it('is coverage × (1 − quarantine rate) × (1 − gap share)', () => {
    // 90 rows + 10 missing in 4 runs, 5 of 95 rows seen quarantined: 0.9 × (1 − 5/95) × (1 − 4/100)
    const q = qualityScore({ rows: 90, missing: 10, gaps: 4, quarantined: 5, rowsSeen: 95 })
    assert.equal(q.coverage, 0.9)
    assert.equal(q.quarantineRate, 5 / 95)
    assert.equal(q.score, Math.round(0.9 * (90 / 95) * 0.96 * 1e4) / 1e4)
    assert.equal(q.score, 0.8185)
    assert.equal(qualityScore({ rows: 10, missing: 0, gaps: 0, quarantined: 0 }).score, 1)
    assert.equal(qualityScore({ rows: 0, missing: 0, gaps: 0, quarantined: 0 }).score, 0)
  })

  it('scores one stretch of missing bars above the same number missing in several places', () => {
    const cal = getCalendar('NYSE')
    const day = (mins: number[]) => Float64Array.from(mins, (m) => at('2020-03-02T14:30:00Z') + m * MIN)
    const one = seriesQuality(day([0, 1, 2, 5, 6, 7, 8, 9]), MIN, cal, { quarantined: 0 })
    const two = seriesQuality(day([0, 1, 3, 4, 6, 7, 8, 9]), MIN, cal, { quarantined: 0 })
    assert.deepEqual([one.missing, one.gaps, two.missing, two.gaps], [2, 1, 2, 2])
    assert.equal(one.score, 0.72) // 0.8 × 0.9
    assert.equal(two.score, 0.64) // 0.8 × 0.8
  })
})
