/**
 * A download into a store: each chunk from a {@link BarSource} is validated (ingest stage, per chunk: robust
 * statistics over the chunk; no calendar gap check, since gaps would be cut at chunk edges), its good bars are
 * written, its bad rows quarantined with the reason, and only then is the checkpoint saved — so a resumed run
 * never skips a bar that was not stored. The finished download goes into the ingestion log.
 */
import { createHash } from 'node:crypto'
import { isoUtc } from '../../core/index.ts'
import type { BarSeries, Instrument } from '../../core/index.ts'
import type { BarStore, IngestionRecord, QuarantinedRow } from '../store/types.ts'
import { countByReason, partitionSeries, validateIngest } from '../validation/index.ts'
import type { Finding } from '../validation/index.ts'
import { clearCheckpoint, saveCheckpoint } from './checkpoint.ts'
import type { BarSource, FetchProgress, FetchRequest, ResumeState } from './types.ts'

/** Settings of one download. */
export interface FetchIntoStoreOptions {
  /** Stamped on the bars and upserted into the store. Its id is the bars' instrument id. */
  readonly instrument: Instrument
  /** Continue from here (a saved checkpoint). */
  readonly resume?: ResumeState
  /** Where to save the checkpoint after each stored chunk; removed when the download completes. */
  readonly checkpointPath?: string
  readonly onProgress?: (p: FetchProgress) => void
}

/** What a download did. */
export interface FetchReport {
  readonly provider: string
  readonly instrumentId: string
  readonly timeframe: string
  readonly from: number
  readonly to: number
  readonly resumedFrom?: number
  readonly requests: number
  readonly rowsRead: number
  readonly rowsInserted: number
  readonly rowsQuarantined: number
  readonly quarantinedByReason: Record<string, number>
  /** Warnings of the ingest checks (bars kept), by reason, e.g. `{ ZERO_VOLUME: 3 }`. */
  readonly warningsByReason: Record<string, number>
  /** sha256 over the accepted bars of this run: the ingestion log's file hash. */
  readonly contentHash: string
  /** The ingestion's number within its series (see `IngestionRecord.ingestion`). */
  readonly ingestion: number
}

const COLS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const

/** Downloads `req` from `source` into `store`. */
export async function fetchIntoStore(
  source: BarSource,
  req: FetchRequest,
  store: BarStore,
  opts: FetchIntoStoreOptions,
): Promise<FetchReport> {
  const inst = opts.instrument
  await store.upsertInstrument(inst)
  const hash = createHash('sha256').update(`${source.provider}\n${req.symbol}\n${req.timeframe}\n`)
  let rowsRead = 0
  let inserted = 0
  let requests = 0
  const quarantined: QuarantinedRow[] = []
  const warnings: Finding[] = []
  for await (const chunk of source.fetch({ ...req, instrumentId: inst.id }, opts.resume)) {
    const bars = chunk.bars
    const n = bars.openTime.length
    rowsRead += n + chunk.rejected.length
    requests = chunk.progress.requests
    const report = validateIngest(bars, { source: source.provider })
    const part = partitionSeries(bars, report.rejected)
    for (const f of report.findings) if (f.severity === 'warning') warnings.push(f)
    const bad: QuarantinedRow[] = [...chunk.rejected]
    const byIndex = new Map<number, { reason: string; message: string; field?: string }>()
    for (const f of report.findings) {
      if (f.severity === 'error' && f.index !== undefined && !byIndex.has(f.index)) byIndex.set(f.index, f)
    }
    for (const i of part.rejectedIndex) {
      const f = byIndex.get(i) ?? {
        reason: 'VALIDATION_ERROR',
        message: `${source.provider} ${isoUtc(bars.openTime[i]!)}: rejected`,
      }
      bad.push({
        source: source.provider,
        instrumentId: inst.id,
        timeframe: bars.timeframe,
        timestamp: bars.openTime[i]!,
        ...(f.field !== undefined ? { field: f.field } : {}),
        reason: f.reason,
        message: f.message,
        severity: 'error',
        raw: rawBar(bars, i),
      })
    }
    inserted += await store.writeBars(part.accepted)
    if (bad.length) await store.writeQuarantine(bad)
    quarantined.push(...bad)
    for (const k of COLS)
      hash.update(new Uint8Array(part.accepted[k].buffer, part.accepted[k].byteOffset, part.accepted[k].byteLength))
    if (opts.checkpointPath) saveCheckpoint(opts.checkpointPath, chunk.resume)
    opts.onProgress?.(chunk.progress)
  }
  const contentHash = hash.digest('hex')
  const prior = (await store.ingestions()).filter((r) => r.instrumentId === inst.id && r.timeframe === req.timeframe)
  const rec: IngestionRecord = {
    source: `${source.provider}:${req.symbol}:${isoUtc(req.from)}..${isoUtc(req.to)}`,
    fileHash: contentHash,
    instrumentId: inst.id,
    timeframe: req.timeframe,
    rowsRead,
    rowsAccepted: rowsRead - quarantined.length,
    rowsQuarantined: quarantined.length,
    importedAt: Date.now(),
    ingestion: prior.reduce((m, r) => Math.max(m, r.ingestion), 0) + (inserted > 0 || prior.length === 0 ? 1 : 0),
  }
  await store.recordIngestion(rec)
  if (opts.checkpointPath) clearCheckpoint(opts.checkpointPath)
  return {
    provider: source.provider,
    instrumentId: inst.id,
    timeframe: req.timeframe,
    from: req.from,
    to: req.to,
    resumedFrom: opts.resume?.nextFrom,
    requests,
    rowsRead,
    rowsInserted: inserted,
    rowsQuarantined: quarantined.length,
    quarantinedByReason: countByReason(
      quarantined.map((q) => ({ stage: 'ingest', severity: 'error', reason: q.reason, message: q.message })),
    ),
    warningsByReason: countByReason(warnings, 'warning'),
    contentHash,
    ingestion: rec.ingestion,
  }
}

function rawBar(s: BarSeries, i: number): string {
  return JSON.stringify({
    t: isoUtc(s.openTime[i]!),
    o: s.open[i],
    h: s.high[i],
    l: s.low[i],
    c: s.close[i],
    v: s.volume[i],
  })
}
