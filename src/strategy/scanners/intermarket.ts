/**
 * Layer-2 scanners from prices across markets, on the bar close times all the series involved share (a step is
 * seen at its close; each value at step i uses steps 0..i only):
 * - sector rotation: a sector's relative strength, the mean log return of its members over `lookback` steps minus
 *   the benchmark's, in units of the benchmark's volatility over those steps (σ of one-step log returns · √lookback).
 *   Its state turns strong above +threshold and weak below −threshold (in between it keeps its state, so noise
 *   around zero does not flap); a turn from weak to strong (or back) is an alert on every member of the sector.
 * - correlation break: the correlation of two markets' one-step log returns over the last `window` steps falls
 *   at least `threshold` below its correlation over the last `baseline` steps. The first step of a break is an
 *   alert on both instruments; the scanner re-arms once the gap is below threshold / 2.
 */
import { KestrelError, type BarSeries } from '../../core/index.ts'
import type { CatalystScanner } from './catalyst.ts'
import { symbolOf } from './catalyst.ts'
import { checkScannerName, requireInt, requirePositive, squash, type ScannerAlert } from './types.ts'

/** Closes of `series` on the close times all of them have, in time order. */
export function alignCloses(series: readonly BarSeries[]): { time: Float64Array; closes: Float64Array[] } {
  if (series.length === 0) return { time: new Float64Array(0), closes: [] }
  const maps = series.map((s) => {
    const m = new Map<number, number>()
    for (let i = 0; i < s.closeTime.length; i++) m.set(s.closeTime[i]!, s.close[i]!)
    return m
  })
  const times = [...maps[0]!.keys()].filter((t) => maps.every((m) => m.has(t))).sort((a, b) => a - b)
  return {
    time: Float64Array.from(times),
    closes: maps.map((m) => Float64Array.from(times, (t) => m.get(t)!)),
  }
}

/** Finds the series of an instrument id or a bare symbol; DATA_NOT_FOUND names what the universe has. */
export function findSeries(series: readonly BarSeries[], key: string, where: string): BarSeries {
  const s = series.find((x) => x.instrumentId === key) ?? series.find((x) => symbolOf(x.instrumentId) === key)
  if (!s)
    throw new KestrelError(
      'DATA_NOT_FOUND',
      `${where}: no series for ${key}; the universe has ${series.map((x) => x.instrumentId).join(', ') || 'none'}`,
      { key },
    )
  return s
}

/** Options of {@link sectorRotationScanner}. */
export interface SectorRotationOptions {
  /** The benchmark's instrument id or symbol. */
  readonly benchmark: string
  /** Members (ids or symbols) by sector name. */
  readonly sectors: Readonly<Record<string, readonly string[]>>
  /** Steps of the relative strength. Default 30. */
  readonly lookback?: number
  /** Relative strength (in benchmark-volatility units) that turns the state. Default 1. */
  readonly threshold?: number
  /** Scanner name in the alerts. Default `sector-rotation`. */
  readonly name?: string
}

/** The sector-rotation scanner (see the module comment). */
export function sectorRotationScanner(opts: SectorRotationOptions): CatalystScanner {
  const name = checkScannerName(opts.name ?? 'sector-rotation')
  const L = opts.lookback ?? 30
  const threshold = opts.threshold ?? 1
  requireInt(L, 'sectorRotation.lookback', 2)
  requirePositive(threshold, 'sectorRotation.threshold')
  return {
    name,
    scan(ctx) {
      const out: ScannerAlert[] = []
      const bench = findSeries(ctx.series, opts.benchmark, name)
      for (const [sector, keys] of Object.entries(opts.sectors).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const members = keys.map((k) => findSeries(ctx.series, k, `${name} sector ${sector}`))
        const { time, closes } = alignCloses([bench, ...members])
        const b = closes[0]!
        let state = 0
        for (let i = L; i < time.length; i++) {
          let sum = 0
          let sumSq = 0
          for (let j = i - L + 1; j <= i; j++) {
            const r = Math.log(b[j]! / b[j - 1]!)
            sum += r
            sumSq += r * r
          }
          const m = sum / L
          const sd = Math.sqrt(Math.max(0, (sumSq - L * m * m) / (L - 1))) * Math.sqrt(L)
          let rs = 0
          for (let k = 1; k < closes.length; k++) rs += Math.log(closes[k]![i]! / closes[k]![i - L]!)
          rs = rs / members.length - Math.log(b[i]! / b[i - L]!)
          const x = sd > 0 ? rs / sd : rs === 0 ? 0 : Math.sign(rs) * Infinity
          const next = x > threshold ? 1 : x < -threshold ? -1 : state
          if (next !== state && state !== 0)
            for (const s of members)
              out.push({
                time: time[i]!,
                instrumentId: s.instrumentId,
                scanner: name,
                score: squash(Math.abs(x) / threshold),
                details: {
                  sector,
                  direction: next > 0 ? 'into' : 'out-of',
                  relativeStrength: rs,
                  units: Number.isFinite(x) ? x : null,
                  benchmark: bench.instrumentId,
                },
              })
          state = next
        }
      }
      return out
    },
  }
}

/** Options of {@link correlationBreakScanner}. */
export interface CorrelationBreakOptions {
  /** The two markets (ids or symbols). */
  readonly a: string
  readonly b: string
  /** Steps of the recent correlation. Default 30. */
  readonly window?: number
  /** Steps of the baseline correlation (more than `window`). Default 240. */
  readonly baseline?: number
  /** Drop of the recent below the baseline correlation that is a break. Default 0.5. */
  readonly threshold?: number
  /** Scanner name in the alerts. Default `correlation-break`. */
  readonly name?: string
}

function corr(x: Float64Array, y: Float64Array, from: number, to: number): number {
  const n = to - from
  let sx = 0
  let sy = 0
  for (let i = from; i < to; i++) {
    sx += x[i]!
    sy += y[i]!
  }
  const mx = sx / n
  const my = sy / n
  let cxy = 0
  let cxx = 0
  let cyy = 0
  for (let i = from; i < to; i++) {
    const dx = x[i]! - mx
    const dy = y[i]! - my
    cxy += dx * dy
    cxx += dx * dx
    cyy += dy * dy
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN
}

/** The correlation-break scanner (see the module comment). */
export function correlationBreakScanner(opts: CorrelationBreakOptions): CatalystScanner {
  const name = checkScannerName(opts.name ?? 'correlation-break')
  const w = opts.window ?? 30
  const base = opts.baseline ?? 240
  const threshold = opts.threshold ?? 0.5
  requireInt(w, 'correlationBreak.window', 3)
  requireInt(base, 'correlationBreak.baseline', w + 1)
  requirePositive(threshold, 'correlationBreak.threshold')
  return {
    name,
    scan(ctx) {
      const sa = findSeries(ctx.series, opts.a, name)
      const sb = findSeries(ctx.series, opts.b, name)
      const { time, closes } = alignCloses([sa, sb])
      const n = time.length
      const ra = new Float64Array(Math.max(0, n - 1))
      const rb = new Float64Array(Math.max(0, n - 1))
      for (let i = 1; i < n; i++) {
        ra[i - 1] = Math.log(closes[0]![i]! / closes[0]![i - 1]!)
        rb[i - 1] = Math.log(closes[1]![i]! / closes[1]![i - 1]!)
      }
      const out: ScannerAlert[] = []
      let armed = true
      // return k is known at step k + 1
      for (let k = base - 1; k < ra.length; k++) {
        const recent = corr(ra, rb, k - w + 1, k + 1)
        const long = corr(ra, rb, k - base + 1, k + 1)
        if (!(Number.isFinite(recent) && Number.isFinite(long))) continue
        const gap = long - recent
        if (armed && gap >= threshold) {
          armed = false
          for (const [s, other] of [
            [sa, sb],
            [sb, sa],
          ] as const)
            out.push({
              time: time[k + 1]!,
              instrumentId: s.instrumentId,
              scanner: name,
              score: Math.min(1, gap / 2),
              details: { other: other.instrumentId, correlation: recent, baseline: long, window: w },
            })
        } else if (!armed && gap < threshold / 2) armed = true
      }
      return out
    },
  }
}
