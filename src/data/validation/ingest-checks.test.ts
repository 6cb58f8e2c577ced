import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isoUtc, toBarSeries, type Bar } from '../../core/index.ts'
import { getCalendar, type Session, type TradingCalendar } from '../calendars/index.ts'
import { readCsvFile } from '../csv/index.ts'
import { countByReason, validateIngest } from './index.ts'

async function check(file: string, calendar?: string, opts = {}) {
  const r = await readCsvFile(file)
  const rep = validateIngest(r.series, {
    source: file,
    lines: r.lines,
    calendar: calendar ? getCalendar(calendar) : undefined,
    ...opts,
  })
  return { r, rep }
}

const bar = (i: number, o: number, h: number, l: number, c: number, v = 100, t?: number): Bar => ({
  instrumentId: 'X',
  timeframe: '1m',
  openTime: t ?? Date.UTC(2024, 0, 2, 14, 30 + i),
  closeTime: (t ?? Date.UTC(2024, 0, 2, 14, 30 + i)) + 60_000,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
})

describe('validateIngest: row rules', () => {
  it('rejects each broken OHLC rule with its reason and field, and keeps the good rows', () => {
    const s = toBarSeries([
      bar(0, 10, 11, 9, 10.5),
      bar(1, 10, 9.5, 9, 9.2), // high < open
      bar(2, 10, 11, 10.2, 10.5), // low > open
      bar(3, 10, 9, 11, 10), // high < low (and both envelope rules)
      bar(4, 0, 11, 9, 10), // open 0
      bar(5, 10, 11, 9, 10, -1), // negative volume
      bar(6, 10, 11, 9, NaN), // NaN close
      bar(7, 10, 11, 9, 10.5),
    ])
    const rep = validateIngest(s, { source: 'x.csv' })
    assert.deepEqual([...rep.rejected], [0, 1, 1, 1, 1, 1, 1, 0])
    const first = (i: number) => rep.findings.find((f) => f.index === i)!
    assert.deepEqual([first(1).reason, first(1).field], ['HIGH_BELOW_OPEN_CLOSE', 'high'])
    assert.deepEqual([first(2).reason, first(2).field], ['LOW_ABOVE_OPEN_CLOSE', 'low'])
    assert.ok(rep.findings.some((f) => f.index === 3 && f.reason === 'HIGH_BELOW_LOW'))
    assert.deepEqual([first(4).reason, first(4).field], ['NON_POSITIVE_PRICE', 'open'])
    assert.deepEqual([first(5).reason, first(5).field], ['NEGATIVE_VOLUME', 'volume'])
    assert.deepEqual([first(6).reason, first(6).field], ['NON_FINITE', 'close'])
    assert.match(first(1).message, /^x\.csv 2024-01-02T14:31:00Z: high 9\.5 < open 10$/)
  })

  it('rejects duplicate and out-of-order timestamps but not the first occurrence', () => {
    const t = (m: number) => Date.UTC(2024, 0, 2, 14, m)
    const s = toBarSeries([0, 1, 1, 3, 2, 4].map((m, i) => bar(i, 10, 11, 9, 10, 100, t(30 + m))))
    const rep = validateIngest(s, { lines: Int32Array.from([2, 3, 4, 5, 6, 7]), source: 'd.csv' })
    assert.deepEqual([...rep.rejected], [0, 0, 1, 0, 1, 0])
    assert.deepEqual(
      rep.findings.map((f) => [f.reason, f.line]),
      [
        ['DUPLICATE_TIMESTAMP', 4],
        ['OUT_OF_ORDER', 6],
      ],
    )
  })

  it('warns about zero-volume bars and keeps them (generated fixture)', async () => {
    const { rep } = await check('test/fixtures/data/ZVOL_1m.csv')
    assert.equal(rep.errors, 0)
    assert.deepEqual(
      rep.findings.map((f) => [f.reason, f.severity, f.line]),
      [
        ['ZERO_VOLUME', 'warning', 3],
        ['ZERO_VOLUME', 'warning', 5],
      ],
    )
  })

  it('reports outlier returns by robust z-score with a configurable threshold', () => {
    const closes = Array.from({ length: 200 }, (_, i) => 100 * (1 + 0.001 * Math.sin(i * 1.7)))
    closes[120] = closes[119]! * 1.05 // a 5 % minute next to ±0.1 % noise
    const s = toBarSeries(closes.map((c, i) => bar(i, c, c * 1.0005, c * 0.9995, c)))
    const hit = validateIngest(s, { outlierZ: 12 }).findings.filter((f) => f.reason === 'OUTLIER_RETURN')
    assert.deepEqual(
      hit.map((f) => f.index),
      [120, 121],
    )
    assert.equal(hit[0]!.severity, 'warning')
    const none = validateIngest(s, { outlierZ: 1e6 }).findings.filter((f) => f.reason === 'OUTLIER_RETURN')
    assert.equal(none.length, 0)
  })

  it('summarises gaps against any TradingCalendar as runs', () => {
    // A tiny calendar: one session 14:30-14:40 UTC on 2024-01-02.
    const session: Session = {
      date: '2024-01-02',
      open: Date.UTC(2024, 0, 2, 14, 30),
      close: Date.UTC(2024, 0, 2, 14, 40),
      earlyClose: false,
    }
    const cal: TradingCalendar = {
      id: 'TINY',
      timezone: 'UTC',
      isOpen: (t) => t >= session.open && t < session.close,
      sessions: (from, to) => (session.close > from && session.open < to ? [session] : []),
      sessionAt: (t) => (t >= session.open && t < session.close ? session : undefined),
      isHoliday: () => false,
      isTradingDay: (d) => d === session.date,
      nextSession: (t) => (t < session.close ? session : undefined),
    }
    const s = toBarSeries([0, 1, 4, 5, 6, 8, 9].map((m) => bar(m, 10, 11, 9, 10)))
    const rep = validateIngest(s, { calendar: cal })
    assert.deepEqual(
      rep.gaps.map((g) => [isoUtc(g.from), g.count]),
      [
        ['2024-01-02T14:32:00Z', 2],
        ['2024-01-02T14:37:00Z', 1],
      ],
    )
    assert.equal(countByReason(rep.findings).GAP, 3)
  })
})

describe('validateIngest: the known problems of the bundled data (SOURCES.md)', () => {
  it('AAPL_1d: quarantines the bad low of 2009-09-21 (and two more decimal-shifted lows) as bad ticks', async () => {
    const { rep } = await check('data/bundled/AAPL_1d.csv', 'NYSE')
    const bad = rep.findings.filter((f) => f.severity === 'error')
    assert.deepEqual(
      bad.map((f) => [f.reason, f.field, isoUtc(f.timestamp!), f.line]),
      [
        ['OUTLIER_RANGE', 'low', '2009-09-21T00:00:00Z', 2949],
        ['OUTLIER_RANGE', 'low', '2010-08-31T00:00:00Z', 3187],
        ['OUTLIER_RANGE', 'low', '2011-01-03T00:00:00Z', 3273],
      ],
    )
  })

  it('AAPL_1d: finds the four unadjusted splits with their ratios and no others', async () => {
    const { rep } = await check('data/bundled/AAPL_1d.csv', 'NYSE')
    const splits = rep.findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
    assert.deepEqual(
      splits.map((f) => [isoUtc(f.timestamp!).slice(0, 10), f.details!.ratio, f.severity]),
      [
        ['2000-06-21', '2:1', 'warning'],
        ['2005-02-28', '2:1', 'warning'],
        ['2014-06-09', '7:1', 'warning'],
        ['2020-08-31', '4:1', 'warning'],
      ],
    )
  })

  it('AAPL_1m: quarantines the corrupt 2014-06-09T08:00Z split bar and flags the 7:1 split after it', async () => {
    const { rep } = await check('data/bundled/AAPL_1m.csv', 'NYSE_EXT')
    const errors = rep.findings.filter((f) => f.severity === 'error')
    assert.deepEqual(
      errors.map((f) => [f.reason, isoUtc(f.timestamp!), f.line]),
      [['OUTLIER_RANGE', '2014-06-09T08:00:00Z', 1471]],
    )
    const split = rep.findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
    assert.deepEqual(
      split.map((f) => [isoUtc(f.timestamp!), f.details!.ratio]),
      [['2014-06-09T08:01:00Z', '7:1']],
    )
  })

  it('AAPL_1m with the corrupt bar kept: flags the 7:1 jump inside it (open still at the old price)', async () => {
    const { rep } = await check('data/bundled/AAPL_1m.csv', 'NYSE_EXT', { rangeZ: Infinity })
    assert.equal(rep.errors, 0)
    const split = rep.findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT')
    assert.deepEqual(
      split.map((f) => [isoUtc(f.timestamp!), f.line, f.field, f.details!.ratio, f.details!.factor]),
      [['2014-06-09T08:00:00Z', 1471, 'close', '7:1', 92.42 / 645.7]],
    )
  })

  it('no suspected split in the bundled series other than AAPL', async () => {
    for (const f of ['SPY_1d', 'SPY_1m', 'IBM_1m', 'BAC_1m', 'BTC-USD_1m', 'ETH-USD_1m']) {
      for (const rangeZ of [undefined, Infinity]) {
        const { rep } = await check(`data/bundled/${f}.csv`, undefined, { rangeZ })
        assert.equal(countByReason(rep.findings).SUSPECTED_UNADJUSTED_SPLIT, undefined, f)
      }
    }
  })

  it('BTC-USD_1m: the 432 missing minutes of 2018-04-04 after 16:47Z, plus 16:46Z', async () => {
    const { rep } = await check('data/bundled/BTC-USD_1m.csv', '24/7')
    assert.deepEqual(
      rep.gaps.map((g) => [isoUtc(g.from), g.count]),
      [
        ['2018-04-04T16:46:00Z', 1],
        ['2018-04-04T16:48:00Z', 432],
      ],
    )
    assert.equal(rep.errors, 0)
  })

  it('ETH-USD_1m: the same truncation, 431 missing minutes on 2018-04-04', async () => {
    const { rep } = await check('data/bundled/ETH-USD_1m.csv', '24/7')
    const day = rep.gaps.filter((g) => g.session === '2018-04-04').reduce((a, g) => a + g.count, 0)
    assert.equal(day, 431)
  })

  it('IBM_1m: exactly the two missing regular-hours minutes', async () => {
    const { rep } = await check('data/bundled/IBM_1m.csv', 'NYSE')
    assert.deepEqual(
      rep.gaps.map((g) => [isoUtc(g.from), g.count]),
      [
        ['2013-10-04T16:39:00Z', 1],
        ['2013-10-11T16:46:00Z', 1],
      ],
    )
  })

  it('does not check weekly bars against daily sessions', () => {
    const s = toBarSeries(
      [0, 1, 2, 3].map((w) => ({ ...bar(w, 10, 11, 9, 10, 100, Date.UTC(2024, 0, 1 + 7 * w)), timeframe: '1w' })),
      'X',
      '1w',
    )
    assert.deepEqual(validateIngest(s, { calendar: getCalendar('NYSE') }).gaps, [])
  })

  it('SPY_1d: clean, no errors and no splits', async () => {
    const { rep } = await check('data/bundled/SPY_1d.csv', 'NYSE')
    assert.equal(rep.errors, 0)
    assert.equal(rep.findings.filter((f) => f.reason === 'SUSPECTED_UNADJUSTED_SPLIT').length, 0)
    assert.equal(rep.gaps.length, 0)
  })
})
