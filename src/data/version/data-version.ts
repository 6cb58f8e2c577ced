/**
 * The data version: one identifier for "these bars, from these ingestions", used by backtest results, the
 * feature cache and model lineage alike.
 *
 *   bars hash   = sha256 over the canonical bytes of the bars read, in order
 *   dataVersion = sha256("kestrel-data/1\n" + bars hash + "\n" + the sorted ingestion ids, one per line)
 *
 * Canonical bytes: the text `kestrel-bars/1\n`, then for each run of bars of one series a header (0x00, then the
 * instrument id and the timeframe as UTF-8, each prefixed by its byte length as a uint32 little-endian), then per
 * bar six float64 little-endian values: open time (epoch ms), open, high, low, close, volume. -0 is written as 0
 * and every NaN as the one quiet NaN, so a value that prints the same hashes the same. Chunk boundaries do not
 * matter: a header is written only when the series changes. The same bars read from a CSV file or from a store
 * give the same bars hash; the ingestion ids (empty for a file) tell the two apart in the data version.
 */
import { createHash, type Hash } from 'node:crypto'
import type { BarSeries } from '../../core/index.ts'
import type { BarStore, IngestionRecord, TimeRange } from '../store/types.ts'

const BARS_MAGIC = 'kestrel-bars/1\n'
const VERSION_MAGIC = 'kestrel-data/1\n'
const FIELDS = ['openTime', 'open', 'high', 'low', 'close', 'volume'] as const
const CHUNK_BARS = 4096

/** The version of a set of bars: their hash, how many, the ingestions they came from, and the combined version. */
export interface DataVersion {
  /** sha256 (hex) of the canonical bytes of the bars (see the module comment). */
  readonly barsHash: string
  /** Bars hashed. */
  readonly bars: number
  /** Ids of the store ingestions the bars came from, sorted; empty for bars read from a file. */
  readonly ingestions: readonly string[]
  /** sha256 (hex) of the bars hash and the ingestion ids: the data version. */
  readonly dataVersion: string
}

/** Hashes bars incrementally: feed the chunks of one series after another, in time order. */
export class BarHasher {
  private readonly hash: Hash = createHash('sha256').update(BARS_MAGIC)
  private readonly scratch = new DataView(new ArrayBuffer(CHUNK_BARS * 48))
  private series: string | undefined
  private n = 0

  /** Bars hashed so far. */
  get bars(): number {
    return this.n
  }

  /** Adds the bars of `s` (a whole series or the next chunk of it). */
  update(s: BarSeries): this {
    const key = `${s.instrumentId}\u0000${s.timeframe}`
    if (key !== this.series) {
      this.series = key
      const id = Buffer.from(s.instrumentId, 'utf8')
      const tf = Buffer.from(s.timeframe, 'utf8')
      const head = Buffer.alloc(9 + id.length + tf.length)
      head.writeUInt32LE(id.length, 1)
      id.copy(head, 5)
      head.writeUInt32LE(tf.length, 5 + id.length)
      tf.copy(head, 9 + id.length)
      this.hash.update(head)
    }
    const cols = FIELDS.map((f) => s[f])
    const n = s.openTime.length
    const view = this.scratch
    for (let at = 0; at < n; at += CHUNK_BARS) {
      const end = Math.min(n, at + CHUNK_BARS)
      let o = 0
      for (let i = at; i < end; i++) {
        for (const c of cols) {
          const v = c[i]!
          view.setFloat64(o, v === 0 ? 0 : Number.isNaN(v) ? NaN : v, true)
          o += 8
        }
      }
      this.hash.update(new Uint8Array(view.buffer, 0, o))
    }
    this.n += n
    return this
  }

  /** The bars hash (hex). The hasher cannot be used after this. */
  digest(): string {
    return this.hash.digest('hex')
  }
}

/** The bars hash of whole series, in the order given. */
export function barsHash(...series: readonly BarSeries[]): string {
  const h = new BarHasher()
  for (const s of series) h.update(s)
  return h.digest()
}

/** The data version of a bars hash and the ingestion ids the bars came from (their order does not matter). */
export function dataVersionOf(barsHashHex: string, ingestions: readonly string[] = []): Omit<DataVersion, 'bars'> {
  const ids = [...new Set(ingestions)].sort()
  const dataVersion = createHash('sha256')
    .update(`${VERSION_MAGIC}${barsHashHex}\n${ids.join('\n')}`)
    .digest('hex')
  return { barsHash: barsHashHex, ingestions: ids, dataVersion }
}

/** The data version of series read from a file (no ingestions) or from a store (give the ingestion ids). */
export function dataVersion(series: readonly BarSeries[], ingestions: readonly string[] = []): DataVersion {
  const h = new BarHasher()
  for (const s of series) h.update(s)
  return { ...dataVersionOf(h.digest(), ingestions), bars: h.bars }
}

/** The id of one ingestion: `<instrument id>/<timeframe>/<its number within the series>` (`SPY.ARCA/1d/2`). */
export function ingestionId(rec: Pick<IngestionRecord, 'instrumentId' | 'timeframe' | 'ingestion'>): string {
  return `${rec.instrumentId}/${rec.timeframe}/${rec.ingestion}`
}

/**
 * The ids of the ingestions a stored series' bars came from: every ingestion of the series that accepted at least
 * one row (the log does not record which bars each wrote, so a range read names all of them).
 */
export async function seriesIngestionIds(
  store: Pick<BarStore, 'ingestions'>,
  instrumentId: string,
  timeframe: string,
): Promise<string[]> {
  return (await store.ingestions())
    .filter((r) => r.instrumentId === instrumentId && r.timeframe === timeframe && r.rowsAccepted > 0)
    .map(ingestionId)
    .sort()
}

/** The data version of a stored series (both tiers when `store` is tiered), streamed so memory stays bounded. */
export async function storedDataVersion(
  store: Pick<BarStore, 'ingestions' | 'streamBars'>,
  instrumentId: string,
  timeframe: string,
  range?: TimeRange,
): Promise<DataVersion> {
  const h = new BarHasher()
  for await (const chunk of store.streamBars(instrumentId, timeframe, range)) h.update(chunk)
  const ids = await seriesIngestionIds(store, instrumentId, timeframe)
  return { ...dataVersionOf(h.digest(), ids), bars: h.bars }
}
