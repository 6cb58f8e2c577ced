/**
 * What every scanner hands out: an alert about one instrument at one time. An alert's `time` is when the scanner
 * could first know it: the close time of the last bar it used, or a news item's publication time; never earlier.
 */
import { KestrelError, type BarSeries, type EpochMs } from '../../core/index.ts'

/** One scanner alert. */
export interface ScannerAlert {
  /** When the alert could first be known (epoch ms): a bar's close time, a news item's time. */
  readonly time: EpochMs
  readonly instrumentId: string
  /** The scanner's name (`unusual-volume`); the bus topic is `alert.scanner.<scanner>`. */
  readonly scanner: string
  /** Strength in [0, 1]; 0.5 is an alert just at its threshold. */
  readonly score: number
  /** The scanner's measurements (z-scores, levels, headlines). */
  readonly details: Readonly<Record<string, number | string | boolean | null>>
}

/** A layer-1 scanner over one instrument's bars: batch, causal (an alert at bar i uses bars 0..i only). */
export interface BarScanner {
  readonly name: string
  scan(series: BarSeries): ScannerAlert[]
}

/** Maps x ≥ 0 to [0, 1): x / (1 + x), so an alert at its threshold (x = 1) scores 0.5; +∞ scores 1. */
export function squash(x: number): number {
  if (!(x > 0)) return 0
  if (x === Infinity) return 1
  return x / (1 + x)
}

/** Orders alerts by time, then score (highest first), then instrument and scanner: the output order. */
export function compareAlerts(a: ScannerAlert, b: ScannerAlert): number {
  return (
    a.time - b.time ||
    b.score - a.score ||
    (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0) ||
    (a.scanner < b.scanner ? -1 : a.scanner > b.scanner ? 1 : 0)
  )
}

/** A scanner name usable as one bus topic segment: letters, digits, `-` and `_`. */
export function checkScannerName(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name))
    throw new KestrelError(
      'PARAM_INVALID',
      `scanner name ${JSON.stringify(name)}: expected letters, digits, - or _ (it is a bus topic segment)`,
      { name },
    )
  return name
}

/** Throws PARAM_INVALID unless `v` is an integer ≥ `min`. */
export function requireInt(v: number, where: string, min: number): void {
  if (!(Number.isInteger(v) && v >= min))
    throw new KestrelError('PARAM_INVALID', `${where}: expected an integer >= ${min}, got ${v}`, { where, got: v })
}

/** Throws PARAM_INVALID unless `v` is a finite number > 0. */
export function requirePositive(v: number, where: string): void {
  if (!(Number.isFinite(v) && v > 0))
    throw new KestrelError('PARAM_INVALID', `${where}: expected a number > 0, got ${v}`, { where, got: v })
}
