/**
 * The timestamp checks of stage 1, over the rows that passed the row rules, in file order:
 *
 * - a row whose time is more than {@link OUTLIER_SPACINGS} median spacings from two neighbours that agree with
 *   each other is a timestamp outlier (a mistyped year): it is rejected, its neighbours are not;
 * - a row whose time equals that of an earlier kept row is a duplicate of that row (exact when every value
 *   matches), wherever the earlier row is;
 * - a row later than the two rows after it, which are in order and after the row before it, is out of order
 *   itself (a time typed too late, by less than an outlier's distance): it is rejected, the rows after it are not;
 * - any other row before the latest kept time is out of order.
 *
 * O(n log n): one pass for the outliers, one pass with a binary search among the kept times for the rest.
 */
import { median } from './robust.ts'

/** A row is an outlier when it is this many median spacings from both neighbours (and they agree). */
export const OUTLIER_SPACINGS = 100

/** An end row with neighbours on one side only, and times on the right side of them, must be this many times
 * farther out than the largest spacing between the other kept rows. */
const END_FACTOR = 10

/** One rejected row and the rows it was judged against (indices into the series). */
export type TimeIssue =
  | {
      readonly reason: 'TIMESTAMP_OUTLIER'
      readonly index: number
      readonly at: 'first' | 'middle' | 'last'
      readonly a: number
      readonly b: number
    }
  | { readonly reason: 'DUPLICATE_TIMESTAMP'; readonly index: number; readonly first: number; readonly exact: boolean }
  | {
      readonly reason: 'OUT_OF_ORDER'
      readonly index: number
      /** The latest kept row before it in time, when the row itself is behind; */
      readonly latest: number
      /** or, when the row is ahead of the rows after it: those two rows (`latest` is then the kept row before). */
      readonly ahead?: readonly [number, number]
    }

/**
 * Checks the times `T` of the rows with `skip[i] = 0` (and a finite time). `same(i, j)` tells whether rows i and
 * j carry the same values. `barMs`, the bar length when known, caps the median spacing (so that junk rows, when
 * they are most of the file, cannot make the spacing junk too). Issues come in row order.
 */
export function checkTimestamps(
  T: Float64Array,
  skip: Uint8Array,
  same: (i: number, j: number) => boolean,
  barMs?: number,
  /** `latestOnly`: no outliers, and a time is compared with the latest kept time only (a chunked feed's check). */
  opts: { readonly latestOnly?: boolean } = {},
): TimeIssue[] {
  const n = T.length
  let m = 0
  const c = new Int32Array(n)
  for (let i = 0; i < n; i++) if (!skip[i] && Number.isFinite(T[i]!)) c[m++] = i
  const outlier = opts.latestOnly ? [] : findOutliers(T, c.subarray(0, m), barMs)
  const issues: TimeIssue[] = []
  // Every candidate later than the one before it and none an outlier: each is kept, none is an issue.
  if (outlier.length === 0) {
    let p = 1
    while (p < m && T[c[p]!]! > T[c[p - 1]!]!) p++
    if (p >= m) return issues
  }
  // Kept times, strictly increasing, and the rows they came from.
  const keptT = new Float64Array(m)
  const keptI = new Int32Array(m)
  let k = 0
  let o = 0
  for (let p = 0; p < m; p++) {
    const i = c[p]!
    if (o < outlier.length && outlier[o]!.index === i) {
      issues.push(outlier[o++]!)
      continue
    }
    const t = T[i]!
    if (k === 0 || t > keptT[k - 1]!) {
      keptT[k] = t
      keptI[k++] = i
      continue
    }
    // The last kept row, just before this one, jumped ahead: this row and the next fit between the row before
    // it and it, in order. That row is the one out of place (rejecting this one would reject every row after).
    if (!opts.latestOnly && t < keptT[k - 1]! && keptI[k - 1] === c[p - 1] && p + 1 < m) {
      const floor = k >= 2 ? keptT[k - 2]! : -Infinity
      const next = T[c[p + 1]!]!
      if (t > floor && next > t && next < keptT[k - 1]!) {
        k--
        issues.push({
          reason: 'OUT_OF_ORDER',
          index: keptI[k]!,
          latest: k > 0 ? keptI[k - 1]! : -1,
          ahead: [i, c[p + 1]!],
        })
        keptT[k] = t
        keptI[k++] = i
        continue
      }
    }
    const j = t === keptT[k - 1]! ? k - 1 : opts.latestOnly ? -1 : search(keptT, k, t)
    if (j >= 0) issues.push({ reason: 'DUPLICATE_TIMESTAMP', index: i, first: keptI[j]!, exact: same(i, keptI[j]!) })
    else issues.push({ reason: 'OUT_OF_ORDER', index: i, latest: keptI[k - 1]! })
  }
  return issues
}

/** Index of `t` in the sorted `a[0..len)`, or -1. */
function search(a: Float64Array, len: number, t: number): number {
  let lo = 0
  let hi = len - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = a[mid]!
    if (v === t) return mid
    if (v < t) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** The timestamp outliers among the candidate rows `c` (indices into T, file order), in row order. */
function findOutliers(
  T: Float64Array,
  c: Int32Array,
  barMs?: number,
): Extract<TimeIssue, { reason: 'TIMESTAMP_OUTLIER' }>[] {
  const m = c.length
  if (m < 3) return []
  // The candidates' times, in order (tt[p] is the time of row c[p]).
  const tt = new Float64Array(m)
  for (let p = 0; p < m; p++) tt[p] = T[c[p]!]!
  const diffs = new Float64Array(m - 1)
  for (let p = 1; p < m; p++) {
    const d = tt[p]! - tt[p - 1]!
    diffs[p - 1] = d > 0 ? d : NaN
  }
  const spacing =
    barMs !== undefined && barMs > 0 ? Math.min(lowerMedian(diffs) || Infinity, barMs) : lowerMedian(diffs)
  if (!(spacing > 0)) return []
  const K = OUTLIER_SPACINGS * spacing
  const near = (x: number, y: number) => Math.abs(x - y) <= K
  const out = new Uint8Array(m)
  // The first row, later than the two rows after it (which agree): e.g. 2998 before a file of 1998.
  if (near(tt[1]!, tt[2]!) && tt[0]! - tt[1]! > K) out[0] = 1
  // Middle rows: far from the last kept row and from the next row, which agree with each other.
  let last = out[0] ? 1 : 0
  let beforeLast = -1
  for (let p = last + 1; p < m - 1; p++) {
    if (near(tt[last]!, tt[p + 1]!) && !near(tt[p]!, tt[last]!) && !near(tt[p]!, tt[p + 1]!)) out[p] = 1
    else {
      beforeLast = last
      last = p
    }
  }
  // The largest spacing between kept rows other than the two ends: an end row must be far beyond it.
  let widest = 0
  let prev = -1
  for (let p = 1; p < m - 1; p++) {
    if (out[p]) continue
    if (prev >= 0) widest = Math.max(widest, Math.abs(tt[p]! - tt[prev]!))
    prev = p
  }
  const endLimit = Math.max(K, END_FACTOR * widest)
  // The last row, against the two kept rows before it (which agree): before them, or far after them.
  const z = m - 1
  if (z > last && beforeLast >= 0 && near(tt[beforeLast]!, tt[last]!)) {
    const d = tt[z]! - tt[last]!
    if (d < -K || d > endLimit) out[z] = 1
  }
  // The first row, earlier than the rows after it by far more than any other spacing.
  if (!out[0] && near(tt[1]!, tt[2]!) && tt[1]! - tt[0]! > endLimit) out[0] = 1

  const issues: Extract<TimeIssue, { reason: 'TIMESTAMP_OUTLIER' }>[] = []
  let left = -1
  for (let p = 0; p < m; p++) {
    if (!out[p]) {
      left = p
      continue
    }
    if (p === 0) issues.push({ reason: 'TIMESTAMP_OUTLIER', index: c[0]!, at: 'first', a: c[1]!, b: c[2]! })
    else if (p === z)
      issues.push({ reason: 'TIMESTAMP_OUTLIER', index: c[z]!, at: 'last', a: c[beforeLast]!, b: c[last]! })
    else issues.push({ reason: 'TIMESTAMP_OUTLIER', index: c[p]!, at: 'middle', a: c[left]!, b: c[p + 1]! })
  }
  return issues
}

/** The lower median of the non-NaN values (a spacing that occurs in the data, not the mean of two). */
function lowerMedian(values: Float64Array): number {
  let nan = 0
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) nan++
  if (nan === 0 && values.length > 200_000) return median(values)
  let k = 0
  const s = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isNaN(v)) s[k++] = v
  }
  if (k === 0) return NaN
  if (k > 200_000) return median(s.subarray(0, k))
  const a = s.subarray(0, k).sort()
  return a[(k - 1) >> 1]!
}
