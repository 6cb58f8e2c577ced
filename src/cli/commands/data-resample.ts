/**
 * `kestrel data resample <csv> --to 5m [--session rth|ext|24/7|fx|metals] [--out file]`: session-aligned
 * resampling of a bar CSV, written as CSV (with each bar's close time and minutes present / expected).
 * `kestrel data synth --symbols 3 --bars 10000 --seed 1 --out dir`: a seeded synthetic market as CSV files.
 */
import { createWriteStream, mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Writable } from 'node:stream'
import type { Command } from 'commander'
import { KestrelError, isoUtc, parseIso } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { constantCorrelation, generateMarket, getCalendar, resample } from '../../data/index.ts'
import { loadCsvBars } from '../../engine/index.ts'
import type { PlantedPattern, ResampledSeries } from '../../data/index.ts'
import { printJson, progress, stderr, stdout, table, withExample } from '../util.ts'

/** `--session` values and the calendars they mean. */
export const SESSIONS: Readonly<Record<string, string>> = {
  rth: 'NYSE',
  ext: 'NYSE_EXT',
  '24/7': '24/7',
  fx: 'FX',
  metals: 'METALS',
  asia: 'FX_ASIA',
  london: 'FX_LONDON',
  newyork: 'FX_NEWYORK',
}

/**
 * The session a bar file most likely trades in, for `--session auto` (the default): bars on a Saturday (UTC)
 * mean a 24/7 market; otherwise bars only inside NYSE's extended hours on NYSE trading days mean US equities,
 * aligned to the regular session (09:30–16:00 New York; use `--session ext` to keep pre/post-market); bars on
 * Sunday evening New York time without Saturdays mean FX; anything else is treated as 24/7.
 */
export function detectSession(s: BarSeries): string {
  const n = s.openTime.length
  if (n === 0) return '24/7'
  const ext = getCalendar('NYSE_EXT')
  const step = Math.max(1, Math.floor(n / 50_000))
  let saturday = false
  let sunday = false
  let allInExt = true
  for (let i = 0; i < n; i += step) {
    const t = s.openTime[i]!
    const dow = new Date(t).getUTCDay()
    if (dow === 6) saturday = true
    if (dow === 0) sunday = true
    if (allInExt && !ext.isOpen(t)) allInExt = false
  }
  if (saturday) return '24/7'
  if (allInExt) return 'rth'
  return sunday ? 'fx' : '24/7'
}

/** The symbol for a file's rows: from its name (`SPY_1m.csv` → SPY), else the name itself. */
function resampleSymbol(file: string): string {
  const base = basename(file).replace(/\.[^.]*$/, '')
  return base.split('_')[0] || base || 'SERIES'
}

function sessionCalendar(session: string): string {
  const id = SESSIONS[session.toLowerCase()]
  if (!id) {
    throw new KestrelError(
      'USAGE',
      `--session ${JSON.stringify(session)}: expected one of ${Object.keys(SESSIONS).join(', ')}`,
      { session },
    )
  }
  return id
}

/** Writes text to a stream, waiting for the stream to drain when its buffer is full. */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve))
}

async function close(out: Writable): Promise<void> {
  if (out === stdout()) return
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject)
    out.end(resolve)
  })
}

function openOut(path: string | undefined): Writable {
  if (!path) return stdout()
  const s = createWriteStream(path)
  s.on('error', () => {}) // surfaced by close()
  return s
}

/** Writes bars as CSV rows (bundled format; resampled series add close_time, count and expected). */
export async function writeBarsCsv(out: Writable, s: BarSeries | ResampledSeries, header = true): Promise<void> {
  const rs = 'count' in s ? (s as ResampledSeries) : undefined
  if (header) {
    await write(out, `timestamp,open,high,low,close,volume${rs ? ',close_time,count,expected' : ''}\n`)
  }
  const n = s.openTime.length
  let buf = ''
  for (let i = 0; i < n; i++) {
    buf += `${isoUtc(s.openTime[i]!)},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`
    buf += rs ? `,${isoUtc(s.closeTime[i]!)},${rs.count[i]},${rs.expected[i]}\n` : '\n'
    if (buf.length > 1 << 16) {
      await write(out, buf)
      buf = ''
    }
  }
  if (buf) await write(out, buf)
}

interface ResampleCliOptions {
  to: string
  session: string
  out?: string
  timeframe?: string
  json?: boolean
}

async function runResample(file: string, o: ResampleCliOptions): Promise<void> {
  if (o.session.toLowerCase() !== 'auto') sessionCalendar(o.session) // reject a bad value before reading
  // The same read and three-stage validation as `data import` and `backtest --data`: rows that fail are left
  // out with their reasons (reported below), and a file with nothing usable is refused.
  const loaded = await loadCsvBars(file, { symbol: resampleSymbol(file), timeframe: o.timeframe })
  const parsed = { series: loaded.series, info: { timeframe: loaded.timeframe } }
  const session = o.session.toLowerCase() === 'auto' ? detectSession(parsed.series) : o.session
  const calendar = sessionCalendar(session)
  const bars = resample(parsed.series, { to: o.to, calendar })
  const out = openOut(o.out)
  await writeBarsCsv(out, bars)
  await close(out)
  let gaps = 0
  for (let i = 0; i < bars.count.length; i++) if (bars.count[i]! < bars.expected[i]!) gaps++
  const summary = {
    file,
    calendar,
    from: parsed.info.timeframe,
    to: bars.timeframe,
    barsIn: parsed.series.openTime.length,
    barsOut: bars.openTime.length,
    outsideSession: bars.outsideSession,
    barsWithGaps: gaps,
    quarantinedRows: loaded.quarantine.length,
    out: o.out ?? '-',
  }
  const notes: string[] = []
  if (loaded.quarantine.length > 0) {
    const q = loaded.quarantine[0]!
    notes.push(
      `${loaded.quarantine.length} row(s) of ${file} failed validation and are not in the output (first: line ${q.line ?? '?'}, ${q.reason}: ${q.message})`,
    )
  }
  if (bars.outsideSession > 0)
    notes.push(`${bars.outsideSession} bar(s) outside the ${calendar} sessions were left out`)
  if (o.json && o.out) printJson(summary)
  else if (o.out) stdout().write(table([summary]))
  for (const n of notes) stderr().write(`note: ${n}\n`)
}

interface SynthCliOptions {
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

function intOption(name: string, text: string, min: number): number {
  const v = Number(text)
  if (!Number.isInteger(v) || v < min)
    throw new KestrelError('USAGE', `--${name} ${text}: expected an integer ≥ ${min}`)
  return v
}

function parsePattern(text: string | undefined): PlantedPattern | undefined {
  if (!text) return undefined
  const m = /^(autocorrelation|time-of-day):(-?[\d.]+)$/.exec(text)
  if (!m)
    throw new KestrelError('USAGE', `--pattern ${text}: expected autocorrelation:<strength> or time-of-day:<strength>`)
  return { kind: m[1] as PlantedPattern['kind'], strength: Number(m[2]) }
}

async function runSynth(o: SynthCliOptions): Promise<void> {
  const symbols = intOption('symbols', o.symbols, 1)
  const bars = intOption('bars', o.bars, 0)
  const seed = intOption('seed', o.seed, 0)
  const rho = Number(o.correlation)
  if (!(rho > -1 && rho < 1))
    throw new KestrelError('USAGE', `--correlation ${o.correlation}: expected a number in (-1, 1)`)
  const calendar = getCalendar(SESSIONS[o.calendar.toLowerCase()] ?? o.calendar)
  mkdirSync(o.out, { recursive: true })
  const names = Array.from({ length: symbols }, (_, i) => `SYN${i}`)
  const paths = names.map((n) => join(o.out, `${n}_${o.timeframe}.csv`))
  const outs = paths.map((p) => openOut(p))
  const bar = progress('synth')
  bar.start(bars)
  let first = true
  let from = NaN
  let to = NaN
  for (const chunk of generateMarket({
    symbols: names,
    bars,
    seed,
    calendar,
    timeframe: o.timeframe,
    start: o.start ? parseIso(o.start) : undefined,
    correlation: constantCorrelation(symbols, rho),
    pattern: parsePattern(o.pattern),
  })) {
    for (let s = 0; s < symbols; s++) await writeBarsCsv(outs[s]!, chunk.series[s]!, first)
    const t = chunk.series[0]!.openTime
    if (first) from = t[0]!
    to = t[t.length - 1]!
    first = false
    bar.update(chunk.offset + t.length)
  }
  bar.stop()
  if (first) for (const out of outs) await write(out, 'timestamp,open,high,low,close,volume\n')
  for (const out of outs) await close(out)
  const rows = paths.map((file, i) => ({
    symbol: names[i],
    file,
    bars,
    from: Number.isNaN(from) ? '' : isoUtc(from),
    to: Number.isNaN(to) ? '' : isoUtc(to),
  }))
  if (o.json) printJson({ seed, calendar: calendar.id, timeframe: o.timeframe, correlation: rho, files: rows })
  else stdout().write(table(rows))
}

/** Registers `kestrel data resample` and `kestrel data synth` on the `data` command. */
export function registerDataResample(data: Command): void {
  const rs = data
    .command('resample')
    .description('resample a bar CSV to a higher timeframe, aligned to market sessions')
    .argument('<csv>', 'bar file (timestamp, open, high, low, close, volume)')
    .requiredOption(
      '--to <timeframe>',
      'target timeframe: a multiple of the input (5m, 15m, 1h, 4h) or 1d (one bar per session)',
    )
    .option(
      '--session <session>',
      `sessions to align to: auto | ${Object.keys(SESSIONS).join(' | ')} (auto: rth for US equity minutes, 24/7 for crypto, fx for FX)`,
      'auto',
    )
    .option('--timeframe <timeframe>', 'input timeframe (inferred from the spacing when absent)')
    .option('--out <file>', 'write the CSV here (default stdout) and print a summary')
    .option('--json', 'with --out: print the summary as JSON')
    .action((file: string, o: ResampleCliOptions) => runResample(file, o))
  withExample(
    rs,
    'kestrel data resample data/bundled/SPY_1m.csv --to 1h --session rth',
    'kestrel data resample data/bundled/BTC-USD_1m.csv --to 5m --out btc_5m.csv',
  )
  const sy = data
    .command('synth')
    .description('generate a seeded synthetic market (correlated symbols, regimes, jumps) as CSV files')
    .option('--symbols <n>', 'number of symbols', '3')
    .option('--bars <n>', 'bars per symbol', '10000')
    .option('--seed <n>', 'random seed', '1')
    .requiredOption('--out <dir>', 'directory for SYN<i>_<timeframe>.csv')
    .option('--calendar <id>', 'sessions the bars fall in: 24/7, NYSE (or rth), NYSE_EXT, FX, METALS', '24/7')
    .option('--timeframe <timeframe>', 'bar length', '1m')
    .option('--start <iso>', 'first bar at or after this time (default 2024-01-02)')
    .option('--correlation <rho>', 'pairwise correlation of the symbols’ returns', '0.5')
    .option('--pattern <kind:strength>', 'plant a learnable pattern: autocorrelation:0.05 or time-of-day:0.1')
    .option('--json', 'print the summary as JSON')
    .action((o: SynthCliOptions) => runSynth(o))
  withExample(sy, 'kestrel data synth --symbols 3 --bars 10000 --seed 1 --out out/synth')
}
