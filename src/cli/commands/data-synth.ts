/** `kestrel data synth --symbols 3 --bars 10000 --seed 1 --out dir`: a seeded synthetic market as CSV files. */
import { synthMarket, type PlantedPattern } from '../../app/data-resample.ts'
import { KestrelError, parseIso } from '../../core/index.ts'
import { numberFlag } from '../flags.ts'
import { printJson, progress, stdout, table } from '../util.ts'

interface SynthFlags {
  symbols: string
  bars: string
  seed: string
  out: string
  calendar: string
  timeframe: string
  start?: string
  correlation: string
  pattern?: string
  json?: boolean
}

function parsePattern(text: string | undefined): PlantedPattern | undefined {
  if (!text) return undefined
  const m = /^(autocorrelation|time-of-day):(-?[\d.]+)$/.exec(text)
  if (!m)
    throw new KestrelError('USAGE', `--pattern ${text}: expected autocorrelation:<strength> or time-of-day:<strength>`)
  return { kind: m[1] as PlantedPattern['kind'], strength: Number(m[2]) }
}

export async function run(o: SynthFlags): Promise<void> {
  const symbols = numberFlag(o.symbols, '--symbols', { integer: true, min: 1 })
  const bars = numberFlag(o.bars, '--bars', { integer: true, min: 0 })
  const seed = numberFlag(o.seed, '--seed', { integer: true, min: 0 })
  const rho = Number(o.correlation)
  if (!(rho > -1 && rho < 1))
    throw new KestrelError('USAGE', `--correlation ${o.correlation}: expected a number in (-1, 1)`)
  const bar = progress('synth')
  let r
  try {
    r = await synthMarket(
      {
        symbols,
        bars,
        seed,
        calendar: o.calendar,
        timeframe: o.timeframe,
        start: o.start ? parseIso(o.start) : undefined,
        correlation: rho,
        pattern: parsePattern(o.pattern),
        out: o.out,
      },
      (done, total) => (done === 0 ? bar.start(total) : bar.update(done)),
    )
  } finally {
    bar.stop()
  }
  if (o.json) printJson({ seed, calendar: r.calendar, timeframe: o.timeframe, correlation: rho, files: r.files })
  else stdout().write(table(r.files))
}
