/**
 * Performance metrics of a column of periodic simple returns read from a CSV file. The column is the one
 * named, else one named returns/return/ret, else the only numeric column.
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

/** Settings of {@link returnStats}. */
export interface ReturnStatsOptions {
  readonly periodsPerYear: number
  /** Risk-free return per period (default 0). */
  readonly riskFree?: number
  /** Strategy variants tried, for the deflated Sharpe ratio (default 1). */
  readonly trials?: number
  readonly trialSharpeVariance?: number
  /** The column to read (default: returns/return/ret, or the only numeric column). */
  readonly column?: string
}

/** The metrics of the returns in `file`. */
export function returnStats(
  file: string,
  o: ReturnStatsOptions,
): { file: string; column: string; periods: number; metrics: Metrics } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${file}: cannot read (${(e as Error).message})`, { file }, { cause: e })
  }
  const { column, returns } = readReturnsColumn(text, file, o.column)
  const metrics = computeReturnMetrics(returns, {
    periodsPerYear: o.periodsPerYear,
    riskFree: o.riskFree ?? 0,
    trials: o.trials ?? 1,
    trialSharpeVariance: o.trialSharpeVariance,
  })
  return { file, column, periods: returns.length, metrics }
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
