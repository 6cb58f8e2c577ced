import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, toBarSeries } from '../../core/index.ts'
import type { Bar, BarSeries } from '../../core/index.ts'
import { loadBundled } from './bundled-bars.testkit.ts'
import { ChunkedResampler } from './chunked-resampler.ts'
import { resample } from './resample.ts'
import type { ResampledSeries } from './resample.ts'
import { StreamingResampler } from './streaming-resampler.ts'

const DAY = 86_400_000
const T = (iso: string) => Date.parse(iso)

/** The bundled SPY_1d.csv as a daily series stamped at 00:00Z of each trading date. */
function spyDaily(): BarSeries {
  const lines = readFileSync(new URL('../../../data/bundled/SPY_1d.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
  const bars: Bar[] = lines.slice(1).map((l) => {
    const [ts, o, h, lo, c, v] = l.split(',')
    const openTime = Date.parse(ts!)
    return {
      instrumentId: 'SPY',
      timeframe: '1d',
      openTime,
      closeTime: openTime + DAY,
      open: Number(o),
      high: Number(h),
      low: Number(lo),
      close: Number(c),
      volume: Number(v),
    }
  })
  return toBarSeries(bars, 'SPY', '1d')
}

/** Monday (YYYY-MM-DD) of the ISO week of a UTC date, computed with Date alone. */
function isoMonday(t: number): string {
  const dow = new Date(t).getUTCDay() // 0 = Sunday
  return new Date(t - ((dow + 6) % 7) * DAY).toISOString().slice(0, 10)
}

interface Agg {
  o: number
  h: number
  l: number
  c: number
  v: number
  n: number
}

/** Independent reference: first open, max high, min low, last close, summed volume per key. */
function reference(s: BarSeries, key: (t: number) => string): Map<string, Agg> {
  const out = new Map<string, Agg>()
  for (let i = 0; i < s.openTime.length; i++) {
    const k = key(s.openTime[i]!)
    const cur = out.get(k)
    if (!cur) out.set(k, { o: s.open[i]!, h: s.high[i]!, l: s.low[i]!, c: s.close[i]!, v: s.volume[i]!, n: 1 })
    else {
      cur.h = Math.max(cur.h, s.high[i]!)
      cur.l = Math.min(cur.l, s.low[i]!)
      cur.c = s.close[i]!
      cur.v += s.volume[i]!
      cur.n++
    }
  }
  return out
}

const monthKey = (t: number) => new Date(t).toISOString().slice(0, 7)

function barAt(r: ResampledSeries, iso: string) {
  const k = r.openTime.indexOf(T(iso))
  assert.ok(k >= 0, `no bar opening at ${iso}`)
  return {
    open: r.open[k],
    high: r.high[k],
    low: r.low[k],
    close: r.close[k],
    volume: r.volume[k],
    closeTime: new Date(r.closeTime[k]!).toISOString(),
    count: r.count[k],
    expected: r.expected[k],
  }
}

function assertMatchesReference(r: ResampledSeries, ref: Map<string, Agg>, key: (t: number) => string) {
  assert.equal(r.openTime.length, ref.size)
  for (let k = 0; k < r.openTime.length; k++) {
    const a = ref.get(key(r.openTime[k]!))
    assert.ok(a, `bar ${k} at ${new Date(r.openTime[k]!).toISOString()} has no reference group`)
    assert.deepEqual(
      [r.open[k], r.high[k], r.low[k], r.close[k], r.volume[k]],
      [a.o, a.h, a.l, a.c, a.v],
      `bar at ${new Date(r.openTime[k]!).toISOString()}`,
    )
  }
}

describe('resample SPY_1d to weeks and months on the NYSE calendar', () => {
  const spy = spyDaily()
  const weeks = resample(spy, { to: '1w', calendar: 'NYSE', outside: 'error' })
  const months = resample(spy, { to: '1mo', calendar: 'NYSE', outside: 'error' })

  it('gives one week bar per ISO week equal to an independent aggregation of its days', () => {
    assert.equal(weeks.timeframe, '1w')
    assertMatchesReference(weeks, reference(spy, isoMonday), isoMonday)
  })

  it('gives one month bar per calendar month equal to an independent aggregation of its days', () => {
    assert.equal(months.timeframe, '1mo')
    assert.equal(months.openTime.length, 12 * 23 + 3) // 1998-01 … 2021-03
    assertMatchesReference(months, reference(spy, monthKey), monthKey)
  })

  it('matches values read off the CSV for the first week and month of 1998', () => {
    // 1998-01-05 … 01-09: opens 97.84, highs max 98.44 (01-05), lows min 91.91 (01-09), close 92.47.
    assert.deepEqual(barAt(weeks, '1998-01-05T14:30:00Z'), {
      open: 97.84,
      high: 98.44,
      low: 91.91,
      close: 92.47,
      volume: 4030800 + 2821800 + 5225400 + 3249100 + 10000200,
      closeTime: '1998-01-09T21:00:00.000Z',
      count: 5 * 390,
      expected: 5 * 390,
    })
    // 1998-02: first open 99.91 (02-02), max high 105.53 (02-27), min low 99.72 (02-03), last close 105.2.
    const feb = barAt(months, '1998-02-02T14:30:00Z')
    assert.deepEqual([feb.open, feb.high, feb.low, feb.close], [99.91, 105.53, 99.72, 105.2])
    assert.equal(feb.closeTime, '1998-02-27T21:00:00.000Z')
    assert.equal(feb.expected, 19 * 390) // 20 weekdays less Presidents' Day (02-16)
  })

  it('opens a holiday week at its first session and closes it at its last, early close included', () => {
    // Thanksgiving 2020: Mon 11-23 … Wed 11-25, closed Thu 11-26, Fri 11-27 closes at 13:00 (18:00Z).
    const w = barAt(weeks, '2020-11-23T14:30:00Z')
    assert.equal(w.closeTime, '2020-11-27T18:00:00.000Z')
    assert.equal(w.expected, 3 * 390 + 210)
    assert.equal(w.count, w.expected)
    // Good Friday 2020-04-10: the week closes Thursday 16:00 New York (20:00Z, EDT).
    assert.equal(barAt(weeks, '2020-04-06T13:30:00Z').closeTime, '2020-04-09T20:00:00.000Z')
    // Christmas and New Year 2020/21 on Fridays: 2020-12-28 … 12-31, then the week of 2021-01-04.
    assert.equal(barAt(weeks, '2020-12-28T14:30:00Z').closeTime, '2020-12-31T21:00:00.000Z')
    // A week across a month end is one week bar but falls in two month bars: 2021-03-01 opens March.
    assert.equal(barAt(weeks, '2021-03-01T14:30:00Z').closeTime, '2021-03-05T21:00:00.000Z')
    assert.equal(barAt(months, '2021-03-01T14:30:00Z').closeTime, '2021-03-31T20:00:00.000Z')
  })

  it('makes a missing day visible as count < expected', () => {
    const keep = Array.from(spy.openTime, (t) => t !== T('2020-11-24T00:00:00Z'))
    const gappy = pick(spy, keep)
    const r = resample(gappy, { to: '1w', calendar: 'NYSE' })
    const w = barAt(r, '2020-11-23T14:30:00Z')
    assert.deepEqual([w.count, w.expected], [2 * 390 + 210, 3 * 390 + 210])
  })

  it('dates a daily bar on a holiday as outside the sessions, and refuses it when asked', () => {
    const s = allocBarSeries('X', '1d', 2)
    s.openTime[0] = T('2020-11-25T00:00:00Z')
    s.openTime[1] = T('2020-11-26T00:00:00Z') // Thanksgiving
    const r = resample(s, { to: '1w', calendar: 'NYSE' })
    assert.equal(r.openTime.length, 1)
    assert.equal(r.outsideSession, 1)
    assert.throws(() => resample(s, { to: '1mo', calendar: 'NYSE', outside: 'error' }), /outside the NYSE sessions/)
  })

  it('streaming and chunked twins give the same week and month bars', () => {
    for (const [to, batch] of [
      ['1w', weeks],
      ['1mo', months],
    ] as const) {
      const st = new StreamingResampler({ to, calendar: 'NYSE', from: '1d' })
      const got: number[][] = []
      for (let i = 0; i < spy.openTime.length; i++)
        for (const b of st.update(barOf(spy, i)))
          got.push([b.openTime, b.closeTime, b.open, b.high, b.low, b.close, b.volume, b.count, b.expected])
      for (const b of st.flush())
        got.push([b.openTime, b.closeTime, b.open, b.high, b.low, b.close, b.volume, b.count, b.expected])
      assert.deepEqual(got, rows(batch), `streaming ${to}`)
      const ch = new ChunkedResampler({ to, calendar: 'NYSE' })
      const parts: number[][] = []
      for (let i = 0; i < spy.openTime.length; i += 37) parts.push(...rows(ch.push(slice(spy, i, i + 37))))
      parts.push(...rows(ch.flush()))
      assert.deepEqual(parts, rows(batch), `chunked ${to}`)
    }
  })
})

describe('resample minutes to weeks', () => {
  it('1m → 1w equals 1m → 1d → 1w on bundled SPY_1m (RTH), and leaves pre-market minutes out', () => {
    const m = loadBundled('SPY_1m')
    const direct = resample(m, { to: '1w', calendar: 'NYSE' })
    const viaDay = resample(resample(m, { to: '1d', calendar: 'NYSE' }), { to: '1w', calendar: 'NYSE' })
    assert.deepEqual(rows(direct), rows(viaDay))
    assert.deepEqual(
      Array.from(direct.openTime, (t) => new Date(t).toISOString()),
      // the week's first session, though the file starts on Friday 10-04
      ['2013-09-30T13:30:00.000Z', '2013-10-07T13:30:00.000Z'],
    )
    assert.deepEqual([direct.count[0], direct.expected[0]], [390, 5 * 390])
    assert.deepEqual([direct.count[1], direct.expected[1]], [5 * 390, 5 * 390])
    // The file has pre- and after-market minutes; none of them is in a week bar.
    const ext = resample(m, { to: '1w', calendar: 'NYSE_EXT' })
    assert.ok(direct.outsideSession > 0)
    assert.ok(ext.volume[1]! > direct.volume[1]!)
    let rthVolume = 0
    for (let i = 0; i < m.openTime.length; i++) {
      const hm = new Date(m.openTime[i]!).toISOString().slice(11, 16)
      if (m.openTime[i]! >= T('2013-10-07T00:00:00Z') && hm >= '13:30' && hm < '20:00') rthVolume += m.volume[i]!
    }
    assert.equal(direct.volume[1], rthVolume)
  })
})

describe('week and month resampling properties', () => {
  const spy = spyDaily()
  const arb = fc.record({
    from: fc.integer({ min: 0, max: spy.openTime.length - 300 }),
    len: fc.integer({ min: 1, max: 300 }),
    drop: fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
    to: fc.constantFrom('1w', '1mo'),
    calendar: fc.constantFrom('NYSE', '24/7', 'NYSE_EXT'),
  })

  it('puts every daily bar in exactly one output bar and aggregates OHLCV over exactly those bars', () => {
    fc.assert(
      fc.property(arb, ({ from, len, drop, to, calendar }) => {
        const part = slice(spy, from, from + len)
        const s = pick(
          part,
          Array.from(part.openTime, (_, i) => !drop[i] || i === 0),
        )
        const r = resample(s, { to, calendar, outside: 'error' })
        const key = to === '1w' ? isoMonday : monthKey
        const tz = calendar === '24/7' ? 'UTC' : 'America/New_York'
        // Each input bar's date lies in exactly one output bar's [first session date, last session date].
        const spans = Array.from(r.openTime, (t, k) => [localDate(t, tz), localDate(r.closeTime[k]! - 1, tz)] as const)
        const owner: number[] = []
        for (let i = 0; i < s.openTime.length; i++) {
          const d = new Date(s.openTime[i]!).toISOString().slice(0, 10)
          const hits: number[] = []
          spans.forEach(([a, b], k) => {
            if (d >= a && d <= b) hits.push(k)
          })
          assert.equal(hits.length, 1, `bar ${d} is in ${hits.length} output bars`)
          owner.push(hits[0]!)
        }
        assertMatchesReference(r, reference(s, key), key)
        // Bars of one output share its key, and output bars come in time order without overlap.
        for (let k = 1; k < r.openTime.length; k++) assert.ok(r.openTime[k]! >= r.closeTime[k - 1]!)
        for (let i = 1; i < owner.length; i++) assert.ok(owner[i]! >= owner[i - 1]!)
        let vol = 0
        for (const v of r.volume) vol += v
        let volIn = 0
        for (const v of s.volume) volIn += v
        assert.equal(vol, volIn)
      }),
      { seed: 20260412, numRuns: 100 },
    )
  })
})

function localDate(t: number, timeZone: string): string {
  return new Date(t).toLocaleDateString('en-CA', { timeZone })
}

function barOf(s: BarSeries, i: number): Bar {
  return {
    instrumentId: s.instrumentId,
    timeframe: s.timeframe,
    openTime: s.openTime[i]!,
    closeTime: s.closeTime[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  }
}

function slice(s: BarSeries, from: number, to: number): BarSeries {
  const bars: Bar[] = []
  for (let i = from; i < Math.min(to, s.openTime.length); i++) bars.push(barOf(s, i))
  return toBarSeries(bars, s.instrumentId, s.timeframe)
}

function pick(s: BarSeries, keep: readonly boolean[]): BarSeries {
  const bars: Bar[] = []
  for (let i = 0; i < s.openTime.length; i++) if (keep[i]) bars.push(barOf(s, i))
  return toBarSeries(bars, s.instrumentId, s.timeframe)
}

function rows(r: ResampledSeries): number[][] {
  return Array.from(r.openTime, (t, k) => [
    t,
    r.closeTime[k]!,
    r.open[k]!,
    r.high[k]!,
    r.low[k]!,
    r.close[k]!,
    r.volume[k]!,
    r.count[k]!,
    r.expected[k]!,
  ])
}
