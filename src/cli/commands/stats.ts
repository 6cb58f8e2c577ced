/**
 * `kestrel stats <returns.csv> --periods-per-year <n>`: every performance metric of a column of periodic returns.
 * The column is `--column`, else one named returns/return/ret, else the only numeric column.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { KestrelError } from '../../core/index.ts'
import { computeReturnMetrics, formatMetric, METRIC_LABELS, metricValue, type Metrics } from '../../research/index.ts'
import { printJson, stdout, table, withExample } from '../util.ts'

/** A column of returns read from a CSV file. */
export interface ReturnsColumn {
  readonly column: string
  readonly returns: Float64Array
}

const PREFERRED = ['returns', 'return', 'ret']

function splitCsvLine(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(cur.trim())
      cur = ''
    } else cur += c
  }
  out.push(cur.trim())
  return out
}

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
  const header = splitCsvLine(lines[headerIndex]!.replace(/^\uFEFF/, ''))
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
    rows.push({ line: i + 1, cells: splitCsvLine(lines[i]!) })
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

function parseNumberOption(value: string, option: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value)
  if (value.trim() === '' || !check(n)) {
    throw new KestrelError('USAGE', `${option}: expected ${expected}, got ${JSON.stringify(value)}`, { option, value })
  }
  return n
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

/** Registers `kestrel stats`. */
export function registerStats(program: Command): void {
  const cmd = program
    .command('stats')
    .description('compute performance metrics (empyrical conventions) from a CSV column of periodic simple returns')
    .argument('<returns.csv>', 'CSV file with a header and a column of periodic returns (0.01 = 1%)')
    .requiredOption('--periods-per-year <n>', 'periods per year to annualise with (252 daily, 52 weekly, 12 monthly)')
    .option('--column <name>', 'the column to read (default: returns/return/ret, or the only numeric column)')
    .option(
      '--risk-free <r>',
      'risk-free return per period: Sharpe and Omega use the excess over it, Sortino and downside risk the shortfall below it',
      '0',
    )
    .option('--trials <n>', 'number of strategy variants tried, for the deflated Sharpe ratio', '1')
    .option('--trial-sharpe-variance <v>', "variance of the trials' per-period Sharpe ratios (needed when trials > 1)")
    .option('--json', 'print one JSON object (NaN and ±Infinity become null)')
    .action((file: string, opts: Record<string, string | boolean | undefined>) => {
      const ppy = parseNumberOption(
        String(opts.periodsPerYear),
        '--periods-per-year',
        (n) => Number.isFinite(n) && n > 0,
        'a number > 0',
      )
      const riskFree = parseNumberOption(String(opts.riskFree), '--risk-free', Number.isFinite, 'a number')
      const trials = parseNumberOption(
        String(opts.trials),
        '--trials',
        (n) => Number.isInteger(n) && n >= 1,
        'an integer >= 1',
      )
      const tsv =
        opts.trialSharpeVariance === undefined
          ? undefined
          : parseNumberOption(
              String(opts.trialSharpeVariance),
              '--trial-sharpe-variance',
              (n) => Number.isFinite(n) && n >= 0,
              'a number >= 0',
            )
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch (e) {
        throw new KestrelError(
          'FILE_NOT_FOUND',
          `${file}: cannot read (${(e as Error).message})`,
          { file },
          { cause: e },
        )
      }
      const { column, returns } = readReturnsColumn(text, file, opts.column as string | undefined)
      const metrics = computeReturnMetrics(returns, {
        periodsPerYear: ppy,
        riskFree,
        trials,
        trialSharpeVariance: tsv,
      })
      if (opts.json) {
        printJson({ file, column, metrics })
        return
      }
      stdout().write(`${file}: ${returns.length} returns from column "${column}", ${ppy} periods a year\n\n`)
      stdout().write(table(metricsTableRows(metrics), ['group', 'metric', 'value']))
      stdout().write(
        '\nVaR/CVaR are per-period returns at the left tail; trade statistics run over periods (no trades given).\n',
      )
    })
  withExample(
    cmd,
    'kestrel stats daily-returns.csv --periods-per-year 252',
    'kestrel stats strategy.csv --column pnl_pct --periods-per-year 52 --json',
  )
}
