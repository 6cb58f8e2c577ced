/**
 * Performance metrics of periodic simple returns: a column read from a CSV file (the one named, else one named
 * returns/return/ret, else the only numeric column), or the `returns` series of a `kestrel backtest --json` report.
 */
import { readFileSync } from 'node:fs'
import { KestrelError } from '../core/index.ts'
import { computeReturnMetrics, formatMetric, METRIC_LABELS, metricValue, type Metrics } from '../research/index.ts'
import { splitCsvLine } from './csv-text.ts'

/** A column of returns read from a CSV file. */
export interface ReturnsColumn {
  readonly column: string
  readonly returns: Float64Array
}

const PREFERRED = ['returns', 'return', 'ret']

const splitCells = (line: string): string[] => splitCsvLine(line).map((c) => c.trim())

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * Reads one column of returns from CSV text with a header. Every line after the header is one period: a blank
 * line (a missing period) is a DATA_BAD_ROW error naming the file and line, whatever the number of columns; only
 * the line end after the last row is allowed. A cell that is not a plain decimal number (empty, `NaN`, `1.2%`,
 * text) or a return below −1 (a loss of more than everything) is a DATA_BAD_ROW error naming the file, line and
 * column.
 */
export function readReturnsColumn(text: string, file: string, column?: string): ReturnsColumn {
  const lines = text.split(/\r?\n/)
  const headerIndex = lines.findIndex((l) => l.trim() !== '')
  if (headerIndex < 0) throw new KestrelError('DATA_BAD_FILE', `${file}: the file is empty`, { file })
  const header = splitCells(lines[headerIndex]!.replace(/^\uFEFF/, ''))
  const rows: { line: number; cells: string[] }[] = []
  // a file ending in a line break splits into a last empty string: not a row
  const end = lines.length > headerIndex + 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length
  for (let i = headerIndex + 1; i < end; i++) {
    if (lines[i]!.trim() === '') {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${file} line ${i + 1}: a blank line where a return was expected (every line after the header is one period)`,
        { file, line: i + 1 },
      )
    }
    rows.push({ line: i + 1, cells: splitCells(lines[i]!) })
  }
  if (rows.length === 0) throw new KestrelError('DATA_BAD_FILE', `${file}: a header but no data rows`, { file })
  let col: number
  if (column !== undefined) {
    col = header.indexOf(column)
    if (col < 0) {
      throw new KestrelError('DATA_BAD_FILE', `${file}: no column "${column}" (columns: ${header.join(', ')})`, {
        file,
        column,
        columns: header,
      })
    }
  } else {
    col = header.findIndex((h) => PREFERRED.includes(h.toLowerCase()))
    if (col < 0) {
      const numeric = header.map((_, j) => j).filter((j) => rows.every((r) => NUMBER.test(r.cells[j] ?? '')))
      if (numeric.length !== 1) {
        throw new KestrelError(
          'DATA_BAD_FILE',
          `${file}: cannot tell which column holds the returns (${numeric.length} numeric columns among ${header.join(', ')}); pass --column`,
          { file, columns: header },
        )
      }
      col = numeric[0]!
    }
  }
  const name = header[col]!
  const returns = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const { line, cells } = rows[i]!
    const cell = cells[col]
    if (cell === undefined || !NUMBER.test(cell)) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${file} line ${line}: column "${name}" expected a decimal return, got ${cell === undefined ? 'no cell' : JSON.stringify(cell)}`,
        { file, line, column: name, got: cell },
      )
    }
    const r = Number(cell)
    if (!(r >= -1) || !Number.isFinite(r)) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${file} line ${line}: column "${name}" return ${cell} is outside the accepted range [-1, +inf) (a simple return; -1 is a total loss)`,
        { file, line, column: name, got: cell, min: -1 },
      )
    }
    returns[i] = r
  }
  return { column: name, returns }
}

/** The returns series of a backtest's JSON report, with the periods per year it is sampled at. */
export interface BacktestReturns {
  readonly returns: Float64Array
  /** `bar` or `day` (the report's `sample.by`). */
  readonly sample: string
  /** The report's `sample.periodsPerYear`; undefined when it has none. */
  readonly periodsPerYear?: number
}

function badFile(file: string, what: string, details: Record<string, unknown> = {}): KestrelError {
  return new KestrelError('DATA_BAD_FILE', `${file}: ${what}`, { file, ...details })
}

/** Line and column of a character offset in `text` (both from 1). */
function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at).split('\n')
  return { line: before.length, column: before[before.length - 1]!.length + 1 }
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)

/**
 * Reads the `returns` series of a `kestrel backtest --json` report. Text that is not JSON is a DATA_BAD_FILE
 * error naming the file, line and column; so is a document without a `returns` array (a refused run's report
 * says its error). An entry whose `return` is not a number ≥ −1 is a DATA_BAD_ROW error naming its index and date.
 */
export function readBacktestReturns(text: string, file: string): BacktestReturns {
  let doc: unknown
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    const msg = (e as Error).message
    const pos = /position (\d+)/.exec(msg)
    // Node 20 gives no position for a text that ends too soon: the place is its end.
    const at = pos ? Number(pos[1]) : /end of JSON input/i.test(msg) ? text.length : undefined
    const where = at !== undefined ? lineColumn(text, at) : undefined
    throw badFile(
      file,
      `not valid JSON${where ? ` at line ${where.line} column ${where.column}` : ''}: ${msg} (expected the output of kestrel backtest --json)`,
      { ...where },
    )
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw badFile(file, `expected the JSON object of kestrel backtest --json, got ${kindOf(doc)}`)
  const d = doc as Record<string, unknown>
  if (!('returns' in d)) {
    const err = d.error as { code?: unknown; message?: unknown } | undefined
    throw badFile(
      file,
      err && typeof err === 'object'
        ? `no "returns": the report is of a backtest that did not run (${String(err.code)}: ${String(err.message)})`
        : 'no "returns" array (the output of kestrel backtest --json has one)',
    )
  }
  const rows = d.returns
  if (!Array.isArray(rows)) throw badFile(file, `"returns": expected an array, got ${kindOf(rows)}`)
  if (rows.length === 0) throw badFile(file, '"returns" is empty: no periods to compute metrics from')
  const returns = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown> | null
    const r = row !== null && typeof row === 'object' && !Array.isArray(row) ? row.return : undefined
    const at = row && typeof row === 'object' && typeof row.date === 'string' ? ` (${row.date})` : ''
    if (typeof r !== 'number' || !Number.isFinite(r) || r < -1) {
      throw new KestrelError(
        'DATA_BAD_ROW',
        `${file}: returns[${i}]${at}.return: expected a number >= -1 (a simple return), got ${r === undefined ? `no "return" in ${JSON.stringify(row)}` : JSON.stringify(r)}`,
        { file, index: i, got: r },
      )
    }
    returns[i] = r
  }
  const sample = d.sample as { by?: unknown; periodsPerYear?: unknown } | undefined
  const ppy = sample && typeof sample === 'object' ? sample.periodsPerYear : undefined
  if (ppy !== undefined && !(typeof ppy === 'number' && Number.isFinite(ppy) && ppy > 0))
    throw badFile(file, `"sample.periodsPerYear": expected a number > 0, got ${JSON.stringify(ppy)}`)
  return {
    returns,
    sample: sample && typeof sample.by === 'string' ? sample.by : 'unknown',
    ...(ppy !== undefined ? { periodsPerYear: ppy } : {}),
  }
}

/** Whether `text` read from `file` is JSON (a `.json` name, or text that starts with `{`). */
function isJson(file: string, text: string): boolean {
  return /\.json$/i.test(file) || /^\uFEFF?\s*[{[]/.test(text)
}

/** Settings of {@link returnStats}. */
export interface ReturnStatsOptions {
  /** Required for a CSV; a backtest JSON's own `sample.periodsPerYear` when absent. */
  readonly periodsPerYear?: number
  /** Risk-free return per period (default 0). */
  readonly riskFree?: number
  /** Strategy variants tried, for the deflated Sharpe ratio (default 1). */
  readonly trials?: number
  readonly trialSharpeVariance?: number
  /** The column to read (default: returns/return/ret, or the only numeric column). */
  readonly column?: string
}

/** What {@link returnStats} computed, and from what. */
export interface ReturnStats {
  readonly file: string
  /** The CSV column read, or `returns` for a backtest JSON. */
  readonly column: string
  /** `csv`, or `backtest-json` (the report of `kestrel backtest --json`). */
  readonly format: 'csv' | 'backtest-json'
  /** How a backtest JSON's returns are sampled (`bar` or `day`). */
  readonly sample?: string
  readonly periods: number
  readonly periodsPerYear: number
  readonly metrics: Metrics
}

/**
 * The metrics of the returns in `file`: a CSV column, or the `returns` series of a `kestrel backtest --json`
 * report (annualised with its own periods per year unless `periodsPerYear` is given).
 */
export function returnStats(file: string, o: ReturnStatsOptions): ReturnStats {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${file}: cannot read (${(e as Error).message})`, { file }, { cause: e })
  }
  let column = 'returns'
  let returns: Float64Array
  let sample: string | undefined
  let ppy = o.periodsPerYear
  const json = isJson(file, text)
  if (json) {
    if (o.column !== undefined && o.column !== 'returns')
      throw new KestrelError('USAGE', `--column ${o.column}: ${file} is a backtest JSON, whose series is "returns"`)
    const b = readBacktestReturns(text, file)
    returns = b.returns
    sample = b.sample
    ppy ??= b.periodsPerYear
    if (ppy === undefined)
      throw new KestrelError('USAGE', `${file}: no "sample.periodsPerYear" in the report; give --periods-per-year`, {
        file,
      })
  } else {
    ;({ column, returns } = readReturnsColumn(text, file, o.column))
    if (ppy === undefined)
      throw new KestrelError('USAGE', `${file}: --periods-per-year is required for a CSV of returns`, { file })
  }
  const metrics = computeReturnMetrics(returns, {
    periodsPerYear: ppy,
    riskFree: o.riskFree ?? 0,
    trials: o.trials ?? 1,
    trialSharpeVariance: o.trialSharpeVariance,
  })
  return {
    file,
    column,
    format: json ? 'backtest-json' : 'csv',
    ...(sample !== undefined ? { sample } : {}),
    periods: returns.length,
    periodsPerYear: ppy,
    metrics,
  }
}

/** Rows of the human-readable metrics table; outcome statistics over periods read as percentages. */
export function metricsTableRows(m: Metrics): { group: string; metric: string; value: string }[] {
  const periods = m.trades.basis === 'periods'
  return METRIC_LABELS.map((l) => {
    const perPeriodReturn = periods && /^trades\.(expectancy|average)/.test(l.key)
    return {
      group: periods && l.group === 'Trades' ? 'Outcomes (periods)' : l.group,
      metric: l.label,
      value: formatMetric(metricValue(m, l.key), perPeriodReturn ? 'pct' : l.kind),
    }
  })
}
