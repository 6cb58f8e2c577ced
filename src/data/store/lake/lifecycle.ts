/**
 * The lifecycle policy between a hot store and the Parquet lake: bars older than the hot window move to the
 * lake (written, verified bar by bar, and only then deleted from the hot store), and can be restored on demand.
 */
import { KestrelError, isoUtc } from '../../../core/index.ts'
import type { EpochMs } from '../../../core/index.ts'
import type { BarStore, TimeRange } from '../types.ts'
import { missingFrom } from './merge.ts'
import type { ParquetLake } from './parquet-lake.ts'

/** What to archive. */
export interface ArchivePolicy {
  /** Bars whose open time is older than `now - hotWindowMs` leave the hot store. */
  readonly hotWindowMs: number
  readonly now: EpochMs
  /** Only this instrument (default all). */
  readonly instrumentId?: string
  /** Only this timeframe (default all). */
  readonly timeframe?: string
  /** Bars per read from the hot store. Default 100 000. */
  readonly chunkSize?: number
}

/** What one series moved. */
export interface ArchiveReport {
  readonly instrumentId: string
  readonly timeframe: string
  /** Open times before this went to the lake. */
  readonly cutoff: EpochMs
  /** Bars removed from the hot store. */
  readonly moved: number
  /** Of those, bars the lake did not have yet. */
  readonly newInLake: number
}

/** Moves bars older than the hot window from `hot` into `lake`; returns one report per series touched. */
export async function archiveToLake(hot: BarStore, lake: ParquetLake, policy: ArchivePolicy): Promise<ArchiveReport[]> {
  if (!(policy.hotWindowMs >= 0)) {
    throw new KestrelError('PARAM_INVALID', `archive policy: hotWindowMs must be >= 0, got ${policy.hotWindowMs}`)
  }
  const cutoff = policy.now - policy.hotWindowMs
  const out: ArchiveReport[] = []
  for (const s of await hot.summary()) {
    if (policy.instrumentId !== undefined && s.instrumentId !== policy.instrumentId) continue
    if (policy.timeframe !== undefined && s.timeframe !== policy.timeframe) continue
    if (!(s.first < cutoff)) continue
    const range: TimeRange = { to: cutoff }
    let newInLake = 0
    for await (const chunk of hot.streamBars(s.instrumentId, s.timeframe, range, policy.chunkSize ?? 100_000)) {
      newInLake += await lake.writeBars(chunk)
    }
    // Nothing lost: every hot bar before the cutoff must now be in the lake before the hot copy goes.
    const missing = await missingFrom(
      hot.streamBars(s.instrumentId, s.timeframe, range),
      lake.streamBars(s.instrumentId, s.timeframe, range),
    )
    if (missing.count > 0) {
      throw new KestrelError(
        'STATE_INVALID',
        `archive ${s.instrumentId} ${s.timeframe}: ${missing.count} bars not found in the lake after writing (e.g. ${missing.examples.map(isoUtc).join(', ')}); hot store left unchanged`,
        { instrumentId: s.instrumentId, timeframe: s.timeframe, missing: missing.count },
      )
    }
    const moved = await hot.deleteBars(s.instrumentId, s.timeframe, range)
    out.push({ instrumentId: s.instrumentId, timeframe: s.timeframe, cutoff, moved, newInLake })
  }
  return out
}

/** Copies lake bars in `range` back into the hot store (and, unless `keepInLake`, removes them from the lake). Returns bars new to the hot store. */
export async function restoreFromLake(
  hot: BarStore,
  lake: ParquetLake,
  instrumentId: string,
  timeframe: string,
  range?: TimeRange,
  opts: { keepInLake?: boolean; chunkSize?: number } = {},
): Promise<number> {
  let restored = 0
  for await (const chunk of lake.streamBars(instrumentId, timeframe, range, opts.chunkSize ?? 100_000)) {
    restored += await hot.writeBars(chunk)
  }
  if (!opts.keepInLake) {
    const missing = await missingFrom(
      lake.streamBars(instrumentId, timeframe, range),
      hot.streamBars(instrumentId, timeframe, range),
    )
    if (missing.count > 0) {
      throw new KestrelError(
        'STATE_INVALID',
        `restore ${instrumentId} ${timeframe}: ${missing.count} lake bars not in the hot store; lake left unchanged`,
        {
          instrumentId,
          timeframe,
        },
      )
    }
    await lake.deleteBars(instrumentId, timeframe, range)
  }
  return restored
}
