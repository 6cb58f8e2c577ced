/**
 * Layer 1.5: the universe filter. From the instruments' bars and their layer-1 alerts it keeps the instruments
 * liquid enough (median dollar volume, close × volume, of the last `lookback` bars) whose volatility rank (the
 * percentile of their standard deviation of one-bar log returns over those bars among the universe: 0 the
 * calmest, 1 the wildest) is inside [minVolRank, maxVolRank], and that had alerts in the window. Each kept
 * instrument gets a combined score: the weighted mean, over the scanners that have a weight, of its best score
 * from each (a scanner without an alert adds 0). The shortlist is the instruments with a combined score above 0
 * and at least `minScore`, best first (ties by instrument id), at most `maxSize` of them.
 *
 * Everything is read as of `asOf`: bars that closed by then and alerts stamped in (asOf − window, asOf].
 */
import { KestrelError, type BarSeries, type EpochMs } from '../../core/index.ts'
import type { ScannerAlert } from './types.ts'

/** Options of {@link shortlist}. */
export interface UniverseFilterOptions {
  /** Bars (the last ones closed by `asOf`) for the liquidity and volatility measures. Default 390. */
  readonly lookback?: number
  /** Least median dollar volume per bar. Default 0. */
  readonly minDollarVolume?: number
  /** Volatility rank bounds in [0, 1]. Default 0 and 1. */
  readonly minVolRank?: number
  readonly maxVolRank?: number
  /** Weight of each scanner in the combined score; default weight 1 for every scanner seen in the alerts. */
  readonly weights?: Readonly<Record<string, number>>
  /** Least combined score to be listed. Default 0 (any alert). */
  readonly minScore?: number
  /** Longest shortlist. Default: no limit. */
  readonly maxSize?: number
  /** Alerts in (asOf − windowMs, asOf] count. Default: every alert up to `asOf`. */
  readonly windowMs?: number
}

/** One instrument of the shortlist, in the alert shape (scanner `universe`, score the combined score). */
export interface ShortlistEntry {
  readonly time: EpochMs
  readonly instrumentId: string
  readonly scanner: string
  readonly score: number
  readonly details: {
    readonly rank: number
    readonly medianDollarVolume: number
    readonly volatility: number
    readonly volRank: number
    readonly alerts: number
    /** Best score by scanner, as `name:score` pairs joined by commas. */
    readonly scanners: string
  }
}

interface Measures {
  readonly id: string
  readonly medianDollarVolume: number
  readonly volatility: number
}

function measure(s: BarSeries, asOf: EpochMs, lookback: number): Measures | undefined {
  let end = s.closeTime.length
  while (end > 0 && s.closeTime[end - 1]! > asOf) end--
  const start = Math.max(0, end - lookback)
  if (end - start < 2) return undefined
  const dv = new Float64Array(end - start)
  for (let i = start; i < end; i++) dv[i - start] = s.close[i]! * s.volume[i]!
  dv.sort()
  const m = dv.length
  const median = m % 2 === 1 ? dv[(m - 1) / 2]! : (dv[m / 2 - 1]! + dv[m / 2]!) / 2
  let sum = 0
  let sumSq = 0
  for (let i = start + 1; i < end; i++) {
    const r = Math.log(s.close[i]! / s.close[i - 1]!)
    sum += r
    sumSq += r * r
  }
  const n = end - start - 1
  const mean = sum / n
  const vol = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : 0
  return { id: s.instrumentId, medianDollarVolume: median, volatility: vol }
}

/** The layer-1.5 shortlist of `universe` as of `asOf` (see the module comment). */
export function shortlist(
  universe: readonly BarSeries[],
  alerts: readonly ScannerAlert[],
  asOf: EpochMs,
  opts: UniverseFilterOptions = {},
): ShortlistEntry[] {
  const lookback = opts.lookback ?? 390
  const minDv = opts.minDollarVolume ?? 0
  const lo = opts.minVolRank ?? 0
  const hi = opts.maxVolRank ?? 1
  const minScore = opts.minScore ?? 0
  if (!(Number.isInteger(lookback) && lookback >= 2))
    throw new KestrelError('PARAM_INVALID', `universe.lookback: expected an integer >= 2, got ${lookback}`)
  if (!(lo >= 0 && hi <= 1 && lo <= hi))
    throw new KestrelError('PARAM_INVALID', `universe: expected 0 <= minVolRank <= maxVolRank <= 1, got ${lo}, ${hi}`)
  const measures = universe.map((s) => measure(s, asOf, lookback)).filter((m): m is Measures => m !== undefined)
  // volatility rank: average rank of ties, scaled to [0, 1]
  const byVol = [...measures].sort((a, b) => a.volatility - b.volatility)
  const volRank = new Map<string, number>()
  for (let i = 0; i < byVol.length;) {
    let j = i
    while (j + 1 < byVol.length && byVol[j + 1]!.volatility === byVol[i]!.volatility) j++
    const r = byVol.length > 1 ? (i + j) / 2 / (byVol.length - 1) : 1
    for (let k = i; k <= j; k++) volRank.set(byVol[k]!.id, r)
    i = j + 1
  }
  const from = opts.windowMs === undefined ? -Infinity : asOf - opts.windowMs
  const best = new Map<string, Map<string, number>>()
  const count = new Map<string, number>()
  const seen = new Set<string>()
  for (const a of alerts) {
    if (!(a.time > from && a.time <= asOf)) continue
    seen.add(a.scanner)
    let m = best.get(a.instrumentId)
    if (!m) best.set(a.instrumentId, (m = new Map()))
    m.set(a.scanner, Math.max(m.get(a.scanner) ?? 0, a.score))
    count.set(a.instrumentId, (count.get(a.instrumentId) ?? 0) + 1)
  }
  const weights = opts.weights ?? Object.fromEntries([...seen].map((s) => [s, 1]))
  const totalWeight = Object.values(weights).reduce((a, w) => a + w, 0)
  const rows: { instrumentId: string; score: number; m: Measures; vr: number; scores: Map<string, number> }[] = []
  for (const m of measures) {
    const scores = best.get(m.id)
    if (!scores) continue
    const vr = volRank.get(m.id)!
    if (m.medianDollarVolume < minDv || vr < lo || vr > hi) continue
    let s = 0
    for (const [name, w] of Object.entries(weights)) s += w * (scores.get(name) ?? 0)
    const score = totalWeight > 0 ? s / totalWeight : 0
    if (score < minScore || score === 0) continue
    rows.push({ instrumentId: m.id, score, m, vr, scores })
  }
  rows.sort((a, b) => b.score - a.score || (a.instrumentId < b.instrumentId ? -1 : 1))
  const kept = opts.maxSize === undefined ? rows : rows.slice(0, opts.maxSize)
  return kept.map((r, i) => ({
    time: asOf,
    instrumentId: r.instrumentId,
    scanner: 'universe',
    score: r.score,
    details: {
      rank: i + 1,
      medianDollarVolume: r.m.medianDollarVolume,
      volatility: r.m.volatility,
      volRank: r.vr,
      alerts: count.get(r.instrumentId) ?? 0,
      scanners: [...r.scores.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}:${Number(v.toFixed(4))}`)
        .join(','),
    },
  }))
}
