/**
 * `kestrel data validate <file>`: the validation report of a CSV or Parquet bar file without storing it; exit
 * status 1 when any row has an error.
 */
import { validateFile, type Inspection, type SeriesInspection } from '../../app/data.ts'
import { isoUtc } from '../../core/index.ts'
import { toImportOptions, type FileFlags } from '../flags.ts'
import { formatReasons, printJson, stdout, table } from '../util.ts'

function dateRange(first?: number, last?: number): string {
  return first === undefined || last === undefined ? '-' : `${isoUtc(first)} → ${isoUtc(last)}`
}

/** The inspection for people: format, rows, error and warning counts by reason, then the first `limit` findings. */
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
    const f = ins.format as { format?: string; columns?: Record<string, string>; timeKind?: string; stampedAt?: string }
    const kind = f.format === 'json' ? 'freqtrade JSON' : f.format === 'feather' ? 'Feather (Arrow IPC)' : 'Parquet'
    w.write(
      `${ins.source}: ${ins.instrument.id} ${ins.accepted.timeframe}, ${kind}, time column ${f.columns?.time ?? '-'} `,
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

export async function run(file: string, o: FileFlags & { limit: string }): Promise<void> {
  const { inspection: ins, errors } = await validateFile(file, toImportOptions(o))
  if (o.json) {
    const { accepted: _a, ...rest } = ins
    printJson({ ...rest, rowsValid: ins.accepted.openTime.length, errors })
  } else printInspection(ins, Math.max(0, Number(o.limit) || 0))
  if (errors > 0) process.exitCode = 1
}
