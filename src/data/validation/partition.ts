/** Splits a series into the rows kept and the rows rejected by validation. */
import type { BarSeries } from '../../core/index.ts'
import { allocBarSeries } from '../../core/index.ts'

/** Kept rows as a new series, plus the indices of both sets (in order). */
export interface Partition {
  readonly accepted: BarSeries
  readonly acceptedIndex: Int32Array
  readonly rejectedIndex: Int32Array
}

/** Rows with `rejected[i] = 0` go to `accepted` (copied only when something was rejected). */
export function partitionSeries(s: BarSeries, rejected: Uint8Array): Partition {
  const n = s.openTime.length
  let bad = 0
  for (let i = 0; i < n; i++) bad += rejected[i]!
  const rejectedIndex = new Int32Array(bad)
  if (bad === 0) {
    const all = new Int32Array(n)
    for (let i = 0; i < n; i++) all[i] = i
    return { accepted: s, acceptedIndex: all, rejectedIndex }
  }
  const out = allocBarSeries(s.instrumentId, s.timeframe, n - bad)
  const acceptedIndex = new Int32Array(n - bad)
  let k = 0
  let r = 0
  for (let i = 0; i < n; i++) {
    if (rejected[i]) {
      rejectedIndex[r++] = i
      continue
    }
    out.openTime[k] = s.openTime[i]!
    out.closeTime[k] = s.closeTime[i]!
    out.open[k] = s.open[i]!
    out.high[k] = s.high[i]!
    out.low[k] = s.low[i]!
    out.close[k] = s.close[i]!
    out.volume[k] = s.volume[i]!
    acceptedIndex[k++] = i
  }
  return { accepted: out, acceptedIndex, rejectedIndex }
}
