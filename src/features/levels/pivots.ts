/**
 * Fractal pivots (Bill Williams): bar i is a pivot high when its high is above the highs of the `n` bars
 * before it and not below those of the `n` bars after it (so a plateau counts once), and a pivot low
 * likewise. A pivot is known only `n` bars later: the streaming form reports it at bar i + n (no look-ahead).
 */
import { intParam, sameLength } from '../common/params.ts'

/** A confirmed pivot. */
export interface Pivot {
  /** Bar of the pivot. */
  readonly index: number
  /** Bar at which it is confirmed (index + n). */
  readonly confirmedAt: number
  readonly price: number
  readonly kind: 'high' | 'low'
}

function isHigh(i: number, n: number, at: (k: number) => number): boolean {
  const x = at(i)
  if (!Number.isFinite(x)) return false
  for (let k = 1; k <= n; k++) {
    if (!(x > at(i - k))) return false
    if (!(x >= at(i + k))) return false
  }
  return true
}

/** All pivots of a series, in order of confirmation. */
export function fractalPivots(high: Float64Array, low: Float64Array, n = 2): Pivot[] {
  intParam('fractalPivots(n)', n, 1)
  const len = sameLength('fractalPivots', high, low)
  const out: Pivot[] = []
  const hAt = (k: number) => high[k]!
  const lAt = (k: number) => -low[k]!
  for (let i = n; i + n < len; i++) {
    if (isHigh(i, n, hAt)) out.push({ index: i, confirmedAt: i + n, price: high[i]!, kind: 'high' })
    if (isHigh(i, n, lAt)) out.push({ index: i, confirmedAt: i + n, price: low[i]!, kind: 'low' })
  }
  return out
}

/** Streaming pivot detector over a ring buffer of the last 2n+1 bars; O(n) per update. */
export class FractalPivots {
  private readonly hb: Float64Array
  private readonly lb: Float64Array
  private count = 0

  constructor(readonly n = 2) {
    intParam('fractalPivots(n)', n, 1)
    this.hb = new Float64Array(2 * n + 1)
    this.lb = new Float64Array(2 * n + 1)
  }

  /** Adds bar `count`; returns the pivots confirmed by it (at most one high and one low). */
  update(high: number, low: number): Pivot[] {
    const m = this.hb.length
    this.hb[this.count % m] = high
    this.lb[this.count % m] = low
    const t = this.count++
    if (t < m - 1) return []
    const i = t - this.n
    const hAt = (k: number) => this.hb[k % m]!
    const lAt = (k: number) => -this.lb[k % m]!
    const out: Pivot[] = []
    if (isHigh(i, this.n, hAt)) out.push({ index: i, confirmedAt: t, price: hAt(i), kind: 'high' })
    if (isHigh(i, this.n, lAt)) out.push({ index: i, confirmedAt: t, price: -lAt(i), kind: 'low' })
    return out
  }
  reset(): void {
    this.count = 0
  }
}
