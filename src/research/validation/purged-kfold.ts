/**
 * Purged k-fold cross-validation with an embargo (López de Prado, *Advances in Financial Machine Learning*,
 * ch. 7). Each observation i carries a label interval [t0[i], t1[i]] (e.g. a triple-barrier label from its bar
 * to the barrier touch). Test folds are contiguous blocks; a training observation is *purged* when its label
 * interval overlaps the test block's span [min t0, max t1], and *embargoed* when it starts among the
 * `⌊n · embargoPct⌋` observations right after the test block's last label ends.
 */
import { requireParam } from '../../core/index.ts'

/** Label intervals of the observations, sorted by `t0` (times in any consistent unit, e.g. epoch ms). */
export interface LabelTimes {
  readonly t0: ArrayLike<number>
  readonly t1: ArrayLike<number>
}

/** One split: sorted observation indices. */
export interface PurgedSplit {
  readonly train: Int32Array
  readonly test: Int32Array
}

/** Validates label times: equal lengths, t0 ascending, t1 ≥ t0. */
export function checkLabelTimes(times: LabelTimes): void {
  const { t0, t1 } = times
  requireParam(t0.length === t1.length, 't1.length', `${t0.length} (as t0)`, t1.length)
  for (let i = 0; i < t0.length; i++) {
    requireParam(t1[i]! >= t0[i]!, `t1[${i}]`, `>= t0[${i}] (${t0[i]})`, t1[i])
    if (i > 0) requireParam(t0[i]! >= t0[i - 1]!, `t0[${i}]`, `>= t0[${i - 1}] (sorted)`, t0[i])
  }
}

/** The contiguous blocks [start, end) of `n` observations split into `k` groups as numpy's array_split does. */
export function contiguousGroups(n: number, k: number): [number, number][] {
  requireParam(Number.isInteger(k) && k >= 2 && k <= n, 'k', `an integer in [2, n = ${n}]`, k)
  const base = Math.floor(n / k)
  const extra = n % k
  const out: [number, number][] = []
  let s = 0
  for (let g = 0; g < k; g++) {
    const len = base + (g < extra ? 1 : 0)
    out.push([s, s + len])
    s += len
  }
  return out
}

/**
 * Training indices for a set of test blocks: every observation outside the blocks whose label interval does
 * not overlap any block's span, and which does not start within `embargo` observations after a block's span ends.
 */
export function purgedTrainIndices(
  times: LabelTimes,
  blocks: readonly [number, number][],
  embargo: number,
): Int32Array {
  const { t0, t1 } = times
  const n = t0.length
  const keep = new Uint8Array(n).fill(1)
  for (const [a, b] of blocks) {
    let spanEnd = -Infinity
    for (let i = a; i < b; i++) spanEnd = Math.max(spanEnd, t1[i]!)
    const spanStart = t0[a]!
    for (let i = 0; i < n; i++) {
      // overlap of [t0[i], t1[i]] with [spanStart, spanEnd]
      if (t0[i]! <= spanEnd && t1[i]! >= spanStart) keep[i] = 0
    }
    // embargo: the first `embargo` observations starting after the span's end
    let first = b
    while (first < n && t0[first]! <= spanEnd) first++
    for (let i = first; i < Math.min(n, first + embargo); i++) keep[i] = 0
  }
  const out: number[] = []
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i)
  return Int32Array.from(out)
}

function range(a: number, b: number): Int32Array {
  return Int32Array.from({ length: b - a }, (_, i) => a + i)
}

/** Purged k-fold splits (test folds in order). `embargoPct` is the embargo as a fraction of n, default 0. */
export function purgedKFold(times: LabelTimes, k: number, embargoPct = 0): PurgedSplit[] {
  checkLabelTimes(times)
  requireParam(embargoPct >= 0 && embargoPct < 1, 'embargoPct', 'a fraction in [0, 1)', embargoPct)
  const n = times.t0.length
  const embargo = Math.floor(n * embargoPct)
  return contiguousGroups(n, k).map(([a, b]) => ({
    train: purgedTrainIndices(times, [[a, b]], embargo),
    test: range(a, b),
  }))
}
