/**
 * Session-aligned resampling of a bar CSV (written as CSV with each bar's close time and minutes present /
 * expected), and seeded synthetic markets written as CSV files.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { KestrelError, MS, isFixedTimeframe, isoUtc, parseAnyTimeframe } from '../core/index.ts'
import type { BarSeries } from '../core/index.ts'
import {
  constantCorrelation,
  fillGaps,
  generateMarket,
  getCalendar,
  hintsFromFileName,
  resample,
} from '../data/index.ts'
import type { FillMethod, PlantedPattern, ResampledSeries } from '../data/index.ts'
import { loadCsvBars } from '../engine/index.ts'
import { SESSIONS } from './choices.ts'
import { BARS_CSV_HEADER, closeFile, openFile, writeBarsCsv, writeText } from './csv-text.ts'

export type { PlantedPattern }

/**
 * The session a bar file most likely trades in, for the `auto` session: bars on a Saturday (UTC) mean a 24/7
 * market; otherwise bars only inside NYSE's extended hours on NYSE trading days mean US equities, aligned to
 * the regular session (09:30–16:00 New York; `ext` keeps pre/post-market); bars on Sunday evening New York
 * time without Saturdays mean FX; anything else is treated as 24/7.
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

/** The calendar of a session name (USAGE listing the names for an unknown one). */
export function sessionCalendar(session: string): string {
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

/** What {@link resampleFile} did. */
export interface ResampleSummary {
  file: string
  calendar: string
  from: string
  to: string
  barsIn: number
  barsOut: number
  outsideSession: number
  barsWithGaps: number
  quarantinedRows: number
  /** With `fillGaps`: the output bars inserted (flagged `filled = 1`). */
  filledBars?: number
}

/**
 * Resamples the bars of `file` to `to` aligned to `session` (`auto`: see {@link detectSession}); write them
 * with {@link writeBarsCsv}. The file gets the same read and three-stage validation as an import and a backtest: rows
 * that fail are left out with their reasons (in the notes), and a file with nothing usable is refused.
 * Returns the bars, a summary and notes on what was left out.
 */
export async function resampleFile(
  file: string,
  o: { to: string; session: string; timeframe?: string; fillGaps?: FillMethod },
): Promise<{ bars: ResampledSeries & { filled?: Uint8Array }; summary: ResampleSummary; notes: string[] }> {
  const auto = o.session.toLowerCase() === 'auto'
  if (!auto) sessionCalendar(o.session) // reject a bad value before reading
  const target = o.fillGaps ? parseAnyTimeframe(o.to) : undefined
  if (target && !(isFixedTimeframe(target) && target.ms < MS.day))
    throw new KestrelError(
      'USAGE',
      `--fill-gaps with --to ${o.to}: gaps are filled for intraday targets only; fill the daily bars with data export --fill-gaps`,
      { to: o.to },
    )
  const loaded = await loadCsvBars(file, { symbol: hintsFromFileName(file).symbol ?? 'SERIES', timeframe: o.timeframe })
  const calendar = sessionCalendar(auto ? detectSession(loaded.series) : o.session)
  const plain = resample(loaded.series, { to: o.to, calendar })
  let gaps = 0
  for (let i = 0; i < plain.count.length; i++) if (plain.count[i]! < plain.expected[i]!) gaps++
  const filled = o.fillGaps ? fillResampled(plain, calendar, o.fillGaps) : undefined
  const bars = filled?.bars ?? plain
  const notes: string[] = []
  if (loaded.quarantine.length > 0) {
    const q = loaded.quarantine[0]!
    notes.push(
      `${loaded.quarantine.length} row(s) of ${file} failed validation and are not in the output (first: line ${q.line ?? '?'}, ${q.reason}: ${q.message})`,
    )
  }
  if (bars.outsideSession > 0)
    notes.push(`${bars.outsideSession} bar(s) outside the ${calendar} sessions were left out`)
  return {
    bars,
    summary: {
      file,
      calendar,
      from: loaded.timeframe,
      to: bars.timeframe,
      barsIn: loaded.series.openTime.length,
      barsOut: bars.openTime.length,
      outsideSession: bars.outsideSession,
      barsWithGaps: gaps,
      quarantinedRows: loaded.quarantine.length,
      ...(filled ? { filledBars: filled.count } : {}),
    },
    notes,
  }
}

/** Inserts the session buckets with no input at all (count 0, flagged), forward-filled; see `fillGaps`. */
function fillResampled(
  r: ResampledSeries,
  calendar: string,
  method: FillMethod,
): { bars: ResampledSeries & { filled: Uint8Array }; count: number } {
  const f = fillGaps(r, getCalendar(calendar), method)
  const s = f.series
  const n = s.openTime.length
  const count = new Uint32Array(n)
  const expected = new Uint32Array(n)
  let i = 0
  for (let k = 0; k < n; k++) {
    if (s.filled[k]) expected[k] = Math.round((s.closeTime[k]! - s.openTime[k]!) / MS.minute)
    else {
      count[k] = r.count[i]!
      expected[k] = r.expected[i]!
      i++
    }
  }
  return { bars: { ...s, count, expected, outsideSession: r.outsideSession }, count: f.filled }
}

/** A synthetic market to generate. */
export interface SynthRequest {
  readonly symbols: number
  readonly bars: number
  readonly seed: number
  /** Calendar id or session name (rth, 24/7, …). */
  readonly calendar: string
  readonly timeframe: string
  /** First bar at or after this time, epoch ms (default 2024-01-02). */
  readonly start?: number
  /** Pairwise correlation of the symbols' returns, in (-1, 1). */
  readonly correlation: number
  readonly pattern?: PlantedPattern
  /** Folder for `SYN<i>_<timeframe>.csv`. */
  readonly out: string
}

/** Writes one CSV file per symbol; returns the calendar used and a row per file. */
export async function synthMarket(
  req: SynthRequest,
  onProgress?: (done: number, total: number) => void,
): Promise<{ calendar: string; files: { symbol: string; file: string; bars: number; from: string; to: string }[] }> {
  const calendar = getCalendar(SESSIONS[req.calendar.toLowerCase()] ?? req.calendar)
  mkdirSync(req.out, { recursive: true })
  const names = Array.from({ length: req.symbols }, (_, i) => `SYN${i}`)
  const paths = names.map((n) => join(req.out, `${n}_${req.timeframe}.csv`))
  const outs = paths.map((p) => openFile(p))
  onProgress?.(0, req.bars)
  let first = true
  let from = NaN
  let to = NaN
  for (const chunk of generateMarket({
    symbols: names,
    bars: req.bars,
    seed: req.seed,
    calendar,
    timeframe: req.timeframe,
    start: req.start,
    correlation: constantCorrelation(req.symbols, req.correlation),
    pattern: req.pattern,
  })) {
    for (let s = 0; s < req.symbols; s++) await writeBarsCsv(outs[s]!, chunk.series[s]!, first)
    const t = chunk.series[0]!.openTime
    if (first) from = t[0]!
    to = t[t.length - 1]!
    first = false
    onProgress?.(chunk.offset + t.length, req.bars)
  }
  if (first) for (const out of outs) await writeText(out, BARS_CSV_HEADER)
  for (const [i, out] of outs.entries()) await closeFile(out, paths[i]!)
  return {
    calendar: calendar.id,
    files: paths.map((file, i) => ({
      symbol: names[i]!,
      file,
      bars: req.bars,
      from: Number.isNaN(from) ? '' : isoUtc(from),
      to: Number.isNaN(to) ? '' : isoUtc(to),
    })),
  }
}
