/** MESA adaptive moving average (TA-Lib MAMA: outputs mama, fama). */
import { HilbertTransform, PriceWma, RAD2DEG } from '../cycle/hilbert.ts'
import { outArray, pReal, realParam } from '../checks.ts'
import { Stepper, defineIndicator } from '../define.ts'

/** TA-Lib's MAMA lookback (fixed). */
export const MAMA_LOOKBACK = 32

/**
 * MAMA's recurrence (Ehlers), step for step as TA-Lib: a 4-bar WMA, the Hilbert transform on alternating
 * odd/even bars, the phase rate setting the adaptive alpha between `slowLimit` and `fastLimit`. `parity` is the
 * absolute index of the first input (TA-Lib alternates on the absolute bar index).
 */
export class MamaState {
  readonly out = new Float64Array(2).fill(NaN)
  private readonly wma = new PriceWma()
  private readonly detrender = new HilbertTransform()
  private readonly q1 = new HilbertTransform()
  private readonly jI = new HilbertTransform()
  private readonly jQ = new HilbertTransform()
  private idx: number
  private count = 0
  private hilbertIdx = 0
  private period = 0
  private prevI2 = 0
  private prevQ2 = 0
  private re = 0
  private im = 0
  private mama = 0
  private fama = 0
  private oddPrev2 = 0
  private oddPrev3 = 0
  private evenPrev2 = 0
  private evenPrev3 = 0
  private prevPhase = 0

  constructor(
    readonly fastLimit: number,
    readonly slowLimit: number,
    parity = 0,
  ) {
    this.idx = parity
  }

  step(x: number): void {
    const today = this.idx++
    const n = this.count++
    const adjusted = 0.075 * this.period + 0.54
    const smoothed = this.wma.push(x)
    if (n < 12) return
    let q1: number, i2: number, q2: number, phase: number
    const hi = this.hilbertIdx
    if (today % 2 === 0) {
      const det = this.detrender.doEven(smoothed, hi, adjusted)
      q1 = this.q1.doEven(det, hi, adjusted)
      const jI = this.jI.doEven(this.evenPrev3, hi, adjusted)
      const jQ = this.jQ.doEven(q1, hi, adjusted)
      if (++this.hilbertIdx === 3) this.hilbertIdx = 0
      q2 = 0.2 * (q1 + jI) + 0.8 * this.prevQ2
      i2 = 0.2 * (this.evenPrev3 - jQ) + 0.8 * this.prevI2
      this.oddPrev3 = this.oddPrev2
      this.oddPrev2 = det
      phase = this.evenPrev3 !== 0.0 ? Math.atan(q1 / this.evenPrev3) * RAD2DEG : 0.0
    } else {
      const det = this.detrender.doOdd(smoothed, hi, adjusted)
      q1 = this.q1.doOdd(det, hi, adjusted)
      const jI = this.jI.doOdd(this.oddPrev3, hi, adjusted)
      const jQ = this.jQ.doOdd(q1, hi, adjusted)
      q2 = 0.2 * (q1 + jI) + 0.8 * this.prevQ2
      i2 = 0.2 * (this.oddPrev3 - jQ) + 0.8 * this.prevI2
      this.evenPrev3 = this.evenPrev2
      this.evenPrev2 = det
      phase = this.oddPrev3 !== 0.0 ? Math.atan(q1 / this.oddPrev3) * RAD2DEG : 0.0
    }
    let t = this.prevPhase - phase
    this.prevPhase = phase
    if (t < 1.0) t = 1.0
    if (t > 1.0) {
      t = this.fastLimit / t
      if (t < this.slowLimit) t = this.slowLimit
    } else {
      t = this.fastLimit
    }
    this.mama = t * x + (1 - t) * this.mama
    t *= 0.5
    this.fama = t * this.mama + (1 - t) * this.fama
    if (n >= MAMA_LOOKBACK) {
      this.out[0] = this.mama
      this.out[1] = this.fama
    }
    this.re = 0.2 * (i2 * this.prevI2 + q2 * this.prevQ2) + 0.8 * this.re
    this.im = 0.2 * (i2 * this.prevQ2 - q2 * this.prevI2) + 0.8 * this.im
    this.prevQ2 = q2
    this.prevI2 = i2
    const prevPeriod = this.period
    let p = prevPeriod
    if (this.im !== 0.0 && this.re !== 0.0) p = 360.0 / (Math.atan(this.im / this.re) * RAD2DEG)
    let lim = 1.5 * prevPeriod
    if (p > lim) p = lim
    lim = 0.67 * prevPeriod
    if (p < lim) p = lim
    if (p < 6) p = 6
    else if (p > 50) p = 50
    this.period = 0.2 * p + 0.8 * prevPeriod
  }
}

function check(fast: number, slow: number): void {
  realParam('mama', 'fastlimit', fast, 0.01, 0.99)
  realParam('mama', 'slowlimit', slow, 0.01, 0.99)
}

/**
 * MAMA and FAMA (TA-Lib defaults fastlimit 0.5, slowlimit 0.05). Lookback 32. `parity` is the absolute index of
 * `values[0]` when this is a window into a longer series (TA-Lib alternates odd/even on the absolute index).
 */
export function mama(
  values: Float64Array,
  fastLimit = 0.5,
  slowLimit = 0.05,
  outMama?: Float64Array,
  outFama?: Float64Array,
  parity = 0,
): [Float64Array, Float64Array] {
  check(fastLimit, slowLimit)
  const n = values.length
  const m = outArray('mama', n, outMama)
  const f = outArray('mama', n, outFama)
  const s = new MamaState(fastLimit, slowLimit, parity)
  const o = s.out
  for (let i = 0; i < n; i++) {
    s.step(values[i])
    m[i] = o[0]
    f[i] = o[1]
  }
  return [m, f]
}

/** Streaming twin of {@link mama}: `update` returns [mama, fama]. */
export function createMama(
  fastLimit = 0.5,
  slowLimit = 0.05,
  parity = 0,
): Stepper<MamaState, number, number | number[]> {
  check(fastLimit, slowLimit)
  const mk = () => new MamaState(fastLimit, slowLimit, parity)
  return new Stepper(
    mk,
    MAMA_LOOKBACK,
    (s, x) => s.step(x),
    (s) => (s.out.length === 1 ? s.out[0] : Array.from(s.out)),
  )
}

/** TA-Lib MAMA. */
export const mamaDef = defineIndicator({
  name: 'mama',
  description: 'MESA adaptive moving average (mama) and following adaptive moving average (fama)',
  inputs: ['close'],
  params: [pReal('fastlimit', 0.5, 0.01, 0.99), pReal('slowlimit', 0.05, 0.01, 0.99)],
  outputs: ['mama', 'fama'],
  lookback: () => MAMA_LOOKBACK,
  compute: ([x], [f, s]) => mama(x, f, s),
  stream: ([f, s]) => createMama(f, s),
  testParams: [
    [0.3, 0.1],
    [0.9, 0.01],
  ],
})
