/**
 * An in-memory {@link BarStore}: the reference implementation of the store contract, used in tests, as the
 * hot tier in lake tests, and wherever a throwaway store is handy. Nothing is persisted.
 */
import { KestrelError, allocBarSeries, seriesLength, sliceSeries } from '../../core/index.ts'
import type { BarSeries, Instrument } from '../../core/index.ts'
import type {
  BarStore,
  ImportBatch,
  ImportCommit,
  IngestionRecord,
  QuarantinedRow,
  SeriesSummary,
  TimeRange,
} from './types.ts'

/** One stored bar: [closeTime, open, high, low, close, volume]. */
type Row = readonly [number, number, number, number, number, number]

/** Checks a series is well formed before a store writes it (equal column lengths, finite sorted open times). */
export function assertWritableSeries(series: BarSeries, where: string): void {
  if (!series.instrumentId) throw new KestrelError('PARAM_INVALID', `${where}: series has no instrumentId`)
  if (!series.timeframe)
    throw new KestrelError('PARAM_INVALID', `${where}: series ${series.instrumentId} has no timeframe`)
  const n = seriesLength(series)
  for (const k of ['closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) {
    if (series[k].length !== n) {
      throw new KestrelError(
        'PARAM_INVALID',
        `${where}: ${series.instrumentId} column ${k} has ${series[k].length} values, openTime has ${n}`,
        {
          instrumentId: series.instrumentId,
          column: k,
        },
      )
    }
  }
  for (let i = 0; i < n; i++) {
    const t = series.openTime[i]!
    if (!Number.isFinite(t)) {
      throw new KestrelError('DATA_BAD_ROW', `${where}: ${series.instrumentId} bar ${i} has a non-finite openTime`, {
        instrumentId: series.instrumentId,
        index: i,
      })
    }
  }
}

/** The number of one more import of (instrument, timeframe): the latest recorded plus one. */
export function nextIngestion(log: readonly IngestionRecord[], instrumentId: string, timeframe: string): number {
  let v = 0
  for (const r of log)
    if (r.instrumentId === instrumentId && r.timeframe === timeframe && r.ingestion > v) v = r.ingestion
  return v + 1
}

/** True when `t` lies in the half-open range [from, to). */
export function inRange(t: number, range?: TimeRange): boolean {
  return (range?.from === undefined || t >= range.from) && (range?.to === undefined || t < range.to)
}

/** A {@link BarStore} held in process memory. */
export class MemoryStore implements BarStore {
  readonly kind = 'memory' as const
  private readonly bars = new Map<string, Map<number, Row>>()
  private readonly insts = new Map<string, Instrument>()
  private readonly quarantined: QuarantinedRow[] = []
  private readonly ingestLog: IngestionRecord[] = []
  private closed = false

  /** Nothing to set up; present for the contract. */
  async init(): Promise<void> {}

  /** Inserts or replaces an instrument by id. */
  async upsertInstrument(inst: Instrument): Promise<void> {
    this.open()
    this.insts.set(inst.id, inst)
  }

  /** All instruments, sorted by id. */
  async instruments(): Promise<Instrument[]> {
    this.open()
    return [...this.insts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  /** The instrument with `id`, if stored. */
  async getInstrument(id: string): Promise<Instrument | undefined> {
    this.open()
    return this.insts.get(id)
  }

  /** Inserts bars whose open time is not stored yet; returns how many were new. */
  async writeBars(series: BarSeries): Promise<number> {
    this.open()
    assertWritableSeries(series, 'memory store writeBars')
    const key = seriesKey(series.instrumentId, series.timeframe)
    let m = this.bars.get(key)
    if (!m) this.bars.set(key, (m = new Map()))
    let added = 0
    for (let i = 0; i < seriesLength(series); i++) {
      const t = series.openTime[i]!
      if (m.has(t)) continue
      m.set(t, [
        series.closeTime[i]!,
        series.open[i]!,
        series.high[i]!,
        series.low[i]!,
        series.close[i]!,
        series.volume[i]!,
      ])
      added++
    }
    return added
  }

  /** Bars in [from, to), sorted by open time. */
  async readBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<BarSeries> {
    this.open()
    const m = this.bars.get(seriesKey(instrumentId, timeframe))
    const times = m ? [...m.keys()].filter((t) => inRange(t, range)).sort((a, b) => a - b) : []
    const s = allocBarSeries(instrumentId, timeframe, times.length)
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!
      const r = m!.get(t)!
      s.openTime[i] = t
      s.closeTime[i] = r[0]
      s.open[i] = r[1]
      s.high[i] = r[2]
      s.low[i] = r[3]
      s.close[i] = r[4]
      s.volume[i] = r[5]
    }
    return s
  }

  /** Yields the range in chunks of at most `chunkSize` bars. */
  async *streamBars(
    instrumentId: string,
    timeframe: string,
    range?: TimeRange,
    chunkSize = 100_000,
  ): AsyncIterable<BarSeries> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new KestrelError('PARAM_INVALID', `streamBars(chunkSize): expected a positive integer, got ${chunkSize}`)
    }
    const all = await this.readBars(instrumentId, timeframe, range)
    const n = seriesLength(all)
    for (let i = 0; i < n; i += chunkSize) yield sliceSeries(all, i, Math.min(n, i + chunkSize))
  }

  /** Deletes bars in [from, to); returns how many were removed. */
  async deleteBars(instrumentId: string, timeframe: string, range?: TimeRange): Promise<number> {
    this.open()
    const m = this.bars.get(seriesKey(instrumentId, timeframe))
    if (!m) return 0
    let n = 0
    for (const t of [...m.keys()]) {
      if (inRange(t, range)) {
        m.delete(t)
        n++
      }
    }
    if (m.size === 0) this.bars.delete(seriesKey(instrumentId, timeframe))
    return n
  }

  /** Appends quarantined rows. */
  async writeQuarantine(rows: readonly QuarantinedRow[]): Promise<void> {
    this.open()
    this.quarantined.push(...rows)
  }

  /** Quarantined rows, optionally filtered by source and instrument, in insertion order. */
  async quarantine(filter?: { source?: string; instrumentId?: string }): Promise<QuarantinedRow[]> {
    this.open()
    return this.quarantined.filter(
      (r) =>
        (filter?.source === undefined || r.source === filter.source) &&
        (filter?.instrumentId === undefined || r.instrumentId === filter.instrumentId),
    )
  }

  /** Appends an ingestion record. */
  async recordIngestion(rec: IngestionRecord): Promise<void> {
    this.open()
    this.ingestLog.push(rec)
  }

  /** One import, all or nothing: checks everything before the first change. */
  async commitImport(batch: ImportBatch): Promise<ImportCommit> {
    this.open()
    assertWritableSeries(batch.bars, 'memory store commitImport')
    const r = batch.record
    const prior = await this.findIngestion(r.fileHash, r.instrumentId, r.timeframe)
    if (prior) return { skipped: true, inserted: 0, ingestion: prior.ingestion }
    const ingestion = nextIngestion(this.ingestLog, r.instrumentId, r.timeframe)
    this.insts.set(batch.instrument.id, batch.instrument)
    const inserted = await this.writeBars(batch.bars)
    this.quarantined.push(...batch.quarantine)
    this.ingestLog.push({ ...r, ingestion })
    return { skipped: false, inserted, ingestion }
  }

  /** The latest ingestion of this file hash for the instrument and timeframe. */
  async findIngestion(fileHash: string, instrumentId: string, timeframe: string): Promise<IngestionRecord | undefined> {
    this.open()
    return this.ingestLog.findLast(
      (r) => r.fileHash === fileHash && r.instrumentId === instrumentId && r.timeframe === timeframe,
    )
  }

  /** All ingestion records in insertion order. */
  async ingestions(): Promise<IngestionRecord[]> {
    this.open()
    return [...this.ingestLog]
  }

  /** One line per stored (instrument, timeframe), sorted by instrument then timeframe. */
  async summary(): Promise<SeriesSummary[]> {
    this.open()
    const out: SeriesSummary[] = []
    for (const [key, m] of this.bars) {
      const [instrumentId, timeframe] = splitKey(key)
      let first = Infinity
      let last = -Infinity
      for (const t of m.keys()) {
        if (t < first) first = t
        if (t > last) last = t
      }
      out.push({
        instrumentId,
        symbol: this.insts.get(instrumentId)?.symbol ?? symbolOf(instrumentId),
        timeframe,
        rows: m.size,
        first,
        last,
        quarantined: this.quarantined.filter((q) => q.instrumentId === instrumentId && q.timeframe === timeframe)
          .length,
      })
    }
    return out.sort((a, b) => cmp(a.instrumentId, b.instrumentId) || cmp(a.timeframe, b.timeframe))
  }

  /** Marks the store closed; later calls throw STATE_INVALID. */
  async close(): Promise<void> {
    this.closed = true
  }

  private open(): void {
    if (this.closed) throw new KestrelError('STATE_INVALID', 'memory store is closed')
  }
}

/** The symbol part of an instrument id `SYMBOL.VENUE`. */
export function symbolOf(instrumentId: string): string {
  const i = instrumentId.lastIndexOf('.')
  return i > 0 ? instrumentId.slice(0, i) : instrumentId
}

function seriesKey(instrumentId: string, timeframe: string): string {
  return `${instrumentId}\u0000${timeframe}`
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000')
  return [key.slice(0, i), key.slice(i + 1)]
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
