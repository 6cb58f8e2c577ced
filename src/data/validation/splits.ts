/** Split-sized price jumps: the ratios a stock split or reverse split leaves in unadjusted prices. */

/** A split ratio `new:old` (7:1 → prices fall to 1/7). */
export interface SplitRatio {
  readonly label: string
  /** Price after / price before. */
  readonly factor: number
}

const RATIOS: SplitRatio[] = [
  [2, 1],
  [3, 1],
  [3, 2],
  [4, 1],
  [5, 1],
  [7, 1],
  [8, 1],
  [10, 1],
  [15, 1],
  [20, 1],
  [1, 2],
  [1, 3],
  [1, 4],
  [1, 5],
  [1, 8],
  [1, 10],
  [1, 20],
].map(([a, b]) => ({ label: `${a}:${b}`, factor: b! / a! }))

/**
 * The split ratio that `priceAfter / priceBefore` matches within `tolerance` in log terms (0.035 ≈ 3.5 %), or
 * undefined. Moves of less than `minJump` (log; 0.3 is a fall of 26 % or a rise of 35 %) never match: a smaller
 * gap is as likely an earnings gap as a split, and 5:4 splits (−20 %) are not listed for that reason (the
 * split-adjusted ORCL and YHOO daily series gap that much after earnings).
 */
export function matchSplitRatio(ratio: number, tolerance = 0.035, minJump = 0.3): SplitRatio | undefined {
  if (!(ratio > 0)) return undefined
  const lr = Math.log(ratio)
  if (Math.abs(lr) < minJump) return undefined
  let best: SplitRatio | undefined
  let bestErr = tolerance
  for (const r of RATIOS) {
    const err = Math.abs(lr - Math.log(r.factor))
    if (err <= bestErr) {
      best = r
      bestErr = err
    }
  }
  return best
}
