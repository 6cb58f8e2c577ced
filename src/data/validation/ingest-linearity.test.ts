/**
 * The ingest checks cost time linear in the rows whatever the content: the same adversarial pattern at n and
 * 10n rows must take well under 100× (quadratic) the work. Measured as calendar days walked (exact) and as
 * process CPU time (best of three runs, loose bound for a loaded machine).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocBarSeries, type BarSeries } from '../../core/index.ts'
import type { Session, TradingCalendar } from '../calendars/index.ts'
import { validateIngest } from './index.ts'

const MIN = 60_000
const DAY = 86_400_000
const T0 = Date.UTC(2024, 0, 1)

/** A 24/7 calendar (one session per UTC day, named by day number) that counts the days it is asked for. */
function countingCalendar(): TradingCalendar & { days: number } {
  const session = (d: number): Session => ({
    date: String(d),
    open: d * DAY,
    close: (d + 1) * DAY,
    earlyClose: false,
  })
  const cal = {
    id: 'COUNT',
    timezone: 'UTC',
    days: 0,
    isOpen: () => true,
    sessions(from: number, to: number): Session[] {
      const out: Session[] = []
      for (let d = Math.floor(from / DAY); d * DAY < to; d++) {
        cal.days++
        out.push(session(d))
      }
      return out
    },
    sessionAt: (t: number) => session(Math.floor(t / DAY)),
    isHoliday: () => false,
    isTradingDay: () => true,
    nextSession: (t: number) => session(Math.floor(t / DAY)),
  }
  return cal
}

/** `n` one-minute bars at times `time(i)`, prices `price(i)`. */
function series(n: number, time: (i: number) => number, price: (i: number) => number = () => 100): BarSeries {
  const s = allocBarSeries('X', '1m', n)
  for (let i = 0; i < n; i++) {
    const p = price(i)
    s.openTime[i] = time(i)
    s.closeTime[i] = time(i) + MIN
    s.open[i] = s.close[i] = p
    s.high[i] = p * 1.001
    s.low[i] = p * 0.999
    s.volume[i] = 10
  }
  return s
}

const YEAR = 365 * DAY
const PATTERNS: Record<string, (n: number) => BarSeries> = {
  // Sorted, but the spacing grows with the row: the span (and a calendar walk over it) grows as n².
  'widening gaps': (n) => series(n, (i) => T0 + i * i * 3_600_000),
  'alternating years': (n) => series(n, (i) => (i % 2 ? T0 + 5000 * YEAR : T0) + i * MIN),
  'every row a mistyped year': (n) => series(n, (i) => T0 + (i % 3 === 1 ? (i % 7000) * YEAR : i * MIN)),
  'reversed in pairs': (n) => series(n, (i) => T0 + (i % 2 ? i - 1 : i + 1) * MIN),
  'one time repeated': (n) => series(n, () => T0),
  'appended to itself': (n) => series(n, (i) => T0 + (i % (n >> 1)) * MIN),
  'sawtooth prices': (n) =>
    series(
      n,
      (i) => T0 + i * MIN,
      (i) => (i % 2 ? 1e-9 : 1e9),
    ),
}

function work(make: (n: number) => BarSeries, n: number): { days: number; cpu: number } {
  const s = make(n)
  let best = Infinity
  let days = 0
  for (let r = 0; r < 3; r++) {
    const cal = countingCalendar()
    const c0 = process.cpuUsage()
    validateIngest(s, { calendar: cal })
    const c = process.cpuUsage(c0)
    best = Math.min(best, c.user + c.system)
    days = cal.days
  }
  return { days, cpu: best }
}

describe('validateIngest: linear in the rows', () => {
  for (const [name, make] of Object.entries(PATTERNS)) {
    it(`${name}: 10× the rows cost well under 100× the work`, () => {
      work(make, 20_000) // warm up the JIT and the heap at the larger size
      const a = work(make, 2_000)
      const b = work(make, 20_000)
      assert.ok(b.days <= 30 * Math.max(a.days, 100), `calendar days walked: ${a.days} → ${b.days}`)
      // Linear work gives ×10 (×15–20 with the collector's share on a loaded machine), quadratic ×100. CPU
      // time below ~5 ms is timer and JIT noise; the floor keeps the ratio meaningful.
      const ratio = b.cpu / Math.max(a.cpu, 5_000)
      assert.ok(
        ratio < 45,
        `CPU ${(a.cpu / 1000).toFixed(1)} ms → ${(b.cpu / 1000).toFixed(1)} ms (×${ratio.toFixed(1)})`,
      )
    })
  }
})
