import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError, isoUtc } from '../../core/index.ts'
import { parseCsvBars, readCsvFile } from './index.ts'

const iso = (ts: Float64Array) => [...ts].map(isoUtc)

describe('parseCsvBars', () => {
  it('reads the bundled AAPL daily file: 5849 bars, 1d inferred, first and last rows exact', async () => {
    const r = await readCsvFile('data/bundled/AAPL_1d.csv', { chunkSize: 4096 })
    assert.equal(r.series.openTime.length, 5849)
    assert.equal(r.problems.length, 0)
    assert.equal(r.series.timeframe, '1d')
    assert.equal(r.info.timeframeInferred, true)
    assert.equal(isoUtc(r.series.openTime[0]!), '1998-01-02T00:00:00Z')
    assert.equal(isoUtc(r.series.closeTime[0]!), '1998-01-03T00:00:00Z')
    assert.deepEqual(
      [r.series.open[0], r.series.high[0], r.series.low[0], r.series.close[0], r.series.volume[0]],
      [13.63, 16.25, 13.5, 16.25, 6315000],
    )
    assert.equal(r.lines[0], 2)
    assert.equal(r.lines[5848], 5850)
  })

  it('detects a semicolon file with Date + Time columns, Adj Close noted and ignored, Vol alias', () => {
    const r = parseCsvBars(
      'Date;Time;Open;High;Low;Close;Adj Close;Vol\n20200102;09:30;1;2;0.5;1.5;1.4;100\n20200102;09:31;1.5;2;1;1.25;1.2;50\n',
      { timezone: 'America/New_York' },
    )
    assert.equal(r.info.layout.delimiter, ';')
    assert.equal(r.info.layout.adjCloseIgnored, true)
    assert.deepEqual(r.info.layout.ignored, ['Adj Close'])
    assert.deepEqual(iso(r.series.openTime), ['2020-01-02T14:30:00Z', '2020-01-02T14:31:00Z'])
    assert.deepEqual([...r.series.close], [1.5, 1.25])
    assert.deepEqual([...r.series.volume], [100, 50])
  })

  it('reads epoch seconds, ms and µs, and headerless files in the default column order', () => {
    const t = 1_388_534_400 // 2014-01-01T00:00:00Z
    for (const [scale, kind] of [
      [1, 'epoch_s'],
      [1e3, 'epoch_ms'],
      [1e6, 'epoch_us'],
    ] as const) {
      const rows = [0, 60, 120].map((d) => `${(t + d) * scale},1,2,0.5,1.5,10`).join('\n')
      const r = parseCsvBars(rows)
      assert.equal(r.info.timestampKind, kind)
      assert.equal(r.info.layout.hasHeader, false)
      assert.deepEqual(iso(r.series.openTime), ['2014-01-01T00:00:00Z', '2014-01-01T00:01:00Z', '2014-01-01T00:02:00Z'])
    }
  })

  it('reads times before 1970: negative epoch s, ms and µs, ISO dates, and naive New York times', () => {
    const t = -252_460_800 // 1962-01-01T00:00:00Z
    for (const [scale, kind] of [
      [1, 'epoch_s'],
      [1e3, 'epoch_ms'],
      [1e6, 'epoch_us'],
    ] as const) {
      const rows = [0, 60, 120].map((d) => `${(t + d) * scale},1,2,0.5,1.5,10`).join('\n')
      const r = parseCsvBars(rows)
      assert.equal(r.problems.length, 0)
      assert.equal(r.info.timestampKind, kind)
      assert.deepEqual(iso(r.series.openTime), ['1962-01-01T00:00:00Z', '1962-01-01T00:01:00Z', '1962-01-01T00:02:00Z'])
    }
    const d = parseCsvBars('timestamp,open,high,low,close,volume\n1962-03-01,1,1,1,1,1\n1962-03-02,1,1,1,1,1\n')
    assert.deepEqual(iso(d.series.openTime), ['1962-03-01T00:00:00Z', '1962-03-02T00:00:00Z'])
    assert.equal(d.series.timeframe, '1d')
    // 1962: New York on EST in March, EDT from the last Sunday of April (Intl's tz database knows the old rules).
    const ny = parseCsvBars('timestamp,o,h,l,c,v\n1962-03-01 10:00,1,1,1,1,1\n1962-05-01 10:00,1,1,1,1,1\n', {
      timezone: 'America/New_York',
      timeframe: '1m',
    })
    assert.deepEqual(iso(ny.series.openTime), ['1962-03-01T15:00:00Z', '1962-05-01T14:00:00Z'])
  })

  it('reads ISO with offsets, yyyyMMdd HH:mm and YYYY-MM-DD', () => {
    const a = parseCsvBars(
      'timestamp,o,h,l,c,v\n2014-06-09T04:00:00-04:00,1,1,1,1,1\n2014-06-09 08:01:30Z,1,1,1,1,1\n',
      {
        timeframe: '1m',
      },
    )
    assert.deepEqual(iso(a.series.openTime), ['2014-06-09T08:00:00Z', '2014-06-09T08:01:30Z'])
    const b = parseCsvBars('datetime,open,high,low,close,volume\n20140609 09:30,1,1,1,1,1\n20140609 09:31,1,1,1,1,1\n')
    assert.deepEqual(iso(b.series.openTime), ['2014-06-09T09:30:00Z', '2014-06-09T09:31:00Z'])
    const c = parseCsvBars(
      'Date,Open,High,Low,Close,Volume\n2020-08-28,1,1,1,1,1\n2020-08-31,1,1,1,1,1\n2020-09-01,1,1,1,1,1\n',
    )
    assert.equal(c.series.timeframe, '1d')
    assert.deepEqual(iso(c.series.openTime), ['2020-08-28T00:00:00Z', '2020-08-31T00:00:00Z', '2020-09-01T00:00:00Z'])
  })

  it('converts naive New York times to UTC across the DST change (EDT −4h, EST −5h)', () => {
    const r = parseCsvBars(
      'time,open,high,low,close,volume\n2021-03-12 09:30,1,1,1,1,1\n2021-03-14 01:59,1,1,1,1,1\n2021-03-14 03:00,1,1,1,1,1\n2021-03-15 09:30,1,1,1,1,1\n',
      { timezone: 'America/New_York', timeframe: '1m' },
    )
    assert.deepEqual(iso(r.series.openTime), [
      '2021-03-12T14:30:00Z',
      '2021-03-14T06:59:00Z',
      '2021-03-14T07:00:00Z',
      '2021-03-15T13:30:00Z',
    ])
  })

  it('throws TIMEZONE_UNKNOWN naming the zone', () => {
    assert.throws(
      () => parseCsvBars('t,o,h,l,c,v\n', { timezone: 'Mars/Olympus', source: 'x.csv' }),
      (e) => isKestrelError(e, 'TIMEZONE_UNKNOWN') && /x\.csv.*"Mars\/Olympus"/.test(e.message),
    )
  })

  it('converts bars stamped at close to open time and sets closeTime = open + timeframe', () => {
    const r = parseCsvBars(
      'timestamp,open,high,low,close,volume\n2020-01-02T14:35:00Z,1,1,1,1,1\n2020-01-02T14:40:00Z,1,1,1,1,1\n',
      {
        stampedAt: 'close',
      },
    )
    assert.equal(r.series.timeframe, '5m')
    assert.deepEqual(iso(r.series.openTime), ['2020-01-02T14:30:00Z', '2020-01-02T14:35:00Z'])
    assert.deepEqual(iso(r.series.closeTime), ['2020-01-02T14:35:00Z', '2020-01-02T14:40:00Z'])
  })

  it('quarantines malformed rows with file, line and raw text and keeps every good row', () => {
    const text = [
      'timestamp,open,high,low,close,volume',
      '2020-01-02T14:30:00Z,1,2,0.5,1.5,10',
      '2020-01-02T14:31:00Z,1,2,0.5,1.5',
      '2020-01-02T14:32:00Z,1,2,NaN,1.5,10',
      'yesterday,1,2,0.5,1.5,10',
      '',
      '2020-01-02T14:33:00Z,1,2,0.5,1.5,10,extra',
      '2020-01-02T14:34:00Z,1,2,0.5,abc,10',
      '2020-01-02T14:35:00Z,"1",2,0.5,1.5,10',
    ].join('\r\n')
    const r = parseCsvBars(text, { source: 'bad.csv', timeframe: '1m' })
    assert.deepEqual(iso(r.series.openTime), ['2020-01-02T14:30:00Z', '2020-01-02T14:35:00Z'])
    assert.deepEqual([...r.lines], [2, 9])
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.reason, p.field ?? null]),
      [
        [3, 'BAD_COLUMN_COUNT', null],
        [4, 'NOT_A_NUMBER', 'low'],
        [5, 'BAD_TIMESTAMP', 'timestamp'],
        [7, 'BAD_COLUMN_COUNT', null],
        [8, 'NOT_A_NUMBER', 'close'],
      ],
    )
    assert.equal(r.problems[1]!.raw, '2020-01-02T14:32:00Z,1,2,NaN,1.5,10')
    assert.match(r.problems[1]!.message, /^bad\.csv line 4: low "NaN"/)
    assert.equal(r.info.rowsRead, 7)
    assert.equal(r.info.blankLines, 1)
  })

  it('reverses a newest-first file into time order', () => {
    const r = parseCsvBars(
      'Date,Open,High,Low,Close,Volume\n2020-01-03,3,3,3,3,3\n2020-01-02,2,2,2,2,2\n2020-01-01,1,1,1,1,1\n',
    )
    assert.equal(r.info.reversed, true)
    assert.deepEqual([...r.series.close], [1, 2, 3])
    assert.deepEqual([...r.lines], [4, 3, 2])
  })

  it('keeps a file swapped in pairs in file order: reversing it would not put it in order', () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `2020-01-01T00:${String(i % 2 ? i - 1 : i + 1).padStart(2, '0')}:00Z,1,1,1,1,1`,
    )
    const r = parseCsvBars(`timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`, { timeframe: '1m' })
    assert.equal(r.info.reversed, false)
    assert.equal(isoUtc(r.series.openTime[0]!), '2020-01-01T00:01:00Z')
  })

  it('gives the same result whatever the chunk boundaries', async () => {
    const whole = await readCsvFile('data/bundled/BTC-USD_1m.csv')
    const small = await readCsvFile('data/bundled/BTC-USD_1m.csv', { chunkSize: 7 })
    assert.deepEqual(small.series, whole.series)
    assert.deepEqual(small.offsets, whole.offsets)
  })

  it('throws FILE_NOT_FOUND for a missing file and DATA_BAD_FILE for a header without prices', async () => {
    await assert.rejects(readCsvFile('no/such.csv'), (e) => isKestrelError(e, 'FILE_NOT_FOUND'))
    await assert.rejects(
      readCsvFile('data/bundled'),
      (e) => isKestrelError(e, 'DATA_BAD_FILE') && /not a file/.test(e.message),
    )
    assert.throws(
      () => parseCsvBars('when,price,size\n'),
      (e) =>
        isKestrelError(e, 'DATA_BAD_FILE') && /no column for timestamp, open, high, low, close, volume/.test(e.message),
    )
  })
})

describe('parseCsvBars properties', () => {
  const price = fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true })
  const bar = fc.record({ o: price, h: price, l: price, c: price, v: fc.double({ min: 0, max: 1e12, noNaN: true }) })
  const fmt = fc.constantFrom('iso', 'epoch_s', 'epoch_ms', 'compact', 'space')
  const delim = fc.constantFrom(',', ';', '\t', '|')

  function stamp(t: number, f: string): string {
    const s = isoUtc(t)
    if (f === 'iso') return s
    if (f === 'epoch_s') return String(t / 1000)
    if (f === 'epoch_ms') return String(t)
    if (f === 'compact') return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)} ${s.slice(11, 16)}`
    return `${s.slice(0, 10)} ${s.slice(11, 19)}`
  }

  it('round-trips random valid rows exactly, in any delimiter and timestamp form', () => {
    fc.assert(
      fc.property(fc.array(bar, { minLength: 2, maxLength: 40 }), fmt, delim, fc.boolean(), (bars, f, d, header) => {
        const t0 = Date.UTC(2015, 0, 5, 14, 30)
        const lines = bars.map((b, i) => [stamp(t0 + i * 60_000, f), b.o, b.h, b.l, b.c, b.v].join(d))
        const text = (header ? [['Datetime', 'Open', 'High', 'Low', 'Close', 'Volume'].join(d)] : [])
          .concat(lines)
          .join('\n')
        const r = parseCsvBars(text)
        assert.equal(r.problems.length, 0)
        assert.equal(r.series.timeframe, '1m')
        assert.deepEqual(
          [...r.series.openTime],
          bars.map((_, i) => t0 + i * 60_000),
        )
        assert.deepEqual(
          [...r.series.open],
          bars.map((b) => b.o),
        )
        assert.deepEqual(
          [...r.series.high],
          bars.map((b) => b.h),
        )
        assert.deepEqual(
          [...r.series.low],
          bars.map((b) => b.l),
        )
        assert.deepEqual(
          [...r.series.close],
          bars.map((b) => b.c),
        )
        assert.deepEqual(
          [...r.series.volume],
          bars.map((b) => b.v),
        )
      }),
      { numRuns: 150, seed: 42 },
    )
  })

  it('names the lines it could not read when too few rows are left to infer the timeframe', () => {
    const text = 'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,2,0.5,1,10\n2024-01-02T14:31:00Z,1,2\n'
    assert.throws(
      () => parseCsvBars(text, { source: 'tiny.csv' }),
      (e) =>
        isKestrelError(e, 'DATA_BAD_FILE') &&
        /cannot infer the timeframe from 1 valid row/.test(e.message) &&
        /line 3: expected 6 columns, found 3/.test(e.message) &&
        (e.details as { problems: { line: number }[] }).problems[0]!.line === 3,
    )
  })

  it('never throws an untyped error on garbage, and garbage lines never cost good rows', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(fc.oneof(fc.string({ maxLength: 8 }), fc.double().map(String)), { maxLength: 8 })
        .map((a) => a.join(',')),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), junk), { minLength: 1, maxLength: 30 }), (rows) => {
        const t0 = Date.UTC(2015, 0, 5, 14, 30)
        let good = 0
        const lines = ['timestamp,open,high,low,close,volume']
        rows.forEach(([isGood, j], i) => {
          if (isGood) {
            good++
            lines.push(`${isoUtc(t0 + i * 60_000)},1,2,0.5,1.5,10`)
          } else lines.push(j.replace(/[\r\n]/g, ' '))
        })
        try {
          const r = parseCsvBars(lines.join('\n'), { timeframe: '1m' })
          assert.ok(r.series.openTime.length >= good)
          assert.equal(r.series.openTime.length + r.problems.length, r.info.rowsRead)
        } catch (e) {
          assert.ok(isKestrelError(e), `untyped error: ${String(e)}`)
        }
        try {
          parseCsvBars(rows.map(([, j]) => j).join('\n'))
        } catch (e) {
          assert.ok(isKestrelError(e), `untyped error: ${String(e)}`)
        }
      }),
      { numRuns: 300, seed: 7 },
    )
  })
})
