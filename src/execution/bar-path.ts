/**
 * Price paths inside a bar. Bars only tell four prices, so the simulated exchange walks a model path through
 * them (open, then the nearer extreme, then the farther one, then close, by default) and asks where a
 * price level is first reached. A point where the path starts is a gap: orders already through it fill there.
 */
import type { PathModel } from './fill-models.ts'

/** Writes the bar's path into `out` (4 points) under `model`; returns 4. */
export function barPath(
  model: PathModel,
  open: number,
  high: number,
  low: number,
  close: number,
  out: Float64Array,
): number {
  let highFirst: boolean
  if (model === 'OHLC') highFirst = true
  else if (model === 'OLHC') highFirst = false
  else if (model === 'bar-direction') highFirst = close < open
  else highFirst = high - open <= open - low
  out[0] = open
  out[1] = highFirst ? high : low
  out[2] = highFirst ? low : high
  out[3] = close
  return 4
}

/** The path price at a fractional position (0 = first point, n-1 = last). */
export function priceAt(pts: Float64Array, n: number, pos: number): number {
  const i = Math.floor(pos)
  if (i >= n - 1) return pts[n - 1]!
  const f = pos - i
  return f === 0 ? pts[i]! : pts[i]! + f * (pts[i + 1]! - pts[i]!)
}

/** Result slot of {@link firstReach}: the price there. */
export const reachPrice = { value: NaN }

/**
 * The first position ≥ `start` where the path is at or beyond `target` (`up`: price ≥ target, else ≤;
 * `strict` excludes equality). Returns -1 when never; the price there goes to {@link reachPrice}: the path
 * price when the condition already holds at `start` (a gap), else `target` itself (crossed inside a segment).
 */
export function firstReach(
  pts: Float64Array,
  n: number,
  start: number,
  target: number,
  up: boolean,
  strict: boolean,
): number {
  const p0 = priceAt(pts, n, start)
  if (holds(p0, target, up, strict)) {
    reachPrice.value = p0
    return start
  }
  for (let i = Math.floor(start); i < n - 1; i++) {
    const b = pts[i + 1]!
    if (holds(b, target, up, strict)) {
      const seg0 = pts[i]!
      const span = b - seg0
      let pos = span === 0 ? i + 1 : i + (target - seg0) / span
      if (pos < start) pos = start
      reachPrice.value = target
      return Number.isFinite(pos) ? pos : i + 1
    }
  }
  return -1
}

function holds(p: number, target: number, up: boolean, strict: boolean): boolean {
  return up ? (strict ? p > target : p >= target) : strict ? p < target : p <= target
}
