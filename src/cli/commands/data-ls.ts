/**
 * `kestrel data ls`: the stored series, with their rows hot and in the lake, date range, rows quarantined and
 * quality score (see `qualityScore`).
 */
import { listStored } from '../../app/data.ts'
import { isoUtc } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { printJson, stdout, table } from '../util.ts'

export async function run(positional: string[], o: StoreFlags & SeriesFlags & { json: boolean }): Promise<void> {
  const rows = await listStored(storeSelection(o), seriesNames(positional, o))
  if (o.json) return printJson(rows)
  stdout().write(
    table(
      rows.map((r) => ({
        instrument: r.instrumentId,
        timeframe: r.timeframe,
        rows: r.rows,
        hot: r.hotRows,
        lake: r.lakeRows,
        range: r.first === undefined || r.last === undefined ? '-' : `${isoUtc(r.first)} → ${isoUtc(r.last)}`,
        quarantined: r.quarantined,
        quality: r.quality === null ? '-' : r.quality.score.toFixed(4),
      })),
    ),
  )
}
