/** `kestrel data export <symbol> --timeframe <tf> --out <file>`: stored bars to CSV or Parquet (by the
 * extension of --out unless --format says). */
import { exportBars, outputFormat } from '../../app/data.ts'
import { KestrelError, parseAnyTimeframe, parseTimeBounds } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { stdout } from '../util.ts'

interface ExportFlags extends StoreFlags, SeriesFlags {
  timeframe: string
  from?: string
  to?: string
  format?: string
  out: string
  adjust?: string
}

export async function run(positional: string[], o: ExportFlags): Promise<void> {
  const names = seriesNames(positional, o)
  if (names.length !== 1)
    throw new KestrelError(
      'USAGE',
      names.length === 0
        ? 'data export: name the series (SPY, --symbol SPY or --instrument SPY.ARCA)'
        : `data export: one series per file, got ${names.join(', ')}`,
      { names },
    )
  const symbol = names[0]!
  const format = outputFormat(o.out, o.format)
  const r = await exportBars(
    {
      symbol,
      timeframe: parseAnyTimeframe(o.timeframe).text,
      ...parseTimeBounds(o.from, o.to),
      format,
      out: o.out,
      adjust: o.adjust,
    },
    storeSelection(o),
  )
  const wrote = `wrote ${r.bars} ${r.timeframe} bars of ${r.instrumentId} to ${o.out} (${format})`
  const a = r.adjusted
  stdout().write(
    a
      ? `${wrote}, back-adjusted for ${a.actions} corporate actions from ${a.source} (sha256 ${a.hash.slice(0, 12)}), raw data version ${a.dataVersion}\n`
      : `${wrote}\n`,
  )
}
