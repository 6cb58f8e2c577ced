/**
 * `kestrel data import|ls|validate|export` (this file) plus `fetch`, `resample` and `archive|restore` (their own files).
 * Import: CSV or Parquet file → parse → validate → DuckDB (bars, quarantine, ingestion log); validate: the same
 * checks without storing, exit 1 when a row has an error; ls: what is stored in each tier (DuckDB and the Parquet
 * lake); export: bars of both tiers to CSV or Parquet.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { KestrelError, isoUtc, parseIso, parseTimeframe, sliceSeries } from '../../core/index.ts'
import type { AssetClass } from '../../core/index.ts'
import {
  adjustStoredSeries,
  importFile,
  inspectCsvFile,
  inspectParquetFile,
  isParquetPath,
  writeBarsFile,
} from '../../data/index.ts'
import type { BarStore, ImportOptions, ImportReport, Inspection, SeriesInspection } from '../../data/index.ts'
import { printJson, progress, stdout, table, withExample } from '../util.ts'
import {
  STORE_HELP,
  openTiered,
  registerDataLake,
  requireBars,
  resolveInstrument,
  storeLocation,
  storeOptions,
} from './data-lake.ts'
import type { StoreCliOptions } from './data-lake.ts'
import { registerDataFetch } from './data-fetch.ts'
import { registerDataResample } from './data-resample.ts'

const ASSET_CLASSES = ['equity', 'crypto', 'crypto_perp', 'fx', 'metal', 'future', 'index', 'etf']

/** Options shared by import and validate. */
interface FileCliOptions {
  symbol?: string
  venue?: string
  assetClass?: string
  timeframe?: string
  timezone?: string
  stampedAt?: string
  calendar?: string
  outlierZ?: string
  json?: boolean
}

/** Registers `kestrel data ...`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('import, validate, list, resample, export and fetch market data')
  registerImport(data)
  registerValidate(data)
  registerLs(data)
  registerExport(data)
  registerDataFetch(data)
  registerDataResample(data)
  registerDataLake(data)
}

function fileOptions(cmd: Command): Command {
  return cmd
    .option('--symbol <s>', 'symbol (default: from the file name, e.g. SPY_1m.csv → SPY)')
    .option('--venue <v>', 'venue; the instrument id is SYMBOL.VENUE', 'CSV')
    .option(
      '--asset-class <c>',
      `one of ${ASSET_CLASSES.join(', ')} (default: crypto for pairs like BTC-USD, else equity)`,
    )
    .option('--timeframe <tf>', 'bar length, e.g. 1m, 1d (default: from the file name, else the median spacing)')
    .option('--timezone <tz>', 'IANA zone of timestamps written without an offset', 'UTC')
    .option('--stamped-at <when>', 'open|close: what the timestamp of a row marks', 'open')
    .option(
      '--calendar <id>',
      'calendar for the gap check: NYSE, NYSE_EXT, 24/7, FX, METALS (default: from the asset class)',
    )
    .option('--outlier-z <z>', 'robust z-score above which a return is reported', '12')
    .option('--json', 'machine-readable output', false)
}

/** CLI options → import options, with usage errors naming the option. */
export function toImportOptions(o: FileCliOptions): ImportOptions {
  if (o.assetClass !== undefined && !ASSET_CLASSES.includes(o.assetClass)) {
    throw new KestrelError(
      'USAGE',
      `--asset-class ${JSON.stringify(o.assetClass)}: expected one of ${ASSET_CLASSES.join(', ')}`,
    )
  }
  if (o.stampedAt !== undefined && o.stampedAt !== 'open' && o.stampedAt !== 'close') {
    throw new KestrelError('USAGE', `--stamped-at ${JSON.stringify(o.stampedAt)}: expected open or close`)
  }
  const z = o.outlierZ === undefined ? undefined : Number(o.outlierZ)
  if (z !== undefined && !(z > 0))
    throw new KestrelError('USAGE', `--outlier-z ${JSON.stringify(o.outlierZ)}: expected a number > 0`)
  if (o.timeframe) parseTimeframe(o.timeframe)
  return {
    symbol: o.symbol,
    venue: o.venue,
    assetClass: o.assetClass as AssetClass | undefined,
    timeframe: o.timeframe,
    timezone: o.timezone,
    stampedAt: o.stampedAt as 'open' | 'close' | undefined,
    calendar: o.calendar,
    outlierZ: z,
  }
}

/** `{ OUTLIER_RANGE: 3, GAP: 433 }` → `OUTLIER_RANGE 3, GAP 433` (or `-`). */
export function formatReasons(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
  return parts.length ? parts.join(', ') : '-'
}

function dateRange(first?: number, last?: number): string {
  return first === undefined || last === undefined ? '-' : `${isoUtc(first)} → ${isoUtc(last)}`
}

function registerImport(data: Command): void {
  withExample(
    fileOptions(
      data
        .command('import')
        .description(
          'import CSV or Parquet bar files into the store: parse, validate, quarantine bad rows, log the import',
        )
        .argument('<files...>', 'CSV or .parquet files; symbol and timeframe come from names like SPY_1m.csv'),
    )
      .option('--db <file>', STORE_HELP.db)
      .option('--lake <dir>', STORE_HELP.lake)
      .option('--config <yaml>', STORE_HELP.config)
      .action(async (files: string[], o: FileCliOptions & StoreCliOptions) => {
        const opts = toImportOptions(o)
        const loc = storeLocation(o)
        const reports: ImportReport[] = []
        for (const f of files) {
          const bar = progress(f)
          let started = ''
          // Parsed and validated before the store opens, which is held only for the one commit. Through both
          // tiers, so bars already archived to the lake are not written hot again.
          const r = await importFile(() => openTiered(loc), f, {
            ...opts,
            onProgress: (p) => {
              if (p.phase !== started) {
                if (started) bar.stop()
                started = p.phase
                if (p.phase !== 'done') bar.start(p.total, p.phase)
              }
              bar.update(p.done)
            },
          })
          bar.stop()
          reports.push(r)
        }
        if (o.json) return printJson(reports.map(({ findings: _f, ...r }) => r))
        stdout().write(
          table(
            reports.map((r) => ({
              file: r.source,
              instrument: r.instrumentId,
              tf: r.timeframe,
              read: r.rowsRead,
              accepted: r.rowsAccepted,
              new: r.rowsInserted,
              quarantined: r.rowsQuarantined,
              status: r.skipped
                ? 'already imported (same file hash): nothing added'
                : `imported, data version ${r.dataVersion}`,
              errors: formatReasons(r.errorsByReason),
            })),
          ),
        )
      }),
    'kestrel data import data/bundled/SPY_1m.csv --venue ARCA',
    'kestrel data import exports/SPY_1m.parquet --venue ARCA',
    'kestrel data import ticks/eurusd.csv --symbol EURUSD --asset-class fx --timezone America/New_York --stamped-at close',
  )
}

function printInspection(ins: Inspection | SeriesInspection, limit: number): void {
  const errors = ins.findings.filter((f) => f.severity === 'error')
  const warnings = ins.findings.filter((f) => f.severity === 'warning')
  const count = (sev: 'error' | 'warning') => {
    const out: Record<string, number> = {}
    for (const f of ins.findings)
      if (f.severity === sev) out[f.reason] = (out[f.reason] ?? 0) + (f.reason === 'GAP' ? (f.count ?? 1) : 1)
    return out
  }
  const n = ins.accepted.openTime.length
  const w = stdout()
  if ('csv' in ins) {
    w.write(
      `${ins.source}: ${ins.instrument.id} ${ins.accepted.timeframe}, delimiter ${JSON.stringify(ins.csv.layout.delimiter)}, `,
    )
    w.write(`timestamps ${ins.csv.timestampKind ?? '-'} (${ins.csv.timezone}), stamped at ${ins.csv.stampedAt}`)
    w.write(
      `${ins.csv.layout.adjCloseIgnored ? ', Adj Close ignored' : ''}${ins.csv.reversed ? ', newest-first file reversed' : ''}\n`,
    )
  } else {
    const f = ins.format as { columns?: Record<string, string>; timeKind?: string; stampedAt?: string }
    w.write(
      `${ins.source}: ${ins.instrument.id} ${ins.accepted.timeframe}, Parquet, time column ${f.columns?.time ?? '-'} `,
    )
    w.write(`(${f.timeKind ?? '-'}), stamped at ${f.stampedAt ?? 'open'}\n`)
  }
  w.write(
    `rows: ${ins.rowsRead} read, ${n} valid, ${ins.quarantine.length} rejected; ${dateRange(ins.accepted.openTime[0], ins.accepted.openTime[n - 1])}\n`,
  )
  w.write(`errors:   ${formatReasons(count('error'))}\n`)
  w.write(`warnings: ${formatReasons(count('warning'))}${ins.calendar ? ` (gaps against ${ins.calendar})` : ''}\n`)
  const shown = [...errors, ...warnings].slice(0, limit)
  if (shown.length) {
    w.write('\n')
    w.write(
      table(
        shown.map((f) => ({
          severity: f.severity,
          reason: f.reason,
          line: f.line,
          time: f.timestamp === undefined ? '' : isoUtc(f.timestamp),
          field: f.field ?? '',
          message: f.message,
        })),
      ),
    )
    const more = errors.length + warnings.length - shown.length
    if (more > 0) w.write(`(${more} more; --limit N to show more, --json for all)\n`)
  }
}

function registerValidate(data: Command): void {
  withExample(
    fileOptions(
      data
        .command('validate')
        .description('check a CSV or Parquet bar file without storing it; exit status 1 when any row has an error')
        .argument('<file>', 'CSV or .parquet file'),
    )
      .option('--limit <n>', 'findings to list', '20')
      .action(async (file: string, o: FileCliOptions & { limit: string }) => {
        const ins = isParquetPath(file)
          ? await inspectParquetFile(file, toImportOptions(o))
          : await inspectCsvFile(file, toImportOptions(o))
        const errors = ins.findings.filter((f) => f.severity === 'error').length
        if (o.json) {
          const { accepted: _a, ...rest } = ins
          printJson({ ...rest, rowsValid: ins.accepted.openTime.length, errors })
        } else printInspection(ins, Math.max(0, Number(o.limit) || 0))
        if (errors > 0) process.exitCode = 1
      }),
    'kestrel data validate data/bundled/AAPL_1d.csv',
    'kestrel data validate prices.csv --timezone Europe/London --json',
  )
}

function registerLs(data: Command): void {
  withExample(
    storeOptions(
      data
        .command('ls')
        .description(
          'list the stored series: rows in all, hot (DuckDB or PostgreSQL) and in the Parquet lake, date range, rows quarantined',
        ),
    )
      .option('--json', 'machine-readable output', false)
      .action(async (o: StoreCliOptions & { json: boolean }) => {
        const store = await openTiered(o)
        try {
          const key = (r: { instrumentId: string; timeframe: string }) => `${r.instrumentId}\u0000${r.timeframe}`
          const hot = new Map((await store.hot.summary()).map((r) => [key(r), r.rows]))
          const cold = new Map((await store.lake.summary()).map((r) => [key(r), r.rows]))
          const rows = (await store.summary()).map((r) => ({
            ...r,
            hotRows: hot.get(key(r)) ?? 0,
            lakeRows: cold.get(key(r)) ?? 0,
          }))
          if (o.json) return printJson(rows)
          stdout().write(
            table(
              rows.map((r) => ({
                instrument: r.instrumentId,
                timeframe: r.timeframe,
                rows: r.rows,
                hot: r.hotRows,
                lake: r.lakeRows,
                range: dateRange(r.first, r.last),
                quarantined: r.quarantined,
              })),
            ),
          )
        } finally {
          await store.close()
        }
      }),
    'kestrel data ls --db .kestrel/kestrel.duckdb',
  )
}

function registerExport(data: Command): void {
  withExample(
    data
      .command('export')
      .description('write stored bars (hot store and Parquet lake alike) to CSV (re-importable) or Parquet')
      .argument('<symbol>', 'instrument id (SPY.ARCA) or a symbol stored under one venue (SPY)')
      .requiredOption('--timeframe <tf>', 'bar length, e.g. 1m')
      .option('--from <iso>', 'first bar open time (inclusive), e.g. 2013-10-07')
      .option('--to <iso>', 'end (exclusive)')
      .option('--format <f>', 'csv|parquet', 'csv')
      .requiredOption('--out <file>', 'output file')
      .option('--db <file>', STORE_HELP.db)
      .option('--lake <dir>', STORE_HELP.lake)
      .option('--config <yaml>', STORE_HELP.config)
      .option('--adjust <actions.csv>', 'back-adjust for splits and dividends (file: symbol,date,type,value)')
      .action(
        async (
          symbol: string,
          o: {
            timeframe: string
            from?: string
            to?: string
            format: string
            out: string
            adjust?: string
          } & StoreCliOptions,
        ) => {
          if (o.format !== 'csv' && o.format !== 'parquet') {
            throw new KestrelError('USAGE', `--format ${JSON.stringify(o.format)}: expected csv or parquet`)
          }
          const tf = parseTimeframe(o.timeframe).text
          const range = {
            from: o.from === undefined ? undefined : parseIso(o.from),
            to: o.to === undefined ? undefined : parseIso(o.to),
          }
          const store = await openTiered(o)
          try {
            const id = await resolveInstrument(store, symbol)
            if (o.adjust)
              return await exportAdjusted(
                store,
                id,
                tf,
                { ...o, format: o.format, adjust: o.adjust },
                range.from,
                range.to,
              )
            const what = `${id} ${tf}${o.from || o.to ? ` from ${o.from ?? 'the start'} to ${o.to ?? 'the end'}` : ''}`
            const n = await writeBarsFile(requireBars(store.streamBars(id, tf, range), what), o.out, o.format)
            stdout().write(`wrote ${n} ${tf} bars of ${id} to ${o.out} (${o.format})\n`)
          } finally {
            await store.close()
          }
        },
      ),
    'kestrel data export SPY --timeframe 1m --from 2013-10-07 --to 2013-10-08 --out out/spy.csv',
    'kestrel data export BTC-USD.COINBASE --timeframe 1m --format parquet --out out/btc.parquet',
    'kestrel data export AAPL --timeframe 1d --adjust test/fixtures/data/AAPL_corporate_actions.csv --out out/aapl_adj.csv',
  )
}

/** Writes the back-adjusted series (CSV directly; Parquet through {@link writeBarsFile}). */
async function exportAdjusted(
  store: BarStore,
  id: string,
  tf: string,
  o: { format: 'csv' | 'parquet'; out: string; adjust: string },
  from?: number,
  to?: number,
): Promise<void> {
  const adj = await adjustStoredSeries(store, id, tf, o.adjust)
  const s = adj.series
  let lo = 0
  while (lo < s.openTime.length && from !== undefined && s.openTime[lo]! < from) lo++
  let hi = lo
  while (hi < s.openTime.length && (to === undefined || s.openTime[hi]! < to)) hi++
  const part = sliceSeries(s, lo, hi)
  const n = hi - lo
  if (n === 0)
    throw new KestrelError('DATA_NOT_FOUND', `${id} ${tf}: no bars stored in the range; see kestrel data ls`, {
      id,
      tf,
    })
  if (o.format === 'parquet') {
    await writeBarsFile(
      (async function* () {
        yield part
      })(),
      o.out,
      'parquet',
    )
  } else {
    const lines = ['timestamp,open,high,low,close,volume']
    for (let i = 0; i < n; i++) {
      lines.push(
        `${isoUtc(part.openTime[i]!)},${part.open[i]},${part.high[i]},${part.low[i]},${part.close[i]},${part.volume[i]}`,
      )
    }
    const out = resolve(o.out)
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, `${lines.join('\n')}\n`)
  }
  stdout().write(
    `wrote ${n} ${tf} bars of ${id} to ${o.out} (${o.format}), back-adjusted for ${adj.applied.length} corporate actions ` +
      `from ${adj.actionsSource} (sha256 ${adj.actionsHash.slice(0, 12)}), raw data version ${adj.dataVersion}\n`,
  )
}
