/** `kestrel data export <symbol> --timeframe <tf> --out <file>`: stored bars to CSV or Parquet (by the
 * extension of --out unless --format says). */
import { exportBars, outputFormat } from '../../app/data.ts'
import { parseTimeBounds, parseTimeframe } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { stdout } from '../util.ts'

interface ExportFlags extends StoreFlags {
  timeframe: string
  from?: string
  to?: string
  format?: string
  out: string
  adjust?: string
}

export async function run(symbol: string, o: ExportFlags): Promise<void> {
  const format = outputFormat(o.out, o.format)
  const r = await exportBars(
    {
      symbol,
      timeframe: parseTimeframe(o.timeframe).text,
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
      ? `${wrote}, back-adjusted for ${a.actions} corporate actions from ${a.source} (sha256 ${a.hash.slice(0, 12)}), raw data version ${a.dataVersion.slice(0, 12)}\n`
      : `${wrote}\n`,
  )
}
