/**
 * `kestrel indicators <csv> --spec "rsi(14),macd(12,26,9)" [--out file]`: TA-Lib-exact indicators as CSV;
 * `kestrel indicators --list` lists them.
 */
import { closeFile, openFile } from '../../app/csv-text.ts'
import { computeIndicators, listIndicators, writeIndicatorCsv } from '../../app/indicators.ts'
import { KestrelError } from '../../core/index.ts'
import { ignoreStdoutEpipe, printJson, stdout, table } from '../util.ts'

interface IndicatorsFlags {
  spec?: string
  out?: string
  list?: boolean
  json?: boolean
  timeframe?: string
}

export async function run(file: string | undefined, o: IndicatorsFlags): Promise<void> {
  if (o.list) {
    const rows = listIndicators()
    return o.json ? printJson(rows) : void stdout().write(table(rows))
  }
  if (!file) throw new KestrelError('USAGE', 'missing <csv> (or use --list)')
  if (!o.spec) throw new KestrelError('USAGE', 'missing --spec, e.g. --spec "rsi(14),macd(12,26,9)"')
  const t = await computeIndicators(file, o.spec, { timeframe: o.timeframe })
  if (!o.out) {
    // A closed stdout (EPIPE: the reader stopped early) ends the output quietly.
    ignoreStdoutEpipe()
    return writeIndicatorCsv(stdout(), t)
  }
  const out = openFile(o.out)
  await writeIndicatorCsv(out, t)
  await closeFile(out, o.out)
}
