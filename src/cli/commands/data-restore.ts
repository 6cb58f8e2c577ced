/** `kestrel data restore SYMBOL...` (or `--symbol`, `--instrument`): brings bars back from the Parquet lake into the hot store. */
import { restoreBars } from '../../app/data-lake.ts'
import { KestrelError, parseAnyTimeframe, parseTimeBounds } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface RestoreFlags extends StoreFlags, SeriesFlags {
  timeframe?: string
  from?: string
  to?: string
  keepInLake: boolean
  json: boolean
}

export async function run(positional: string[], o: RestoreFlags): Promise<void> {
  const symbols = seriesNames(positional, o)
  if (symbols.length === 0)
    throw new KestrelError('USAGE', 'data restore: name the series (SPY, --symbol SPY or --instrument SPY.ARCA)')
  const r = await restoreBars(
    {
      symbols,
      timeframe: o.timeframe === undefined ? undefined : parseAnyTimeframe(o.timeframe).text,
      ...parseTimeBounds(o.from, o.to),
      keepInLake: o.keepInLake,
    },
    storeSelection(o),
  )
  if (o.json) return printJson(r.rows)
  if (r.rows.length === 0) stdout().write(`nothing of ${r.instrumentIds.join(', ')} in the lake ${r.lake}\n`)
  else stdout().write(table(r.rows))
}
