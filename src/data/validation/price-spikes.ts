/**
 * Absurd prices: a bar whose whole range lies more than a factor (default 10) above or below both neighbouring
 * bars, e.g. one row in cents in a file of dollars, a price 10⁶× the rest, or a price of 1e-9. Such a bar is
 * an error, not a large return. At the first and last bar, with neighbours on one side only, the two bars
 * beside it must agree with each other and the jump must not be a split ratio (a split at the edge of a file
 * is a level change, reported by the split check). One pass, O(n).
 */
import { matchSplitRatio } from './splits.ts'

/** A rejected bar and the two bars it was judged against (indices into the series). */
export interface PriceSpike {
  readonly index: number
  readonly a: number
  readonly b: number
  /** Close of the bar / close of the nearer neighbour. */
  readonly ratio: number
}

interface Ohlc {
  readonly high: Float64Array
  readonly low: Float64Array
  readonly open: Float64Array
  readonly close: Float64Array
}

/** Spikes among the rows with `skip[i] = 0` (in time order), each judged against the kept rows beside it. */
export function findPriceSpikes(s: Ohlc, skip: Uint8Array, factor = 10): PriceSpike[] {
  const { high: H, low: L, open: O, close: C } = s
  const n = C.length
  const c = new Int32Array(n)
  let m = 0
  for (let i = 0; i < n; i++) if (!skip[i]) c[m++] = i
  if (m < 3) return []
  /** +1 when bar i lies wholly above bar j by more than `factor`, -1 when wholly below, else 0. */
  const side = (i: number, j: number) => (L[i]! > factor * H[j]! ? 1 : H[i]! * factor < L[j]! ? -1 : 0)
  const out: PriceSpike[] = []
  const spike = (i: number, a: number, b: number, near: number) => out.push({ index: i, a, b, ratio: C[i]! / C[near]! })
  const edge = (i: number, near: number, far: number) =>
    side(i, near) !== 0 && side(near, far) === 0 && !matchSplitRatio(i < near ? O[near]! / C[i]! : O[i]! / C[near]!)
  let last = c[0]!
  if (edge(c[0]!, c[1]!, c[2]!)) {
    spike(c[0]!, c[1]!, c[2]!, c[1]!)
    last = c[1]!
  }
  let beforeLast = -1
  for (let p = last === c[0]! ? 1 : 2; p < m - 1; p++) {
    const i = c[p]!
    const d = side(i, last)
    if (d !== 0 && d === side(i, c[p + 1]!)) spike(i, last, c[p + 1]!, last)
    else {
      beforeLast = last
      last = i
    }
  }
  const z = c[m - 1]!
  if (beforeLast >= 0 && edge(z, last, beforeLast)) spike(z, beforeLast, last, last)
  return out
}
