/**
 * Exact summation of doubles (Shewchuk's non-overlapping partials, the algorithm of Python's `math.fsum`).
 * {@link ExactSum} holds a running sum exactly, so values can be added and later subtracted again (a rolling
 * window) without any rounding building up, and {@link ExactSum.value} is the correctly rounded sum of what it
 * holds: the double nearest the true sum, ties to even, as `math.fsum` of the same values.
 *
 * Non-finite values follow a plain running sum (TA-Lib's): once a NaN or an infinity has been added, the sum is
 * non-finite from then on (an infinity added and subtracted again leaves NaN). A finite sum that overflows is NaN.
 */

/** Shewchuk's partials: any running sum of doubles, exactly; O(number of partials) per add. */
class Partials {
  /** Non-overlapping partials, increasing in magnitude; their exact sum is the exact running sum. */
  p = new Float64Array(8)
  m = 0
  /** 0 while every value added was finite; else the plain running sum of the non-finite values (±∞ or NaN). */
  special = 0

  /** Adds `x` exactly (subtract a value by adding its negation, which is exact). */
  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x
      return
    }
    const p = this.p
    const m = this.m
    let i = 0
    for (let j = 0; j < m; j++) {
      let y = p[j]!
      if (Math.abs(x) < Math.abs(y)) {
        const t = x
        x = y
        y = t
      }
      const hi = x + y
      const lo = y - (hi - x)
      if (lo !== 0) p[i++] = lo
      x = hi
    }
    if (x !== 0) {
      if (!Number.isFinite(x)) {
        this.special = NaN
        this.m = 0
        return
      }
      if (i === p.length) this.grow()
      this.p[i++] = x
    }
    this.m = i
  }

  /** The correctly rounded sum (round half to even), as Python's `math.fsum`; non-finite once poisoned. */
  value(): number {
    if (this.special !== 0) return this.special // NaN !== 0 too
    const p = this.p
    let n = this.m
    if (n === 0) return 0
    let hi = p[--n]!
    let lo = 0
    while (n > 0) {
      const x = hi
      const y = p[--n]!
      hi = x + y
      const yr = hi - x
      lo = y - yr
      if (lo !== 0) break
    }
    // hi + lo is exact; when lo is exactly half an ulp of hi, the partials below decide which way to round
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2
      const x = hi + y
      if (y === x - hi) hi = x
    }
    return hi
  }

  /** Makes this sum hold exactly what `other` holds. */
  copyFrom(other: Partials): void {
    if (this.p.length < other.m) this.p = new Float64Array(other.p.length)
    for (let i = 0; i < other.m; i++) this.p[i] = other.p[i]!
    this.m = other.m
    this.special = other.special
  }

  /** Back to an empty sum (0). */
  clear(): void {
    this.m = 0
    this.special = 0
  }

  private grow(): void {
    const q = new Float64Array(this.p.length * 2)
    q.set(this.p)
    this.p = q
  }
}

/**
 * A running sum of doubles held exactly, fast: as an unevaluated pair s + c (the rounded running sum and the
 * exact total of its rounding errors, by Knuth's TwoSum), which stays exact as long as adding each rounding error
 * to c is itself exact. That holds for any series whose values span less than about 2^40 in magnitude (prices,
 * volumes); every step checks it, and the first step that would round switches to Shewchuk's partials, which are
 * exact always (and back again once two partials suffice). Either way the sum held is the exact sum of what was
 * added, and {@link value} its correctly rounded value.
 */
export class ExactSum {
  private s = 0
  private c = 0
  /** Set while the pair cannot hold the sum exactly. */
  private slow: Partials | undefined = undefined

  /** Adds `x` exactly (subtract a value by adding its negation, which is exact). */
  add(x: number): void {
    if (this.slow !== undefined) {
      this.slow.add(x)
      return
    }
    const s = this.s
    const t = s + x
    const bp = t - s
    const e = s - (t - bp) + (x - bp) // s + x = t + e exactly
    const c = this.c
    const c2 = c + e
    const cp = c2 - c
    if (c - (c2 - cp) + (e - cp) !== 0) {
      // c + e rounds (or x, or the sum, is not finite: NaN ≠ 0): hold the sum as partials from here on
      const slow = new Partials()
      slow.add(s)
      slow.add(c)
      slow.add(x)
      this.slow = slow
      return
    }
    this.s = t
    this.c = c2
  }

  /** The correctly rounded sum (round half to even), as Python's `math.fsum`; non-finite once poisoned. */
  value(): number {
    const slow = this.slow
    if (slow !== undefined) {
      const v = slow.value()
      if (slow.special === 0 && slow.m <= 2) {
        // two non-overlapping partials: the pair holds the sum exactly again
        this.s = slow.m === 2 ? slow.p[1]! : slow.m === 1 ? slow.p[0]! : 0
        this.c = slow.m === 2 ? slow.p[0]! : 0
        this.slow = undefined
      }
      return v
    }
    // s + c rounded once is the correctly rounded exact sum; keep the pair normalised (|c| ≤ ulp(s) / 2)
    const s = this.s
    const c = this.c
    const v = s + c
    const bp = v - s
    this.s = v
    this.c = s - (v - bp) + (c - bp)
    return v
  }

  /** Makes this sum hold exactly what `other` holds. */
  copyFrom(other: ExactSum): void {
    this.s = other.s
    this.c = other.c
    if (other.slow === undefined) this.slow = undefined
    else (this.slow ??= new Partials()).copyFrom(other.slow)
  }

  /** Back to an empty sum (0). */
  clear(): void {
    this.s = 0
    this.c = 0
    this.slow = undefined
  }
}

/** The correctly rounded sum of `values` (Python's `math.fsum`, with {@link ExactSum}'s non-finite rule). */
export function fsum(values: ArrayLike<number>): number {
  const s = new ExactSum()
  for (let i = 0; i < values.length; i++) s.add(values[i]!)
  return s.value()
}
