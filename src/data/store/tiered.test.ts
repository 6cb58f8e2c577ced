import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MS, isKestrelError, seriesLength, toBarSeries } from '../../core/index.ts'
import type { Bar } from '../../core/index.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { barsOf, runStoreConformance, sampleBar } from './conformance.ts'
import { DuckDbStore } from './duckdb/index.ts'
import { ParquetLake } from './lake/index.ts'
import { MemoryStore } from './memory.ts'
import { TieredStore } from './tiered.ts'
import type { BarStore } from './types.ts'

const T0 = sampleBar(0).openTime

/** Tiered store whose hot window ends 3 minutes after the sample bars start: every series spans both tiers. */
function tieredFactory(makeHot: () => BarStore) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-tiered-'))
    const store = new TieredStore(makeHot(), new ParquetLake(join(dir, 'lake')), {
      hotWindowMs: 0,
      now: () => T0 + 3 * MS.minute,
      archiveOnWrite: true,
    })
    return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
  }
}

runStoreConformance(
  'lake-tiered over memory',
  tieredFactory(() => new MemoryStore()),
  { propertyRuns: 10 },
)
runStoreConformance(
  'lake-tiered over duckdb',
  tieredFactory(() => new DuckDbStore(':memory:')),
  { propertyRuns: 10 },
)

const AAPL: Bar[] = bundledBars('AAPL_1d')
  .slice(-800)
  .map((b) => ({
    instrumentId: 'AAPL.NASDAQ',
    timeframe: '1d',
    openTime: b.t,
    closeTime: b.t + MS.day,
    open: b.o,
    high: b.h,
    low: b.l,
    close: b.c,
    volume: b.v,
  }))
const NOW = AAPL.at(-1)!.openTime + MS.day
const CUTOFF = NOW - 365 * MS.day

describe('TieredStore lifecycle on bundled AAPL daily bars', () => {
  let dir: string
  let hot: DuckDbStore
  let lake: ParquetLake
  let store: TieredStore
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-tiered-'))
    hot = new DuckDbStore(join(dir, 'hot.duckdb'))
    lake = new ParquetLake(join(dir, 'lake'))
    store = new TieredStore(hot, lake, { hotWindowMs: 365 * MS.day, now: () => NOW })
    await store.init()
    assert.equal(await store.writeBars(toBarSeries(AAPL)), AAPL.length)
  })
  after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('moves bars older than the hot window to the lake and reads both tiers as one', async () => {
    const old = AAPL.filter((b) => b.openTime < CUTOFF)
    const [report] = await store.archive()
    assert.deepEqual(report, {
      instrumentId: 'AAPL.NASDAQ',
      timeframe: '1d',
      cutoff: CUTOFF,
      moved: old.length,
      newInLake: old.length,
    })
    assert.equal(seriesLength(await hot.readBars('AAPL.NASDAQ', '1d')), AAPL.length - old.length)
    assert.equal(await lake.count('AAPL.NASDAQ', '1d'), old.length)
    assert.deepEqual(barsOf(await store.readBars('AAPL.NASDAQ', '1d')), AAPL)
    const from = AAPL[old.length - 5]!.openTime
    const to = AAPL[old.length + 5]!.openTime
    assert.deepEqual(
      barsOf(await store.readBars('AAPL.NASDAQ', '1d', { from, to })),
      AAPL.slice(old.length - 5, old.length + 5),
    )
    const [sum] = await store.summary()
    assert.equal(sum!.rows, AAPL.length)
    assert.equal(sum!.first, AAPL[0]!.openTime)
    assert.equal(sum!.last, AAPL.at(-1)!.openTime)
    assert.deepEqual(await store.archive(), []) // nothing left to move
  })

  it('does not take back a bar the lake already holds (writes stay idempotent across tiers)', async () => {
    assert.equal(await store.writeBars(toBarSeries(AAPL)), 0)
    assert.equal(seriesLength(await hot.readBars('AAPL.NASDAQ', '1d', { to: CUTOFF })), 0)
  })

  it('lets the hot tier win where both hold a bar', async () => {
    const b = AAPL[10]!
    await hot.writeBars(toBarSeries([{ ...b, close: 999 }]))
    const got = await store.readBars('AAPL.NASDAQ', '1d', { from: b.openTime, to: b.openTime + 1 })
    assert.equal(got.close[0], 999)
    assert.equal(seriesLength(await store.readBars('AAPL.NASDAQ', '1d')), AAPL.length)
    await hot.deleteBars('AAPL.NASDAQ', '1d', { from: b.openTime, to: b.openTime + 1 })
  })

  it('restores a range from the lake on demand', async () => {
    const from = AAPL[0]!.openTime
    const to = AAPL[30]!.openTime
    assert.equal(await store.restore('AAPL.NASDAQ', '1d', { from, to }), 30)
    assert.deepEqual(barsOf(await hot.readBars('AAPL.NASDAQ', '1d', { from, to })), AAPL.slice(0, 30))
    assert.equal(await lake.count('AAPL.NASDAQ', '1d', { from, to }), 0)
    assert.deepEqual(barsOf(await store.readBars('AAPL.NASDAQ', '1d')), AAPL)
  })

  it('summarises a series held only in the lake, with its quarantine count from the hot store', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kestrel-tiered-'))
    const t = new TieredStore(new MemoryStore(), new ParquetLake(join(d, 'lake')), { hotWindowMs: 0, now: () => NOW })
    try {
      await t.init()
      await t.writeBars(toBarSeries(AAPL.slice(0, 20)))
      await t.writeQuarantine([
        {
          source: 's',
          instrumentId: 'AAPL.NASDAQ',
          timeframe: '1d',
          reason: 'R',
          message: 'm',
          severity: 'error',
          raw: '',
        },
      ])
      await t.archive()
      assert.equal(seriesLength(await t.hot.readBars('AAPL.NASDAQ', '1d')), 0)
      assert.deepEqual(await t.summary(), [
        {
          instrumentId: 'AAPL.NASDAQ',
          symbol: 'AAPL',
          timeframe: '1d',
          rows: 20,
          first: AAPL[0]!.openTime,
          last: AAPL[19]!.openTime,
          quarantined: 1,
        },
      ])
    } finally {
      await t.close()
      rmSync(d, { recursive: true, force: true })
    }
  })

  it('leaves the hot store untouched when the lake cannot take the bars', async () => {
    const brokenLake = new ParquetLake(join(dir, 'never-opened'))
    const h = new MemoryStore()
    await h.writeBars(toBarSeries(AAPL.slice(0, 50)))
    const t = new TieredStore(h, brokenLake, { hotWindowMs: 0, now: () => NOW })
    await assert.rejects(
      () => t.archive(),
      (e) => isKestrelError(e, 'STATE_INVALID'),
    )
    assert.equal(seriesLength(await h.readBars('AAPL.NASDAQ', '1d')), 50)
  })
})
