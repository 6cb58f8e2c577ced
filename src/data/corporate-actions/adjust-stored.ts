/** Adjusted bars from the store, with the lineage that makes them reproducible: data version + actions hash. */
import { KestrelError } from '../../core/index.ts'
import type { BarStore } from '../store/types.ts'
import { dataVersion as versionOf, seriesIngestionIds } from '../version/data-version.ts'
import { readCorporateActions } from './actions.ts'
import { backAdjust, type Adjustment } from './back-adjust.ts'

/** An adjustment recorded with the raw data version it was computed from and the actions file's hash. */
export interface RecordedAdjustment extends Adjustment {
  readonly instrumentId: string
  readonly timeframe: string
  /** Data version of the stored raw bars read (see `dataVersion`). */
  readonly dataVersion: string
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
  const dataVersion = versionOf([raw], await seriesIngestionIds(store, instrumentId, timeframe)).dataVersion
  return {
    ...backAdjust(raw, file.actions, inst.symbol, timezone),
    instrumentId,
    timeframe,
    dataVersion,
    actionsSource: file.source,
    actionsHash: file.hash,
  }
}
