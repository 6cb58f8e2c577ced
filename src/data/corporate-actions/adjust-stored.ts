/** Adjusted bars from the store, with the lineage that makes them reproducible: data version + actions hash. */
import { KestrelError } from '../../core/index.ts'
import type { BarStore } from '../store/types.ts'
import { readCorporateActions } from './actions.ts'
import { backAdjust, type Adjustment } from './back-adjust.ts'

/** An adjustment recorded with the raw data version it was computed from and the actions file's hash. */
export interface RecordedAdjustment extends Adjustment {
  readonly instrumentId: string
  readonly timeframe: string
  /** Data version of the stored raw bars (from the ingestion log; 0 when none was logged). */
  readonly dataVersion: number
  readonly actionsSource: string
  readonly actionsHash: string
}

/** Reads the stored series, back-adjusts it with the actions file, and says which versions went in. */
export async function adjustStoredSeries(
  store: BarStore,
  instrumentId: string,
  timeframe: string,
  actionsPath: string,
  timezone?: string,
): Promise<RecordedAdjustment> {
  const inst = await store.getInstrument(instrumentId)
  if (!inst)
    throw new KestrelError('DATA_NOT_FOUND', `no stored instrument ${JSON.stringify(instrumentId)}`, { instrumentId })
  const file = await readCorporateActions(actionsPath)
  const raw = await store.readBars(instrumentId, timeframe)
  const dataVersion = (await store.ingestions())
    .filter((r) => r.instrumentId === instrumentId && r.timeframe === timeframe)
    .reduce((m, r) => Math.max(m, r.dataVersion), 0)
  return {
    ...backAdjust(raw, file.actions, inst.symbol, timezone),
    instrumentId,
    timeframe,
    dataVersion,
    actionsSource: file.source,
    actionsHash: file.hash,
  }
}
