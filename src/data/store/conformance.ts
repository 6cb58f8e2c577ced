/**
 * The store contract as a test suite: every {@link BarStore} (memory, DuckDB, PostgreSQL, lake-tiered) runs
 * the same assertions, so a caller can swap one for another without surprises. Call it from a `*.test.ts`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { makeInstrument, seriesLength, toBarSeries } from '../../core/index.ts'
import type { Bar, BarSeries } from '../../core/index.ts'
import type { BarStore, IngestionRecord, QuarantinedRow } from './types.ts'

/** Makes a fresh, empty store (not yet `init`ed) and says how to dispose of it after `close`. */
export type StoreFactory = () => Promise<{ store: BarStore; dispose?: () => Promise<void> }>

export interface ConformanceOptions {
  /** fast-check runs for the property test (slow backends use fewer). Default 25. */
  readonly propertyRuns?: number
  /** `{ skip: message }` to skip the whole suite (e.g. service not running). */
  readonly skip?: false | string
}

const T0 = Date.UTC(2024, 0, 2, 14, 30)
const MIN = 60_000

/** A deterministic 1-minute bar `i` minutes after `T0` (prices chosen to need exact float round-trips). */
export function sampleBar(i: number, instrumentId = 'BTC-USD.TEST', timeframe = '1m', base = 100): Bar {
  const open = base + i * 0.1 + 0.2
  return {
    instrumentId,
    timeframe,
    openTime: T0 + i * MIN,
    closeTime: T0 + (i + 1) * MIN,
    open,
    high: open + 0.3,
    low: open - 0.7,
    close: open + 0.05,
    volume: 1e-8 + i,
  }
}

/** Bars `is` of {@link sampleBar} as a series, in the given order. */
export function sampleSeries(is: readonly number[], instrumentId = 'BTC-USD.TEST', timeframe = '1m', base = 100) {
  return toBarSeries(
    is.map((i) => sampleBar(i, instrumentId, timeframe, base)),
    instrumentId,
    timeframe,
  )
}

/** A series as plain bar objects (for deep equality). */
export function barsOf(s: BarSeries): Bar[] {
  const out: Bar[] = []
  for (let i = 0; i < seriesLength(s); i++) {
    out.push({
      instrumentId: s.instrumentId,
      timeframe: s.timeframe,
      openTime: s.openTime[i]!,
      closeTime: s.closeTime[i]!,
      open: s.open[i]!,
      high: s.high[i]!,
      low: s.low[i]!,
      close: s.close[i]!,
      volume: s.volume[i]!,
    })
  }
  return out
}

/** JSON-normal form: drops `undefined` properties, which a store that serialises cannot keep. */
function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v))
}

/** Registers the conformance suite for one store under `describe(name)`. */
export function runStoreConformance(name: string, factory: StoreFactory, opts: ConformanceOptions = {}): void {
  describe(`BarStore conformance: ${name}`, { skip: opts.skip }, () => {
    let store: BarStore
    let dispose: (() => Promise<void>) | undefined
    let n = 0
    // Each test uses its own instrument id so the tests stay independent on one store.
    const id = (tag: string) => `T${n}-${tag}.TEST`

    before(async () => {
      const made = await factory()
      store = made.store
      dispose = made.dispose
      await store.init()
      await store.init() // idempotent
    })
    after(async () => {
      await store?.close()
      await dispose?.()
    })

    it('writes bars idempotently and counts only new rows', async () => {
      n++
      const inst = id('idem')
      assert.equal(await store.writeBars(sampleSeries([0, 1, 2, 3], inst)), 4)
      assert.equal(await store.writeBars(sampleSeries([0, 1, 2, 3], inst)), 0)
      assert.equal(await store.writeBars(sampleSeries([2, 3, 4, 5], inst)), 2)
      const got = await store.readBars(inst, '1m')
      assert.deepEqual(
        barsOf(got),
        [0, 1, 2, 3, 4, 5].map((i) => sampleBar(i, inst)),
      )
    })

    it('keeps the first value written for an open time (replaces none)', async () => {
      n++
      const inst = id('first')
      await store.writeBars(sampleSeries([0, 1], inst, '1m', 100))
      assert.equal(await store.writeBars(sampleSeries([1, 2], inst, '1m', 200)), 1)
      const got = barsOf(await store.readBars(inst, '1m'))
      assert.equal(got[1]!.open, sampleBar(1, inst, '1m', 100).open)
      assert.equal(got[2]!.open, sampleBar(2, inst, '1m', 200).open)
    })

    it('returns bars sorted by open time whatever the write order, with exact float values', async () => {
      n++
      const inst = id('sort')
      await store.writeBars(sampleSeries([5, 1, 3], inst))
      await store.writeBars(sampleSeries([4, 0, 2], inst))
      const got = await store.readBars(inst, '1m')
      assert.deepEqual(
        barsOf(got),
        [0, 1, 2, 3, 4, 5].map((i) => sampleBar(i, inst)),
      )
      assert.equal(got.instrumentId, inst)
      assert.equal(got.timeframe, '1m')
    })

    it('reads a range inclusive of from and exclusive of to', async () => {
      n++
      const inst = id('range')
      await store.writeBars(sampleSeries([0, 1, 2, 3, 4, 5, 6], inst))
      const got = await store.readBars(inst, '1m', { from: T0 + 2 * MIN, to: T0 + 5 * MIN })
      assert.deepEqual(
        [...got.openTime],
        [2, 3, 4].map((i) => T0 + i * MIN),
      )
      assert.equal(seriesLength(await store.readBars(inst, '1m', { from: T0 + 7 * MIN })), 0)
      assert.deepEqual([...(await store.readBars(inst, '1m', { to: T0 + 2 * MIN })).openTime], [T0, T0 + MIN])
    })

    it('keeps instruments and timeframes apart and reads an unknown series as empty', async () => {
      n++
      const a = id('a')
      const b = id('b')
      await store.writeBars(sampleSeries([0, 1], a, '1m'))
      await store.writeBars(sampleSeries([0], a, '5m'))
      await store.writeBars(sampleSeries([0, 1, 2], b, '1m'))
      assert.equal(seriesLength(await store.readBars(a, '1m')), 2)
      assert.equal(seriesLength(await store.readBars(a, '5m')), 1)
      assert.equal(seriesLength(await store.readBars(b, '1m')), 3)
      const none = await store.readBars(id('none'), '1m')
      assert.equal(seriesLength(none), 0)
    })

    it('streams in chunks no larger than chunkSize that concatenate to readBars', async () => {
      n++
      const inst = id('stream')
      const is = Array.from({ length: 23 }, (_, i) => i)
      await store.writeBars(sampleSeries(is, inst))
      const range = { from: T0 + 2 * MIN, to: T0 + 21 * MIN }
      const sizes: number[] = []
      const bars: Bar[] = []
      for await (const chunk of store.streamBars(inst, '1m', range, 5)) {
        sizes.push(seriesLength(chunk))
        bars.push(...barsOf(chunk))
      }
      assert.deepEqual(sizes, [5, 5, 5, 4])
      assert.deepEqual(bars, barsOf(await store.readBars(inst, '1m', range)))
    })

    it('deletes a range and reports the count', async () => {
      n++
      const inst = id('del')
      await store.writeBars(sampleSeries([0, 1, 2, 3, 4], inst))
      assert.equal(await store.deleteBars(inst, '1m', { from: T0 + MIN, to: T0 + 3 * MIN }), 2)
      assert.deepEqual(
        [...(await store.readBars(inst, '1m')).openTime],
        [0, 3, 4].map((i) => T0 + i * MIN),
      )
      assert.equal(await store.deleteBars(inst, '1m', { from: T0 + MIN, to: T0 + 3 * MIN }), 0)
      assert.equal(await store.deleteBars(inst, '1m'), 3)
      assert.equal(seriesLength(await store.readBars(inst, '1m')), 0)
    })

    it('stores, replaces and lists instruments', async () => {
      n++
      const sym = `T${n}SYM`
      const inst = makeInstrument({ symbol: sym, venue: 'TEST', assetClass: 'equity' })
      await store.upsertInstrument(inst)
      assert.deepEqual(plain(await store.getInstrument(inst.id)), plain(inst))
      const changed = { ...inst, tickSize: 0.05, pricePrecision: 2 }
      await store.upsertInstrument(changed)
      assert.deepEqual(plain(await store.getInstrument(inst.id)), plain(changed))
      assert.equal((await store.instruments()).filter((i) => i.id === inst.id).length, 1)
      assert.equal(await store.getInstrument(`nope-${n}.TEST`), undefined)
    })

    it('keeps quarantined rows with their reason and filters them', async () => {
      n++
      const inst = id('q')
      const rows: QuarantinedRow[] = [
        {
          source: `file-${n}.csv`,
          instrumentId: inst,
          timeframe: '1m',
          line: 812,
          timestamp: T0,
          field: 'high',
          reason: 'HIGH_BELOW_OPEN',
          message: 'high 12.1 < open 12.4',
          severity: 'error',
          raw: '2024-01-02 14:30,12.4,12.1,12,12.2,100',
        },
        { source: `other-${n}`, reason: 'DUPLICATE_TIMESTAMP', message: 'dup', severity: 'warning', raw: 'x' },
      ]
      await store.writeQuarantine(rows)
      assert.deepEqual(await store.quarantine({ source: `file-${n}.csv` }), [rows[0]])
      assert.deepEqual(await store.quarantine({ instrumentId: inst }), [rows[0]])
      const all = await store.quarantine()
      assert.ok(all.some((r) => r.source === `other-${n}` && r.reason === 'DUPLICATE_TIMESTAMP'))
    })

    it('records ingestions and finds them by file hash, instrument and timeframe', async () => {
      n++
      const inst = id('ing')
      const rec: IngestionRecord = {
        source: 'AAPL_1m.csv',
        fileHash: `h${n}`.padEnd(64, '0'),
        instrumentId: inst,
        timeframe: '1m',
        rowsRead: 10,
        rowsAccepted: 9,
        rowsQuarantined: 1,
        importedAt: T0,
        ingestion: 1,
      }
      await store.recordIngestion(rec)
      assert.deepEqual(await store.findIngestion(rec.fileHash, inst, '1m'), rec)
      assert.equal(await store.findIngestion(rec.fileHash, inst, '5m'), undefined)
      assert.ok((await store.ingestions()).some((r) => r.fileHash === rec.fileHash))
    })

    it('commits an import (instrument, bars, quarantine, log) at once, versions it, and skips a recorded hash', async () => {
      n++
      const inst = id('imp')
      const instrument = makeInstrument({
        symbol: inst.split('.')[0]!,
        venue: inst.split('.')[1]!,
        assetClass: 'crypto',
      })
      const q = (k: number): QuarantinedRow => ({
        source: `imp-${n}.csv`,
        instrumentId: inst,
        timeframe: '1m',
        line: k,
        reason: 'R',
        message: 'm',
        severity: 'error',
        raw: `r${k}`,
      })
      const record = (h: string, rows: number) => ({
        source: `imp-${n}.csv`,
        fileHash: h.padEnd(64, '0'),
        instrumentId: inst,
        timeframe: '1m',
        rowsRead: rows + 1,
        rowsAccepted: rows,
        rowsQuarantined: 1,
        importedAt: T0,
      })
      const a = await store.commitImport({
        instrument,
        bars: sampleSeries([0, 1, 2], inst),
        quarantine: [q(1)],
        record: record('a', 3),
      })
      assert.deepEqual(a, { skipped: false, inserted: 3, ingestion: 1 })
      assert.equal((await store.getInstrument(inst))?.id, inst)
      const b = await store.commitImport({
        instrument,
        bars: sampleSeries([2, 3], inst),
        quarantine: [q(2)],
        record: record('b', 2),
      })
      assert.deepEqual(b, { skipped: false, inserted: 1, ingestion: 2 })
      const again = await store.commitImport({
        instrument,
        bars: sampleSeries([9], inst),
        quarantine: [q(3)],
        record: record('a', 1),
      })
      assert.deepEqual(again, { skipped: true, inserted: 0, ingestion: 1 })
      assert.equal(seriesLength(await store.readBars(inst, '1m')), 4)
      assert.deepEqual(
        (await store.quarantine({ instrumentId: inst })).map((r) => r.line),
        [1, 2],
      )
      assert.deepEqual(
        (await store.ingestions()).filter((r) => r.instrumentId === inst).map((r) => [r.fileHash[0], r.ingestion]),
        [
          ['a', 1],
          ['b', 2],
        ],
      )
    })

    it('leaves nothing of an import whose quarantine the store cannot write (bars rolled back with it)', async () => {
      n++
      const inst = id('rb')
      const instrument = makeInstrument({
        symbol: inst.split('.')[0]!,
        venue: inst.split('.')[1]!,
        assetClass: 'crypto',
      })
      const batch = {
        instrument,
        bars: sampleSeries([0, 1, 2], inst),
        // A line number no INTEGER column holds: the write fails after the bars went in.
        quarantine: [
          {
            source: 'rb.csv',
            instrumentId: inst,
            timeframe: '1m',
            line: 2 ** 40,
            reason: 'R',
            message: 'm',
            severity: 'error' as const,
            raw: 'x',
          },
        ],
        record: {
          source: 'rb.csv',
          fileHash: `rb${n}`.padEnd(64, '0'),
          instrumentId: inst,
          timeframe: '1m',
          rowsRead: 4,
          rowsAccepted: 3,
          rowsQuarantined: 1,
          importedAt: T0,
        },
      }
      const hot = 'hot' in store ? (store as { hot: BarStore }).hot : store
      if (hot.kind === 'memory') return // keeps any number; nothing can fail half-way
      await assert.rejects(store.commitImport(batch))
      assert.equal(seriesLength(await store.readBars(inst, '1m')), 0)
      assert.deepEqual(await store.quarantine({ instrumentId: inst }), [])
      assert.equal(await store.findIngestion(batch.record.fileHash, inst, '1m'), undefined)
      assert.equal(await store.getInstrument(inst), undefined)
      // The store still works, and the same import then succeeds once the bad row is fixed.
      const ok = await store.commitImport({ ...batch, quarantine: [{ ...batch.quarantine[0]!, line: 4 }] })
      assert.deepEqual(ok, { skipped: false, inserted: 3, ingestion: 1 })
      assert.equal(seriesLength(await store.readBars(inst, '1m')), 3)
    })

    it('summarises each series with rows, first, last and quarantined count', async () => {
      n++
      const inst = id('sum')
      await store.writeBars(sampleSeries([3, 0, 7], inst))
      await store.writeQuarantine([
        { source: 's', instrumentId: inst, timeframe: '1m', reason: 'R', message: 'm', severity: 'error', raw: '' },
      ])
      const s = (await store.summary()).find((x) => x.instrumentId === inst && x.timeframe === '1m')
      assert.ok(s, 'summary has the series')
      assert.equal(s.rows, 3)
      assert.equal(s.first, T0)
      assert.equal(s.last, T0 + 7 * MIN)
      assert.equal(s.quarantined, 1)
    })

    it('matches a model of first-write-wins sets under random writes and range reads (property)', async () => {
      let run = 0
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 20 }), { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 61 }),
          async (writes, a, b) => {
            run++
            const inst = `P${n}-${run}.TEST`
            const model = new Map<number, Bar>()
            for (const [w, is] of writes.entries()) {
              const uniq = [...new Set(is)]
              const added = await store.writeBars(sampleSeries(uniq, inst, '1m', 100 + w))
              let expect = 0
              for (const i of uniq) {
                if (!model.has(i)) {
                  model.set(i, sampleBar(i, inst, '1m', 100 + w))
                  expect++
                }
              }
              assert.equal(added, expect)
            }
            const [lo, hi] = a <= b ? [a, b] : [b, a]
            const got = barsOf(await store.readBars(inst, '1m', { from: T0 + lo * MIN, to: T0 + hi * MIN }))
            const want = [...model.entries()]
              .filter(([i]) => i >= lo && i < hi)
              .sort((x, y) => x[0] - y[0])
              .map(([, bar]) => bar)
            assert.deepEqual(got, want)
          },
        ),
        { numRuns: opts.propertyRuns ?? 25, seed: 20240102 },
      )
    })
  })
}
