import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { getCalendar, type TradingCalendar } from '../calendars/index.ts'
import { findGaps, type GapRun } from './gaps.ts'

/** The obvious definition: every expected open in every session between the first and last bar, missing or not. */
function bruteForce(times: number[], tf: number, cal: TradingCalendar): GapRun[] {
  const have = new Set(times)
  const first = Math.min(...times)
  const last = Math.max(...times)
  const runs: { from: number; count: number; session: string }[] = []
  for (const s of cal.sessions(first, last + tf)) {
    let prevMissing = false
    for (let t = s.open; t < s.close; t += tf) {
      if (t < first || t > last || have.has(t)) {
        prevMissing = false
        continue
      }
      if (prevMissing) runs[runs.length - 1]!.count++
      else runs.push({ from: t, count: 1, session: s.date })
      prevMissing = true
    }
  }
  return runs
}

describe('findGaps', () => {
  for (const id of ['24/7', 'NYSE', 'NYSE_EXT']) {
    it(`agrees with the brute-force definition on random minute data (${id})`, () => {
      const cal = getCalendar(id)
      const tf = 60_000
      const t0 = Date.UTC(2013, 9, 3, 12, 0) // spans a weekend and session edges
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 5 * 1440 }), { minLength: 2, maxLength: 400 }),
          fc.array(fc.boolean(), { maxLength: 400 }),
          (mins, skipBits) => {
            const times = [...new Set(mins)].sort((a, b) => a - b).map((m) => t0 + m * tf)
            if (times.length < 2) return
            const skip = Uint8Array.from(times, (_, i) => (skipBits[i] ? 1 : 0))
            const kept = times.filter((_, i) => !skip[i])
            const got = findGaps(Float64Array.from(times), tf, cal, skip)
            const want = kept.length < 2 ? [] : bruteForce(kept, tf, cal)
            assert.deepEqual(got, want)
          },
        ),
        { numRuns: 60, seed: 11 },
      )
    })
  }
})
