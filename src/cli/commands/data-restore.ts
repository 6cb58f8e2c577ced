/** `kestrel data restore --symbol S`: brings bars back from the Parquet lake into the hot store. */
import { restoreBars } from '../../app/data-lake.ts'
import { parseTimeBounds, parseTimeframe } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface RestoreFlags extends StoreFlags {
  symbol: string
  timeframe?: string
  from?: string
  to?: string
  keepInLake: boolean
  json: boolean
}

export async function run(o: RestoreFlags): Promise<void> {
  const r = await restoreBars(
    {
      symbol: o.symbol,
      timeframe: o.timeframe === undefined ? undefined : parseTimeframe(o.timeframe).text,
      ...parseTimeBounds(o.from, o.to),
      keepInLake: o.keepInLake,
    },
    storeSelection(o),
  )
  if (o.json) return printJson(r.rows)
  if (r.rows.length === 0) stdout().write(`nothing of ${r.instrumentId} in the lake ${r.lake}\n`)
  else stdout().write(table(r.rows))
}
