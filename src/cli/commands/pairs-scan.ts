/**
 * `kestrel pairs scan <csv...> [--max-lags n] [--json]`: Engle-Granger statistics of every pair of the files
 * (y's file before x's), on the bars both files have.
 */
import { scanPairFiles } from '../../app/pairs.ts'
import { numberFlag } from '../flags.ts'
import { printJson, stdout, table, warnQuarantine } from '../util.ts'

interface PairsScanFlags {
  maxLags?: string
  json?: boolean
}

/** A number for a table: 6 significant digits, `inf` / `-inf`, `-` for NaN. */
function num(v: number): string {
  if (Number.isNaN(v)) return '-'
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf'
  return String(Number(v.toPrecision(6)))
}

export async function run(files: string[], o: PairsScanFlags): Promise<void> {
  const maxLags = numberFlag(o.maxLags, '--max-lags', { form: 'got', integer: true, min: 0 })
  const scan = await scanPairFiles(files, { maxLags })
  for (const f of scan.files) if (f.quarantine.length > 0) warnQuarantine(f.quarantine)
  // JSON has no ±Infinity or NaN: a collinear pair's −∞ statistic and a non-reverting half-life become null.
  if (o.json)
    return printJson(
      scan.pairs.map((p) => ({
        y: p.y,
        x: p.x,
        hedgeRatio: p.hedgeRatio,
        intercept: p.intercept,
        adfStat: Number.isFinite(p.adfStat) ? p.adfStat : null,
        pValue: p.pValue,
        lags: p.lags,
        halfLife: Number.isFinite(p.halfLife) ? p.halfLife : null,
      })),
    )
  const rows = scan.pairs.map((p) => ({
    y: p.y,
    x: p.x,
    hedgeRatio: num(p.hedgeRatio),
    intercept: num(p.intercept),
    adfStat: num(p.adfStat),
    pValue: num(p.pValue),
    lags: String(p.lags),
    halfLife: num(p.halfLife),
  }))
  stdout().write(table(rows))
  stdout().write(
    `\n${scan.pairs.length} pair${scan.pairs.length === 1 ? '' : 's'}; p-values are per pair: correct them for the number of pairs tested before selecting.\n`,
  )
}
