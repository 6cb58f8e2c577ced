import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocBarSeries, isoUtc, mulberry32, type BarSeries } from '../../core/index.ts'
import { countByReason, validateIngest } from './index.ts'

const DAY = 86_400_000

/** Daily bars on consecutive days from 1998-01-02 (a seeded random walk near 100, ~1 % a day), lines from 2. */
function daily(n: number, edit?: (s: BarSeries) => void): { s: BarSeries; lines: Int32Array } {
  const s = allocBarSeries('X', '1d', n)
  const u = mulberry32(42)
  let p = 100
  for (let i = 0; i < n; i++) {
    p *= 1 + (u() - 0.5) * 0.02
    s.openTime[i] = Date.UTC(1998, 0, 2) + i * DAY
    s.closeTime[i] = s.openTime[i]! + DAY
    s.open[i] = p
    s.high[i] = p * 1.01
    s.low[i] = p * 0.99
    s.close[i] = p * 1.002
    s.volume[i] = 1000
  }
  edit?.(s)
  return { s, lines: Int32Array.from({ length: n }, (_, i) => i + 2) }
}

/** Moves row `i` by `years` years (a mistyped year). */
const mistype = (s: BarSeries, i: number, years: number) => {
  const d = new Date(s.openTime[i]!)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  s.openTime[i] = d.getTime()
  s.closeTime[i] = d.getTime() + DAY
}

describe('validateIngest: timestamps', () => {
  it('names both lines of a duplicate timestamp', () => {
    const { s, lines } = daily(6, (x) => {
      x.openTime[3] = x.openTime[2]!
      x.close[3] = 101.5
    })
    const rep = validateIngest(s, { source: 'd.csv', lines })
    const dup = rep.findings.filter((f) => f.reason === 'DUPLICATE_TIMESTAMP')
    assert.deepEqual(
      dup.map((f) => [f.line, f.details?.firstLine]),
      [[5, 4]],
    )
    assert.match(dup[0]!.message, /^d\.csv line 5: .*line 4/)
  })

  it('quarantines only a mistyped year (2998 in a 1998 file), not every good row after it', () => {
    const { s, lines } = daily(200, (x) => mistype(x, 100, 1000))
    const rep = validateIngest(s, { source: 'y.csv', lines })
    assert.deepEqual(countByReason(rep.findings, 'error'), { TIMESTAMP_OUTLIER: 1 })
    assert.deepEqual(
      [...rep.rejected].flatMap((r, i) => (r ? [i] : [])),
      [100],
    )
    const f = rep.findings.find((x) => x.reason === 'TIMESTAMP_OUTLIER')!
    assert.equal(f.line, 102)
    assert.match(f.message, /^y\.csv line 102: timestamp 2998-04-12T00:00:00Z /)
    // Names the neighbours it was checked against and what was expected.
    assert.match(f.message, /line 101 \(1998-04-11T00:00:00Z\)/)
    assert.match(f.message, /line 103 \(1998-04-13T00:00:00Z\)/)
    assert.match(f.message, /expected a time between them/)
  })

  it('catches a mistyped year backwards (1898) in the middle as well', () => {
    const { s, lines } = daily(50, (x) => mistype(x, 20, -100))
    const rep = validateIngest(s, { lines })
    assert.deepEqual(countByReason(rep.findings, 'error'), { TIMESTAMP_OUTLIER: 1 })
    assert.equal(rep.findings.find((f) => f.severity === 'error')!.index, 20)
  })

  it('quarantines a mistyped year on the first row, judged against the next two rows', () => {
    for (const years of [1000, -100]) {
      const { s, lines } = daily(50, (x) => mistype(x, 0, years))
      const rep = validateIngest(s, { lines })
      assert.deepEqual(countByReason(rep.findings, 'error'), { TIMESTAMP_OUTLIER: 1 }, `first row ${years} years off`)
      assert.equal(rep.rejected[0], 1)
      assert.match(rep.findings[0]!.message, /line 3 .*line 4 /)
    }
  })

  it('quarantines a mistyped year on the last row, judged against the two rows before it', () => {
    for (const years of [1000, -100]) {
      const { s, lines } = daily(50, (x) => mistype(x, 49, years))
      const rep = validateIngest(s, { lines })
      assert.deepEqual(countByReason(rep.findings, 'error'), { TIMESTAMP_OUTLIER: 1 }, `last row ${years} years off`)
      assert.equal(rep.rejected[49], 1)
    }
  })

  it('judges spacing by the timeframe when junk rows make the median spacing junk too', () => {
    const u = mulberry32(3)
    const { s, lines } = daily(300, (x) => {
      for (let i = 1; i < 300; i += 3) {
        x.openTime[i] = Date.UTC(1971 + Math.floor(u() * 8000), 0, 1)
        x.closeTime[i] = x.openTime[i]! + DAY
      }
    })
    const rep = validateIngest(s, { lines })
    assert.deepEqual(countByReason(rep.findings, 'error'), { TIMESTAMP_OUTLIER: 100 })
  })

  it('keeps sorted data with ordinary long gaps (weekends, a missing month)', () => {
    const { s, lines } = daily(300, (x) => {
      for (let i = 0; i < 300; i++) {
        const week = Math.floor(i / 5)
        x.openTime[i] = Date.UTC(1998, 0, 5) + (week * 7 + (i % 5)) * DAY + (i >= 150 ? 31 * DAY : 0)
        x.closeTime[i] = x.openTime[i]! + DAY
      }
    })
    const rep = validateIngest(s, { lines })
    assert.equal(rep.errors, 0)
  })

  it('calls an exact repeat of an earlier row a duplicate of that line, not out of order', () => {
    const { s: a } = daily(100)
    const s = allocBarSeries('X', '1d', 200)
    for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) {
      s[k].set(a[k])
      s[k].set(a[k], 100)
    }
    const lines = Int32Array.from({ length: 200 }, (_, i) => i + 2)
    const rep = validateIngest(s, { lines, source: 't.csv' })
    assert.deepEqual(countByReason(rep.findings, 'error'), { DUPLICATE_TIMESTAMP: 100 })
    const f = rep.findings.find((x) => x.index === 150)!
    assert.equal(f.details?.firstLine, 52)
    assert.equal(f.details?.exact, true)
    assert.match(f.message, /^t\.csv line 152: duplicate of line 52 /)
  })

  it('still calls a row before the latest time out of order, naming the line it is behind', () => {
    const { s, lines } = daily(10, (x) => {
      x.openTime[6] = x.openTime[4]! + DAY / 2
    })
    const rep = validateIngest(s, { lines, source: 'o.csv' })
    const f = rep.findings.filter((x) => x.severity === 'error')
    assert.deepEqual(
      f.map((x) => [x.reason, x.line]),
      [['OUT_OF_ORDER', 8]],
    )
    assert.match(f[0]!.message, /before .* on line 7/)
  })

  it('rejects a row typed too late (less than an outlier), not the good rows that come after it', () => {
    for (const [row, ahead] of [
      [20, 49],
      [0, 30],
    ]) {
      const { s, lines } = daily(100, (x) => {
        x.openTime[row] = x.openTime[row]! + ahead * DAY
        x.closeTime[row] = x.openTime[row]! + DAY
      })
      const rep = validateIngest(s, { lines, source: 'late.csv' })
      const f = rep.findings.filter((x) => x.severity === 'error')
      // Only the row itself, and the later row whose time it took (a duplicate of it otherwise) is kept.
      assert.deepEqual(
        f.map((x) => [x.reason, x.line]),
        [['OUT_OF_ORDER', row + 2]],
      )
      assert.match(
        f[0]!.message,
        new RegExp(
          `^late\\.csv line ${row + 2}: .* is after the two rows that follow it, line ${row + 3} .* and line ${row + 4} `,
        ),
      )
      assert.equal(
        rep.rejected.reduce((a, b) => a + b, 0),
        1,
      )
    }
  })

  it('still rejects only one of two swapped rows', () => {
    const { s, lines } = daily(10, (x) => {
      const t = x.openTime[5]!
      x.openTime[5] = x.openTime[4]!
      x.openTime[4] = t
    })
    const rep = validateIngest(s, { lines, source: 'o.csv' })
    assert.deepEqual(
      rep.findings.filter((x) => x.severity === 'error').map((x) => [x.reason, x.line]),
      [['OUT_OF_ORDER', 7]],
    )
  })
})

describe('validateIngest: absurd prices are errors', () => {
  const scale = (s: BarSeries, i: number, k: number) => {
    for (const f of ['open', 'high', 'low', 'close'] as const) s[f][i] = s[f][i]! * k
  }

  it('rejects a bar 10⁶× its neighbours, and keeps the neighbours', () => {
    const { s, lines } = daily(60, (x) => scale(x, 30, 1e6))
    const rep = validateIngest(s, { lines, source: 'p.csv' })
    assert.deepEqual(countByReason(rep.findings, 'error'), { OUTLIER_PRICE: 1 })
    assert.equal(rep.rejected[30], 1)
    // Neither the spike nor the bar after it is reported as a return.
    assert.deepEqual(
      rep.findings.filter((f) => f.index === 30 || f.index === 31).map((f) => f.reason),
      ['OUTLIER_PRICE'],
    )
    assert.match(rep.findings.find((f) => f.reason === 'OUTLIER_PRICE')!.message, /^p\.csv line 32: /)
  })

  it('rejects a near-zero bar and a zero price', () => {
    const { s, lines } = daily(60, (x) => {
      scale(x, 10, 1e-9)
      x.close[40] = 0
      x.low[40] = 0
    })
    const rep = validateIngest(s, { lines })
    assert.equal(rep.rejected[10], 1)
    assert.equal(rep.rejected[40], 1)
    assert.deepEqual(countByReason(rep.findings, 'error'), { OUTLIER_PRICE: 1, NON_POSITIVE_PRICE: 2 })
  })

  it('rejects an absurd first or last bar against the two bars beside it', () => {
    for (const i of [0, 59]) {
      const { s, lines } = daily(60, (x) => scale(x, i, 1e6))
      const rep = validateIngest(s, { lines })
      assert.deepEqual(countByReason(rep.findings, 'error'), { OUTLIER_PRICE: 1 }, `row ${i}`)
      assert.equal(rep.rejected[i], 1)
    }
  })

  it('does not reject a split-sized jump that stays', () => {
    const { s, lines } = daily(60, (x) => {
      for (let i = 30; i < 60; i++) scale(x, i, 1 / 20)
    })
    const rep = validateIngest(s, { lines })
    assert.equal(rep.errors, 0)
    assert.equal(countByReason(rep.findings).SUSPECTED_UNADJUSTED_SPLIT, 1)
  })

  it('a daily bar that opens at the old price and closes at half is a crash, not a split', () => {
    const { s, lines } = daily(60, (x) => {
      x.low[30] = x.close[30] = x.open[30]! * 0.5
      for (let i = 31; i < 60; i++) scale(x, i, 0.5)
    })
    const rep = validateIngest(s, { lines, rangeZ: Infinity })
    assert.equal(countByReason(rep.findings).SUSPECTED_UNADJUSTED_SPLIT, undefined)
    // the same shape in minute bars after an overnight gap is the split reaching the feed inside the first bar
    const m = { ...s, timeframe: '1m', closeTime: s.openTime.map((t) => t + 60_000) }
    const intraday = validateIngest(m, { lines, rangeZ: Infinity })
    assert.deepEqual(
      intraday.findings
        .filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
        .map((f) => [f.index, f.details!.ratio]),
      [[30, '2:1']],
    )
  })

  it('prints an outlier return as the simple return in percent', () => {
    const { s, lines } = daily(200, (x) => {
      for (let i = 121; i < 200; i++) scale(x, i, 1.5) // +50 % once, and it stays
    })
    const rep = validateIngest(s, { lines, outlierZ: 5 })
    const f = rep.findings.find((x) => x.reason === 'OUTLIER_RETURN' && x.index === 121)!
    const up = (s.close[121]! / s.close[120]! - 1) * 100
    assert.ok(up > 45 && up < 55)
    assert.ok(f.message.includes(`return +${up.toFixed(1)}% `), f.message)
    const down = daily(200, (x) => {
      for (let i = 121; i < 200; i++) scale(x, i, 0.35)
    })
    const g = validateIngest(down.s, { lines: down.lines, outlierZ: 5 }).findings.find((x) => x.index === 121)!
    const fall = (down.s.close[121]! / down.s.close[120]! - 1) * 100
    assert.ok(g.message.includes(`return ${fall.toFixed(1)}% `), g.message)
  })
})

describe('validateIngest: timestamps of the whole file', () => {
  it('reports the range of times it kept (isoUtc of the kept first and last)', () => {
    const { s, lines } = daily(30, (x) => mistype(x, 29, 1000))
    const rep = validateIngest(s, { lines })
    const kept = [...s.openTime].filter((_, i) => !rep.rejected[i])
    assert.equal(isoUtc(Math.max(...kept)), '1998-01-30T00:00:00Z')
  })
})
