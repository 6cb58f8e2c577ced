/**
 * TA-Lib-exact indicators over a bar CSV: the input's timestamp column (the text exactly as in the input), then
 * one column per indicator output (`rsi(14)`, `macd(12,26,9).macdsignal`). Cells inside an indicator's
 * lookback are empty; numbers keep full round-trip precision. MAVP reads the period of each bar from the file's
 * `periods` column.
 */
import { readFileSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { KestrelError } from '../core/index.ts'
import { readCsvFile, validateIngest, type CsvParseResult } from '../data/index.ts'
import { indicatorRegistry, parseIndicatorSpec, type IndicatorInputs } from '../features/index.ts'
import { BlockWriter, csvField, splitCsvLine, writeText } from './csv-text.ts'

/** The available indicators with their inputs, parameters (with defaults) and outputs, by name. */
export function listIndicators(): {
  name: string
  inputs: string
  params: string
  outputs: string
  description: string
}[] {
  return [...indicatorRegistry.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => ({
      name: d.name,
      inputs: d.inputs.join(','),
      params: d.params.map((p) => `${p.name}=${p.default}`).join(','),
      outputs: d.outputs.join(','),
      description: d.description,
    }))
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
    const fields = splitCsvLine(bytes.toString('utf8', start, end), delimiter)
    if (columns.time !== undefined) texts[i] = fields[columns.time] ?? ''
    else texts[i] = `${fields[columns.date ?? 0] ?? ''} ${fields[columns.clock ?? 1] ?? ''}`.trim()
  }
  return texts
}

/**
 * The `periods` column of a bar file, for MAVP (the column TA-Lib's abstract API reads it from): a number per row,
 * else DATA_BAD_ROW naming the line; a file without the column is SPEC_INVALID naming the item that needs it.
 */
export function periodsColumn(bytes: Buffer, parsed: CsvParseResult, file: string, item: string): Float64Array {
  const { names, delimiter } = parsed.info.layout
  const col = names.findIndex((n) => n.trim().toLowerCase() === 'periods')
  if (col < 0)
    throw new KestrelError(
      'SPEC_INVALID',
      `${item} needs the period of each bar: ${file} has no periods column (its columns: ${names.join(', ')})`,
      { file, item },
    )
  const n = parsed.offsets.length
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const start = parsed.offsets[i]
    let end = bytes.indexOf(10, start)
    if (end < 0) end = bytes.length
    if (end > start && bytes[end - 1] === 13) end--
    const text = (splitCsvLine(bytes.toString('utf8', start, end), delimiter)[col] ?? '').trim()
    const v = text === '' ? NaN : Number(text)
    if (!Number.isFinite(v))
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${file} line ${parsed.lines[i]}: periods ${JSON.stringify(text)} is not a number (${item} needs one per bar)`,
        { file, line: parsed.lines[i], field: 'periods' },
      )
    out[i] = v
  }
  return out
}

/** Indicator columns computed over a file. */
export interface IndicatorTable {
  /** Timestamp text of each bar, as in the input. */
  readonly stamps: string[]
  /** Column names, one per indicator output. */
  readonly names: string[]
  readonly columns: Float64Array[]
}

/**
 * Computes `spec` ("rsi(14),macd(12,26,9)") over the bars of `file`. An unreadable row, or one that fails
 * validation's row checks, is DATA_BAD_ROW naming its line: the indicators need every bar, so nothing is computed.
 */
export async function computeIndicators(
  file: string,
  spec: string,
  opts: { timeframe?: string } = {},
): Promise<IndicatorTable> {
  const items = parseIndicatorSpec(spec)
  const parsed = await readCsvFile(file, { timeframe: opts.timeframe })
  if (parsed.problems.length > 0) {
    const p = parsed.problems[0]
    throw new KestrelError(
      'DATA_BAD_ROW',
      `${p.message.startsWith(file) ? '' : `${file}${p.line !== undefined ? ` line ${p.line}` : ''}: `}${p.message} (${parsed.problems.length} unreadable row(s); indicators need every bar, so nothing was computed)`,
      { file, problems: parsed.problems.length, first: p },
    )
  }
  const s = parsed.series
  // The row checks of validation (values, OHLC consistency, duplicate and out-of-order times): a row that fails
  // them is refused the same way, with its line.
  const checked = validateIngest(s, { source: file, lines: parsed.lines, rowChecksOnly: true })
  const bad = checked.findings.filter((f) => f.severity === 'error')
  if (bad.length > 0) {
    throw new KestrelError(
      'DATA_BAD_ROW',
      `${bad[0]!.message} (${bad.length} row(s) failed validation; indicators need every bar, so nothing was computed)`,
      { file, problems: bad.length, first: bad[0] },
    )
  }
  const bytes = readFileSync(file)
  const needsPeriods = items.find((it) => it.def.inputs.includes('periods'))
  const inputs: IndicatorInputs = {
    open: s.open,
    high: s.high,
    low: s.low,
    close: s.close,
    volume: s.volume,
    time: s.openTime,
    ...(needsPeriods && {
      periods: periodsColumn(bytes, parsed, file, `spec item ${needsPeriods.position} ${needsPeriods.text}`),
    }),
  }
  const columns: Float64Array[] = []
  const names: string[] = []
  for (const it of items) {
    columns.push(...it.def.compute(inputs, it.params))
    names.push(...it.columns)
  }
  return { stamps: timestampTexts(bytes, parsed), names, columns }
}

/** Writes the table as CSV; stops early, quietly, when the reader has gone (`out.destroyed`). */
export async function writeIndicatorCsv(out: Writable, t: IndicatorTable): Promise<void> {
  await writeText(out, ['timestamp', ...t.names].map(csvField).join(',') + '\n')
  const w = new BlockWriter(out)
  const k = t.columns.length
  for (let i = 0; i < t.stamps.length; i++) {
    let line = csvField(t.stamps[i])
    for (let c = 0; c < k; c++) {
      const v = t.columns[c][i]
      line += v === v ? `,${v}` : ','
    }
    const p = w.add(line + '\n')
    if (p) {
      await p
      if (out.destroyed) return
    }
  }
  await w.flush()
}
