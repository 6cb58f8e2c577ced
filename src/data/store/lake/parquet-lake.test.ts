import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { MS, isKestrelError, seriesLength, toBarSeries } from '../../../core/index.ts'
import type { Bar } from '../../../core/index.ts'
import { bundledBars } from '../../../../test/fixtures/providers/bundled.ts'
import { barsOf } from '../conformance.ts'
import { ParquetLake, monthOf, monthRange } from './parquet-lake.ts'

// The last 600 sessions of bundled SPY daily bars: about 29 months.
const SPY: Bar[] = bundledBars('SPY_1d')
  .slice(-600)
  .map((b) => ({
    instrumentId: 'SPY.ARCA',
    timeframe: '1d',
    openTime: b.t,
    closeTime: b.t + MS.day,
    open: b.o,
    high: b.h,
    low: b.l,
    close: b.c,
    volume: b.v,
  }))
const MONTHS = [...new Set(SPY.map((b) => monthOf(b.openTime)))]

describe('ParquetLake', () => {
  let dir: string
  let lake: ParquetLake
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-lake-'))
    lake = new ParquetLake(join(dir, 'lake'))
    await lake.init()
  })
  after(async () => {
    await lake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('computes UTC months and their bounds', () => {
    assert.equal(monthOf(Date.UTC(2024, 0, 31, 23, 59)), '2024-01')
    assert.deepEqual(monthRange('2024-12'), [Date.UTC(2024, 11, 1), Date.UTC(2025, 0, 1)])
  })

  it('writes one Parquet file per symbol/timeframe/month partition, once', async () => {
    assert.equal(await lake.writeBars(toBarSeries(SPY)), SPY.length)
    const base = join(dir, 'lake', 'symbol=SPY.ARCA', 'timeframe=1d')
    assert.deepEqual(
      readdirSync(base).sort(),
      MONTHS.map((m) => `month=${m}`),
    )
    for (const m of MONTHS) assert.deepEqual(readdirSync(join(base, `month=${m}`)), ['data.parquet'])
    assert.equal(await lake.writeBars(toBarSeries(SPY)), 0)
    assert.equal(await lake.count('SPY.ARCA', '1d'), SPY.length)
  })

  it('reads back exactly what was written, and any range of it', async () => {
    assert.deepEqual(barsOf(await lake.readBars('SPY.ARCA', '1d')), SPY)
    const from = SPY[100]!.openTime
    const to = SPY[350]!.openTime
    assert.deepEqual(barsOf(await lake.readBars('SPY.ARCA', '1d', { from, to })), SPY.slice(100, 350))
  })

  it('is a hive-partitioned table other tools can query', async () => {
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const r = await c.runAndReadAll(
      `SELECT symbol, timeframe, count(*)::INTEGER AS n, count(DISTINCT month)::INTEGER AS months
       FROM read_parquet('${join(dir, 'lake')}/**/*.parquet', hive_partitioning = true) GROUP BY ALL`,
    )
    assert.deepEqual(r.getRowObjectsJS(), [
      { symbol: 'SPY.ARCA', timeframe: '1d', n: SPY.length, months: MONTHS.length },
    ])
    c.closeSync()
    db.closeSync()
  })

  it('merges new bars into existing months, keeping the bars it had', async () => {
    const changed = SPY.slice(0, 3).map((b) => ({ ...b, close: b.close + 1 }))
    const later = {
      ...SPY.at(-1)!,
      openTime: SPY.at(-1)!.openTime + 3 * MS.day,
      closeTime: SPY.at(-1)!.openTime + 4 * MS.day,
    }
    assert.equal(await lake.writeBars(toBarSeries([...changed, later])), 1)
    const got = barsOf(await lake.readBars('SPY.ARCA', '1d'))
    assert.deepEqual(got.slice(0, 3), SPY.slice(0, 3))
    assert.deepEqual(got.at(-1), later)
    assert.equal(await lake.deleteBars('SPY.ARCA', '1d', { from: later.openTime }), 1)
  })

  it('streams in bounded chunks across month files', async () => {
    const sizes: number[] = []
    for await (const s of lake.streamBars('SPY.ARCA', '1d', undefined, 128)) sizes.push(seriesLength(s))
    assert.ok(sizes.every((n) => n <= 128))
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      SPY.length,
    )
  })

  it('deletes a range by rewriting its months and removes emptied partitions', async () => {
    const [lo, hi] = monthRange(MONTHS[0]!)
    const inFirst = SPY.filter((b) => b.openTime >= lo && b.openTime < hi).length
    assert.equal(await lake.deleteBars('SPY.ARCA', '1d', { to: hi }), inFirst)
    assert.equal(existsSync(lake.partitionDir('SPY.ARCA', '1d', MONTHS[0]!)), false)
    assert.equal(await lake.count('SPY.ARCA', '1d'), SPY.length - inFirst)
    const s = (await lake.summary())[0]!
    assert.equal(s.rows, SPY.length - inFirst)
    assert.equal(s.first, SPY[inFirst]!.openTime)
    assert.equal(s.last, SPY.at(-1)!.openTime)
    assert.deepEqual(s.months, MONTHS.slice(1))
  })

  it('names the lake and series when a partition file is corrupt', async () => {
    const l = new ParquetLake(join(dir, 'corrupt'))
    await l.init()
    try {
      await l.writeBars(toBarSeries(SPY.slice(0, 5)))
      const file = join(l.partitionDir('SPY.ARCA', '1d', monthOf(SPY[0]!.openTime)), 'data.parquet')
      writeFileSync(file, 'not parquet')
      await assert.rejects(
        () => l.readBars('SPY.ARCA', '1d'),
        (e) =>
          isKestrelError(e, 'DATA_BAD_FILE') &&
          e.message.startsWith(`lake ${join(dir, 'corrupt')}: cannot read SPY.ARCA 1d`),
      )
      await assert.rejects(
        () => l.writeBars(toBarSeries(SPY.slice(0, 5))),
        (e) => isKestrelError(e, 'DATA_BAD_FILE') && e.message.includes(file),
      )
    } finally {
      await l.close()
    }
  })

  it('removes temp files a killed writer left (and the month folder it had only just made) when it opens', async () => {
    const root = join(dir, 'stranded')
    const l = new ParquetLake(root)
    await l.init()
    await l.writeBars(toBarSeries(SPY.slice(0, 5)))
    await l.close()
    const month = l.partitionDir('SPY.ARCA', '1d', monthOf(SPY[0]!.openTime))
    const fresh = l.partitionDir('SPY.ARCA', '1d', '1999-01')
    mkdirSync(fresh, { recursive: true })
    // PID 2^22 + 1 is above Linux's pid_max: no such process runs.
    writeFileSync(join(month, 'data.parquet.tmp-4194305'), 'half a file')
    writeFileSync(join(fresh, 'data.parquet.tmp-4194305'), 'half a file')
    writeFileSync(join(month, `data.parquet.tmp-${process.ppid}`), 'a running writer') // alive: kept
    const again = new ParquetLake(root)
    await again.init()
    try {
      assert.deepEqual(readdirSync(month).sort(), ['data.parquet', `data.parquet.tmp-${process.ppid}`])
      assert.equal(existsSync(fresh), false)
      assert.equal(seriesLength(await again.readBars('SPY.ARCA', '1d')), 5)
    } finally {
      await again.close()
    }
  })

  it('says STATE_INVALID when used before init', async () => {
    const l = new ParquetLake(join(dir, 'other'))
    await assert.rejects(
      () => l.writeBars(toBarSeries(SPY.slice(0, 1))),
      (e) => isKestrelError(e, 'STATE_INVALID'),
    )
  })
})
