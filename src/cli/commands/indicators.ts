/**
 * `kestrel indicators <csv> --spec "rsi(14),macd(12,26,9)" [--out file]`: computes TA-Lib-exact indicators over a
 * bar CSV and writes CSV: the input's timestamp column (the text exactly as in the input), then one column per
 * indicator output (`rsi(14)`, `macd(12,26,9).macdsignal`). Cells inside an indicator's lookback are empty;
 * numbers are printed with full round-trip precision. `kestrel indicators --list` lists the indicators.
 */
import { createWriteStream, readFileSync } from 'node:fs'
import type { Writable } from 'node:stream'
import type { Command } from 'commander'
import { KestrelError } from '../../core/index.ts'
import { readCsvFile, type CsvParseResult } from '../../data/index.ts'
import { indicatorRegistry, parseIndicatorSpec, type IndicatorInputs } from '../../features/index.ts'
import { printJson, stdout, table, withExample } from '../util.ts'

/** Writes, waiting for drain; resolves early when the reader has gone (e.g. `| head`), see `out.destroyed`. */
async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) return
  if (out.write(text)) return
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      resolve()
    }
    out.once('drain', done)
    out.once('close', done)
    out.once('error', done)
  })
}

async function close(out: Writable): Promise<void> {
  if (out === stdout()) return
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject)
    out.end(resolve)
  })
}

let epipeHandled = false

/** Makes a closed stdout (the reader stopped early, e.g. `| head`) end the output quietly instead of crashing. */
function ignoreStdoutEpipe(): void {
  if (epipeHandled) return
  epipeHandled = true
  stdout().on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}

/** Quotes a CSV field when it holds a comma, quote or newline (column names like `macd(12,26,9).macd` do). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Splits one CSV line on `delim`, honouring double quotes. */
function splitLine(line: string, delim: string): string[] {
  const out: string[] = []
  let cur = ''
  let q = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') q = false
      else cur += c
    } else if (c === '"') q = true
    else if (c === delim) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

/** The timestamp text of every bar, exactly as written in the file (row located by its byte offset). */
export function timestampTexts(bytes: Buffer, parsed: CsvParseResult): string[] {
  const { columns, delimiter } = parsed.info.layout
  const n = parsed.offsets.length
  const texts = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const start = parsed.offsets[i]
    let end = bytes.indexOf(10, start)
    if (end < 0) end = bytes.length
    if (end > start && bytes[end - 1] === 13) end--
    const fields = splitLine(bytes.toString('utf8', start, end), delimiter)
    if (columns.time !== undefined) texts[i] = fields[columns.time] ?? ''
    else texts[i] = `${fields[columns.date ?? 0] ?? ''} ${fields[columns.clock ?? 1] ?? ''}`.trim()
  }
  return texts
}

interface IndicatorsOptions {
  spec?: string
  out?: string
  list?: boolean
  json?: boolean
  timeframe?: string
}

function listIndicators(json: boolean | undefined): void {
  const rows = [...indicatorRegistry.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => ({
      name: d.name,
      inputs: d.inputs.join(','),
      params: d.params.map((p) => `${p.name}=${p.default}`).join(','),
      outputs: d.outputs.join(','),
      description: d.description,
    }))
  if (json) printJson(rows)
  else stdout().write(table(rows))
}

async function runIndicators(file: string | undefined, o: IndicatorsOptions): Promise<void> {
  if (o.list) return listIndicators(o.json)
  if (!file) throw new KestrelError('USAGE', 'missing <csv> (or use --list)')
  if (!o.spec) throw new KestrelError('USAGE', 'missing --spec, e.g. --spec "rsi(14),macd(12,26,9)"')
  const items = parseIndicatorSpec(o.spec)
  const parsed = await readCsvFile(file, { timeframe: o.timeframe })
  if (parsed.problems.length > 0) {
    const p = parsed.problems[0]
    throw new KestrelError(
      'DATA_BAD_ROW',
      `${p.message.startsWith(file) ? '' : `${file}${p.line !== undefined ? ` line ${p.line}` : ''}: `}${p.message} (${parsed.problems.length} unreadable row(s); indicators need every bar, so nothing was computed)`,
      { file, problems: parsed.problems.length, first: p },
    )
  }
  const s = parsed.series
  const inputs: IndicatorInputs = {
    open: s.open,
    high: s.high,
    low: s.low,
    close: s.close,
    volume: s.volume,
    time: s.openTime,
  }
  const columns: Float64Array[] = []
  const names: string[] = []
  for (const it of items) {
    columns.push(...it.def.compute(inputs, it.params))
    names.push(...it.columns)
  }
  const stamps = timestampTexts(readFileSync(file), parsed)
  const out = o.out ? createWriteStream(o.out) : stdout()
  // A closed stdout (EPIPE: the reader stopped early) ends the output quietly; a file error is reported.
  let failure: Error | undefined
  if (out === stdout()) ignoreStdoutEpipe()
  else out.on('error', (e: Error) => (failure = e))
  await write(out, ['timestamp', ...names].map(csvField).join(',') + '\n')
  const n = stamps.length
  const k = columns.length
  let buf = ''
  for (let i = 0; i < n; i++) {
    buf += csvField(stamps[i])
    for (let c = 0; c < k; c++) {
      const v = columns[c][i]
      buf += v === v ? `,${v}` : ','
    }
    buf += '\n'
    if (buf.length > 1 << 16) {
      await write(out, buf)
      buf = ''
      if (out.destroyed) break
    }
  }
  if (buf) await write(out, buf)
  if (out !== stdout() && !failure) await close(out).catch((e: Error) => (failure = e))
  if (failure) throw new KestrelError('FILE_NOT_FOUND', `${o.out}: cannot write (${failure.message})`, { path: o.out })
}

/** Registers `kestrel indicators`. */
export function registerIndicators(program: Command): void {
  const cmd = program
    .command('indicators')
    .description('compute TA-Lib-exact indicators over a bar CSV and write them as CSV')
    .argument('[csv]', 'bar CSV (timestamp,open,high,low,close,volume)')
    .option(
      '--spec <list>',
      'indicators, e.g. "rsi(14),macd(12,26,9),bbands(20,2,2)" (TA-Lib names and parameter order)',
    )
    .option('--out <file>', 'write the CSV here instead of stdout')
    .option('--timeframe <tf>', 'bar length (1m, 1d) when it cannot be inferred (files of one or two bars)')
    .option('--list', 'list the available indicators with their parameters and outputs')
    .option('--json', 'with --list: JSON instead of a table')
    .action(async (file: string | undefined, o: IndicatorsOptions) => runIndicators(file, o))
  withExample(
    cmd,
    'kestrel indicators data/bundled/SPY_1d.csv --spec "sma(20),rsi(14),macd(12,26,9)" --out spy-ind.csv',
    'kestrel indicators --list',
  )
}
