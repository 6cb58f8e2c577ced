/**
 * The Hilbert transform stage of Ehlers' cycle indicators exactly as TA-Lib computes it (MAMA, HT_*): a
 * 4-bar filter kept separately for odd and even bars, each with a 3-slot circular buffer.
 */

const A = 0.0962
const B = 0.5769

/** One Hilbert transform variable (detrender, Q1, jI, jQ in TA-Lib). */
export class HilbertTransform {
  readonly odd = new Float64Array(3)
  readonly even = new Float64Array(3)
  value = 0
  prevOdd = 0
  prevEven = 0
  prevInputOdd = 0
  prevInputEven = 0

  /** TA-Lib's DO_HILBERT_EVEN. */
  doEven(input: number, hilbertIdx: number, adjustedPrevPeriod: number): number {
    const t = A * input
    let v = -this.even[hilbertIdx]
    this.even[hilbertIdx] = t
    v += t
    v -= this.prevEven
    this.prevEven = B * this.prevInputEven
    v += this.prevEven
    this.prevInputEven = input
    v *= adjustedPrevPeriod
    this.value = v
    return v
  }

  /** TA-Lib's DO_HILBERT_ODD. */
  doOdd(input: number, hilbertIdx: number, adjustedPrevPeriod: number): number {
    const t = A * input
    let v = -this.odd[hilbertIdx]
    this.odd[hilbertIdx] = t
    v += t
    v -= this.prevOdd
    this.prevOdd = B * this.prevInputOdd
    v += this.prevOdd
    this.prevInputOdd = input
    v *= adjustedPrevPeriod
    this.value = v
    return v
  }
}

/** TA-Lib's 4-bar price WMA (weights 4,3,2,1 / 10) used to smooth the input of the Hilbert indicators. */
export class PriceWma {
  sub = 0
  sum = 0
  trailing = 0
  p1 = 0
  p2 = 0
  p3 = 0
  n = 0

  /** Feeds one price; returns the smoothed value (meaningful from the 4th price on). */
  push(x: number): number {
    let smoothed = NaN
    if (this.n < 3) {
      this.sub += x
      this.sum += x * (this.n + 1)
    } else {
      this.sub += x
      this.sub -= this.trailing
      this.sum += x * 4.0
      this.trailing = this.p3
      smoothed = this.sum * 0.1
      this.sum -= this.sub
    }
    this.p3 = this.p2
    this.p2 = this.p1
    this.p1 = x
    this.n++
    return smoothed
  }
}

/** 180 / π as TA-Lib computes it. */
export const RAD2DEG = 180.0 / (4.0 * Math.atan(1))
