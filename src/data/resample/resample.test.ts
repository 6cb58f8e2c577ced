import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, isKestrelError } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { generateMarket } from '../synthetic/index.ts'
import { loadBundled } from './bundled-bars.testkit.ts'
import { resample } from './resample.ts'

const MIN = 60_000
const T = (iso: string) => Date.parse(iso)

/** Reference daily RTH aggregation, written without the calendar: Oct 2013 is EDT, RTH = 13:30–20:00Z. */
function referenceRthDaily(s: BarSeries) {
  const days = new Map<string, { o: number; h: number; l: number; c: number; v: number; n: number }>()
  for (let i = 0; i < s.openTime.length; i++) {
    const iso = new Date(s.openTime[i]!).toISOString()
    const hm = iso.slice(11, 16)
    if (hm < '13:30' || hm >= '20:00') continue
    const d = iso.slice(0, 10)
    const cur = days.get(d)
    if (!cur) days.set(d, { o: s.open[i]!, h: s.high[i]!, l: s.low[i]!, c: s.close[i]!, v: s.volume[i]!, n: 1 })
    else {
      cur.h = Math.max(cur.h, s.high[i]!)
      cur.l = Math.min(cur.l, s.low[i]!)
      cur.c = s.close[i]!
      cur.v += s.volume[i]!
      cur.n++
    }
  }
  return days
}

describe('resample on bundled SPY_1m', () => {
  const spy = loadBundled('SPY_1m')

  it('gives one RTH daily bar per session equal to an independent reference aggregation', () => {
    const d = resample(spy, { to: '1d', calendar: 'NYSE' })
    const ref = referenceRthDaily(spy)
    assert.equal(d.openTime.length, 6) // 2013-10-04, 07 … 11
    assert.deepEqual(
      [...ref.keys()],
      ['2013-10-04', '2013-10-07', '2013-10-08', '2013-10-09', '2013-10-10', '2013-10-11'],
    )
    let i = 0
    for (const [date, r] of ref) {
      assert.equal(d.openTime[i], T(`${date}T13:30:00Z`))
      assert.equal(d.closeTime[i], T(`${date}T20:00:00Z`))
      assert.deepEqual(
        [d.open[i], d.high[i], d.low[i], d.close[i], d.volume[i], d.count[i], d.expected[i]],
        [r.o, r.h, r.l, r.c, r.v, r.n, 390],
      )
      i++
    }
    // The pre- and after-market bars are left out and counted, not lost.
    const rthBars = [...ref.values()].reduce((a, r) => a + r.n, 0)
    assert.equal(d.outsideSession, spy.openTime.length - rthBars)
    assert.ok(d.outsideSession > 0)
  })

  it('equals the bundled SPY_1d on open, close and volume, and on high/low within one cent', () => {
    const d = resample(spy, { to: '1d', calendar: 'NYSE' })
    // data/bundled/SPY_1d.csv rows for the same sessions: open, high, low, close, volume
    const daily: Record<string, number[]> = {
      '2013-10-04': [167.74, 169.06, 167.53, 168.89, 84960871],
      '2013-10-07': [167.43, 168.45, 167.25, 167.42, 81489219],
      '2013-10-08': [167.45, 167.62, 165.37, 165.48, 153859703],
      '2013-10-09': [165.82, 166.2, 164.53, 165.57, 143898404],
      '2013-10-10': [167.32, 169.24, 167.23, 169.24, 157839488],
      '2013-10-11': [168.9, 170.32, 168.77, 170.3, 88751455],
    }
    assert.equal(d.openTime.length, 6)
    for (let i = 0; i < d.openTime.length; i++) {
      const [o, h, l, c, v] = daily[new Date(d.openTime[i]!).toISOString().slice(0, 10)]!
      assert.deepEqual([d.open[i], d.close[i], d.volume[i]], [o, c, v])
      assert.ok(Math.abs(d.high[i]! - h!) < 0.0101, `high ${d.high[i]} vs ${h}`)
      assert.ok(Math.abs(d.low[i]! - l!) < 0.0101, `low ${d.low[i]} vs ${l}`) // 2013-10-08: 165.36 vs 165.37
    }
  })

  it('anchors 1h bars at 09:30 New York and ends the last one at the 16:00 close', () => {
    const h = resample(spy, { to: '1h', calendar: 'NYSE' })
    const day = [...h.openTime].map((t, i) => i).filter((i) => h.openTime[i]! < T('2013-10-05T00:00:00Z'))
    assert.deepEqual(
      day.map((i) => new Date(h.openTime[i]!).toISOString().slice(11, 16)),
      ['13:30', '14:30', '15:30', '16:30', '17:30', '18:30', '19:30'],
    )
    const last = day.at(-1)!
    assert.equal(h.closeTime[last], T('2013-10-04T20:00:00Z'))
    assert.equal(h.expected[last], 30)
    assert.equal(h.expected[0], 60)
  })

  it('includes pre- and after-market bars with the extended-hours calendar, anchored at 04:00', () => {
    const d = resample(spy, { to: '1d', calendar: 'NYSE_EXT' })
    assert.equal(d.outsideSession, 0)
    assert.equal(d.openTime[0], T('2013-10-04T08:00:00Z'))
    assert.equal(d.closeTime[0], T('2013-10-05T00:00:00Z'))
    assert.equal(d.expected[0], 960)
    const volume = spy.volume.reduce((a, v) => a + v, 0)
    assert.equal(
      d.volume.reduce((a, v) => a + v, 0),
      volume,
    )
  })
})

describe('resample on bundled BTC-USD_1m (24/7)', () => {
  it('aligns to UTC and makes the truncated 2018-04-04 visible in count vs expected', () => {
    const btc = loadBundled('BTC-USD_1m')
    const d = resample(btc, { to: '1d', calendar: '24/7' })
    assert.equal(d.openTime[0], T('2018-04-04T00:00:00Z'))
    assert.equal(d.expected[0], 1440)
    assert.ok(d.count[0]! <= 1440 - 433, `count ${d.count[0]}`) // SOURCES.md: 432 minutes missing plus 16:46Z
    const h4 = resample(btc, { to: '4h', calendar: '24/7' })
    for (const t of h4.openTime) assert.equal(t % (4 * 3_600_000), 0)
    assert.equal(
      h4.count.reduce((a, c) => a + c, 0),
      btc.openTime.length,
    )
  })
})

describe('resample with calendars', () => {
  it('cuts 1h bars at 13:00 on an early-close day (2024-11-29)', () => {
    const s = allocBarSeries('X', '1m', 240)
    for (let i = 0; i < 240; i++) {
      s.openTime[i] = T('2024-11-29T14:30:00Z') + i * MIN // 09:30 EST onward, 4 hours
      s.closeTime[i] = s.openTime[i]! + MIN
      s.open[i] = s.high[i] = s.low[i] = s.close[i] = 100 + i
      s.volume[i] = 1
    }
    const h = resample(s, { to: '1h', calendar: 'NYSE' })
    assert.deepEqual(
      [...h.closeTime].map((t) => new Date(t).toISOString().slice(11, 16)),
      ['15:30', '16:30', '17:30', '18:00'],
    )
    assert.deepEqual([...h.count], [60, 60, 60, 30])
    assert.equal(h.outsideSession, 30)
  })

  it('keeps 1h bars anchored at 09:30 New York across the DST change (14:30Z on 2024-03-08, 13:30Z on 2024-03-11)', () => {
    const days = ['2024-03-08T14:30:00Z', '2024-03-11T13:30:00Z']
    const s = allocBarSeries('X', '1m', 2 * 390)
    days.forEach((d, k) => {
      for (let i = 0; i < 390; i++) {
        const j = k * 390 + i
        s.openTime[j] = T(d) + i * MIN
        s.closeTime[j] = s.openTime[j]! + MIN
        s.open[j] = s.high[j] = s.low[j] = s.close[j] = 50
        s.volume[j] = 2
      }
    })
    const h = resample(s, { to: '1h', calendar: 'NYSE' })
    const hm = [...h.openTime].map((t) => new Date(t).toISOString().slice(5, 16))
    assert.deepEqual(hm.slice(0, 2), ['03-08T14:30', '03-08T15:30'])
    assert.deepEqual(hm.slice(7, 9), ['03-11T13:30', '03-11T14:30'])
    assert.equal(h.closeTime[6], T('2024-03-08T21:00:00Z'))
    assert.equal(h.closeTime[13], T('2024-03-11T20:00:00Z'))
    assert.equal(h.outsideSession, 0)
  })

  it('anchors FX 4h bars at 17:00 New York (21:00Z in summer)', () => {
    const s = allocBarSeries('EURUSD', '1m', 600)
    for (let i = 0; i < 600; i++) {
      s.openTime[i] = T('2024-07-09T20:00:00Z') + i * MIN
      s.closeTime[i] = s.openTime[i]! + MIN
      s.open[i] = s.high[i] = s.low[i] = s.close[i] = 1.08
      s.volume[i] = 1
    }
    const h = resample(s, { to: '4h', calendar: 'FX' })
    assert.deepEqual(
      [...h.openTime].map((t) => new Date(t).toISOString().slice(11, 16)),
      ['17:00', '21:00', '01:00', '05:00'],
    )
    assert.deepEqual([...h.count], [60, 240, 240, 60])
  })

  it('makes one bar per FX session (London 07:00–16:00Z in summer, 08:00–17:00Z in winter; Tokyo 00:00–09:00Z)', () => {
    for (const [start, open, close] of [
      ['2024-07-08T00:00:00Z', '07:00', '16:00'],
      ['2024-01-08T00:00:00Z', '08:00', '17:00'],
    ] as const) {
      const [chunk] = [...generateMarket({ symbols: 1, bars: 1440, seed: 1, calendar: 'FX', start: T(start) })]
      const london = resample(chunk!.series[0]!, { to: '1d', calendar: 'FX_LONDON' })
      assert.equal(london.openTime.length, 1)
      assert.equal(new Date(london.openTime[0]!).toISOString().slice(11, 16), open)
      assert.equal(new Date(london.closeTime[0]!).toISOString().slice(11, 16), close)
      assert.deepEqual([london.count[0], london.expected[0]], [540, 540])
      const tokyo = resample(chunk!.series[0]!, { to: '1d', calendar: 'FX_ASIA' })
      assert.equal(new Date(tokyo.openTime[0]!).toISOString().slice(11, 16), '00:00')
      assert.equal(new Date(tokyo.closeTime[0]!).toISOString().slice(11, 16), '09:00')
    }
  })

  it('rejects out-of-order bars, a target that is not a multiple, and (when asked) bars outside sessions', () => {
    const s = allocBarSeries('X', '1m', 2)
    s.openTime[0] = T('2024-07-10T14:00:00Z')
    s.openTime[1] = T('2024-07-10T14:00:00Z')
    assert.throws(
      () => resample(s, { to: '5m', calendar: '24/7' }),
      (e) => isKestrelError(e, 'DATA_BAD_ROW'),
    )
    const f = allocBarSeries('X', '5m', 0)
    assert.throws(
      () => resample(f, { to: '7m', calendar: '24/7' }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    for (const to of ['2w', '3mo', '2d']) {
      assert.throws(
        () => resample(f, { to, calendar: '24/7' }),
        (e) => isKestrelError(e, 'PARAM_INVALID') && e.message.includes(`resample to ${to}`),
      )
    }
    assert.throws(
      () => resample(allocBarSeries('X', '1w', 0), { to: '1mo', calendar: '24/7' }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /1w → 1mo: the input must be daily or finer/.test(e.message),
    )
    assert.throws(
      () => resample(allocBarSeries('X', '1mo', 0), { to: '1mo', calendar: '24/7' }),
      (e) => isKestrelError(e, 'PARAM_INVALID') && /a month has no fixed length/.test(e.message),
    )
    const g = allocBarSeries('X', '1m', 1)
    g.openTime[0] = T('2024-07-10T03:00:00Z')
    assert.throws(() => resample(g, { to: '5m', calendar: 'NYSE', outside: 'error' }), /outside the NYSE sessions/)
  })
})

/** Random 1m series with gaps: a start minute, per-bar skips, valid OHLC. */
const arbSeries = fc
  .record({
    start: fc.integer({ min: 0, max: 60 * 24 * 30 }),
    steps: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 400 }),
    prices: fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 4, maxLength: 4 }),
    vol: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ start, steps, prices, vol }) => {
    const s = allocBarSeries('P', '1m', steps.length)
    let t = T('2024-03-01T00:00:00Z') + start * MIN
    for (let i = 0; i < steps.length; i++) {
      t += steps[i]! * MIN
      const base = prices[i % 4]! + i
      s.openTime[i] = t
      s.closeTime[i] = t + MIN
      s.open[i] = base
      s.close[i] = base + (i % 3) - 1
      s.high[i] = base + 2
      s.low[i] = base - 2
      s.volume[i] = (vol + i) % 97
    }
    return s
  })

describe('resample properties', () => {
  for (const calendar of ['24/7', 'NYSE', 'FX']) {
    it(`1m → 5m → 15m equals 1m → 15m, and volume is conserved (${calendar})`, () => {
      fc.assert(
        fc.property(arbSeries, (s) => {
          const direct = resample(s, { to: '15m', calendar })
          const via = resample(resample(s, { to: '5m', calendar }), { to: '15m', calendar })
          for (const k of [
            'openTime',
            'closeTime',
            'open',
            'high',
            'low',
            'close',
            'volume',
            'count',
            'expected',
          ] as const) {
            assert.deepEqual([...via[k]], [...direct[k]], k)
          }
          const vin = s.volume.reduce((a, v) => a + v, 0)
          let vinSession = 0
          const b = resample(s, { to: '1m', calendar })
          for (const v of b.volume) vinSession += v
          assert.equal(
            direct.volume.reduce((a, v) => a + v, 0),
            vinSession,
          )
          assert.equal(b.outsideSession, direct.outsideSession)
          if (calendar === '24/7') assert.equal(vinSession, vin)
          for (let i = 0; i < direct.openTime.length; i++) {
            assert.ok(direct.count[i]! <= direct.expected[i]!)
            assert.ok(direct.high[i]! >= Math.max(direct.open[i]!, direct.close[i]!))
            assert.ok(direct.low[i]! <= Math.min(direct.open[i]!, direct.close[i]!))
          }
        }),
        { seed: 42, numRuns: 60 },
      )
    })
  }
})
