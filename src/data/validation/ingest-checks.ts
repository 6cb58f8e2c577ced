/**
 * Stage 1, on ingest: types and OHLC consistency, positive prices, volume, duplicate and out-of-order
 * timestamps, bad ticks (robust z-score of the high/low range), outlier returns (robust z-score of close-to-close
 * log returns), suspected unadjusted splits, zero-volume bars and gaps against the trading calendar.
 */
import { isoUtc, parseTimeframe } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'
import { describeGap, findGaps, type GapRun } from './gaps.ts'
import { median, robustScale } from './robust.ts'
import { matchSplitRatio } from './splits.ts'
import { makeReport, type Finding, type ValidationReport } from './types.ts'

/** Settings of the ingest checks. */
export interface IngestCheckOptions {
  /** File or provider name for messages. */
  readonly source?: string
  /** 1-based file line of each row (from the CSV parser). */
  readonly lines?: Int32Array
  /** Calendar to check gaps against; no gap check without one. */
  readonly calendar?: TradingCalendar
  /** Robust z-score of a close-to-close log return above which it is reported (warning). Default 12. */
  readonly outlierZ?: number
  /** Robust z-score of a bar's log(high/low) above which the bar is a bad tick (error). Default 100. */
  readonly rangeZ?: number
  /** Log tolerance for a jump to count as a split ratio. Default 0.035. */
  readonly splitTolerance?: number
  /**
   * Only the checks of each row on its own and against the last good row before it (no robust statistics, no
   * gaps): what a feed checks chunk by chunk, since those other checks need the whole series.
   */
  readonly rowChecksOnly?: boolean
  /** Added to the row index that names a row without a time in messages (a chunk's offset in its series). */
  readonly rowOffset?: number
}

/** The ingest report, with the gap runs found. */
export interface IngestReport extends ValidationReport {
  readonly gaps: GapRun[]
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const

/** Runs every ingest check over `s` (rows in file order). */
export function validateIngest(s: BarSeries, opts: IngestCheckOptions = {}): IngestReport {
  const n = s.openTime.length
  const src = opts.source ?? s.instrumentId
  const findings: Finding[] = []
  const rejected = new Uint8Array(n)
  const { open: O, high: H, low: L, close: C, volume: V, openTime: T } = s
  const where = (i: number) =>
    opts.lines ? `${src} line ${opts.lines[i]}` : `${src} ${Number.isFinite(T[i]!) ? isoUtc(T[i]!) : `row ${i + (opts.rowOffset ?? 0)}`}`
  const add = (i: number, severity: Finding['severity'], reason: string, field: string | undefined, msg: string, details?: Record<string, unknown>) => {
    findings.push({
      stage: 'ingest',
      severity,
      reason,
      message: `${where(i)}: ${msg}`,
      index: i,
      line: opts.lines?.[i],
      timestamp: Number.isFinite(T[i]!) ? T[i] : undefined,
      field,
      details,
    })
    if (severity === 'error') rejected[i] = 1
  }

  // Pass 1: each row on its own, and its time against the last good time.
  let lastT = -Infinity
  for (let i = 0; i < n; i++) {
    const t = T[i]!
    const o = O[i]!
    const h = H[i]!
    const l = L[i]!
    const c = C[i]!
    const v = V[i]!
    // Times are compared with the last row that passed, so a good row may replace a rejected one.
    if (!Number.isFinite(t)) add(i, 'error', 'BAD_TIMESTAMP', 'timestamp', `timestamp ${t} is not finite`)
    else if (t === lastT) add(i, 'error', 'DUPLICATE_TIMESTAMP', 'timestamp', `duplicate timestamp ${isoUtc(t)}`)
    else if (t < lastT) add(i, 'error', 'OUT_OF_ORDER', 'timestamp', `timestamp ${isoUtc(t)} is before the previous ${isoUtc(lastT)}`)
    if (!Number.isFinite(o + h + l + c + v)) {
      for (const f of FIELDS) {
        const x = s[f][i]!
        if (!Number.isFinite(x)) add(i, 'error', 'NON_FINITE', f, `${f} ${x} is not finite`)
      }
      continue
    }
    if (!(o > 0 && h > 0 && l > 0 && c > 0)) {
      for (const f of FIELDS.slice(0, 4)) {
        const x = s[f][i]!
        if (!(x > 0)) add(i, 'error', 'NON_POSITIVE_PRICE', f, `${f} ${x} is not > 0`)
      }
    }
    if (v < 0) add(i, 'error', 'NEGATIVE_VOLUME', 'volume', `volume ${v} < 0`)
    if (h < l) add(i, 'error', 'HIGH_BELOW_LOW', 'high', `high ${h} < low ${l}`)
    if (h < o || h < c) add(i, 'error', 'HIGH_BELOW_OPEN_CLOSE', 'high', `high ${h} < ${h < o ? `open ${o}` : `close ${c}`}`)
    if (l > o || l > c) add(i, 'error', 'LOW_ABOVE_OPEN_CLOSE', 'low', `low ${l} > ${l > o ? `open ${o}` : `close ${c}`}`)
    if (v === 0 && !rejected[i]) add(i, 'warning', 'ZERO_VOLUME', 'volume', 'zero volume')
    if (!rejected[i]) lastT = t
  }

  if (opts.rowChecksOnly) return { ...makeReport('ingest', n, findings, rejected), gaps: [] }

  // Pass 2: bad ticks, a bar whose high/low range is far outside the file's typical range.
  const range = new Float64Array(n)
  for (let i = 0; i < n; i++) range[i] = rejected[i] ? NaN : Math.log(H[i]! / L[i]!)
  const rMed = median(range)
  const rScale = robustScale(range, rMed)
  const rangeZ = opts.rangeZ ?? 100
  if (rScale > 0) {
    for (let i = 0; i < n; i++) {
      const z = (range[i]! - rMed) / rScale
      if (z > rangeZ) {
        add(i, 'error', 'OUTLIER_RANGE', H[i]! / O[i]! > O[i]! / L[i]! ? 'high' : 'low',
          `bad tick: range high ${H[i]} / low ${L[i]} is ${z.toFixed(0)} robust σ from typical (limit ${rangeZ})`, { z })
      }
    }
  }

  // Pass 3: over the rows kept, split-sized jumps between sessions and outlier returns.
  const tfMs = safeTimeframeMs(s.timeframe)
  const ret = new Float64Array(n).fill(NaN)
  let prev = -1
  for (let i = 0; i < n; i++) {
    if (rejected[i]) continue
    if (prev >= 0) ret[i] = Math.log(C[i]! / C[prev]!)
    prev = i
  }
  const mMed = median(ret)
  const mScale = robustScale(ret, mMed)
  const outlierZ = opts.outlierZ ?? 12
  prev = -1
  for (let i = 0; i < n; i++) {
    if (rejected[i]) continue
    const p = prev
    prev = i
    if (p < 0) continue
    const newSession = tfMs === undefined || tfMs >= 86_400_000 || T[i]! - T[p]! > tfMs
    const split = newSession ? matchSplitRatio(O[i]! / C[p]!, opts.splitTolerance) : undefined
    if (split && Math.abs(Math.log(C[i]! / O[i]!)) < Math.abs(Math.log(split.factor)) / 4) {
      add(i, 'warning', 'SUSPECTED_UNADJUSTED_SPLIT', 'open',
        `open ${O[i]} after close ${C[p]} is a ${split.label} jump and stays there: suspected unadjusted split`,
        { ratio: split.label, factor: O[i]! / C[p]! })
      continue
    }
    const z = Math.abs(ret[i]! - mMed) / mScale
    if (z > outlierZ) {
      add(i, 'warning', 'OUTLIER_RETURN', 'close', `return ${(ret[i]! * 100).toFixed(2)}% is ${z.toFixed(1)} robust σ (limit ${outlierZ})`, { z })
    }
  }

  // Gaps against the calendar, as runs (intraday and daily bars; weekly and longer bars span several sessions).
  let gaps: GapRun[] = []
  if (opts.calendar && tfMs !== undefined && tfMs <= 86_400_000) {
    gaps = findGaps(T, tfMs, opts.calendar, rejected)
    for (const g of gaps) {
      findings.push({
        stage: 'ingest',
        severity: 'warning',
        reason: 'GAP',
        message: `${src}: ${describeGap(g, s.timeframe)} against ${opts.calendar.id}`,
        timestamp: g.from,
        count: g.count,
        details: { session: g.session, calendar: opts.calendar.id },
      })
    }
  }
  return { ...makeReport('ingest', n, findings, rejected), gaps }
}

function safeTimeframeMs(tf: string): number | undefined {
  try {
    return parseTimeframe(tf).ms
  } catch {
    return undefined
  }
}
