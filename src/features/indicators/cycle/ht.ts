/**
 * Ehlers' Hilbert transform indicators exactly as TA-Lib computes them: HT_TRENDLINE (instantaneous trendline),
 * HT_DCPERIOD (dominant cycle period), HT_DCPHASE (dominant cycle phase), HT_PHASOR (in-phase and quadrature),
 * HT_SINE (sine and lead sine) and HT_TRENDMODE (1 = trend, 0 = cycle).
 * One recurrence ({@link HtState}) serves all four; the batch kernels loop its `step`, the streaming twins call
 * the same `step`.
 */
import { HilbertTransform, PriceWma } from './hilbert.ts'
import { outArray } from '../checks.ts'
import { Stepper, defineIndicator } from '../define.ts'

/** Which HT output to produce. */
export type HtKind = 'ht_trendline' | 'ht_dcperiod' | 'ht_dcphase' | 'ht_trendmode' | 'ht_phasor' | 'ht_sine'

/** TA-Lib's lookback of each HT function. */
export function htLookback(kind: HtKind): number {
  return kind === 'ht_dcperiod' || kind === 'ht_phasor' ? 32 : 63
}

const RAD2DEG = 45.0 / Math.atan(1)
const DEG2RAD = 1.0 / RAD2DEG
const DEG2RAD_BY_360 = Math.atan(1) * 8.0
const SMOOTH = 50

/**
 * sin/cos of TA-Lib's DFT angles `(i · 2π) / n` for n = 1..50, i < n, precomputed (each entry is the very value
 * the per-bar call would give, so results are unchanged; it saves ~100 trig calls per bar in HT_DCPHASE/SINE/TRENDMODE).
 */
const SIN = new Float64Array(51 * 50)
const COS = new Float64Array(51 * 50)
for (let n = 1; n <= 50; n++) {
  for (let i = 0; i < n; i++) {
    const a = (i * DEG2RAD_BY_360) / n
    SIN[n * 50 + i] = Math.sin(a)
    COS[n * 50 + i] = Math.cos(a)
  }
}

/** The shared recurrence of the HT family (state only; see {@link htStep}). */
export class HtState {
  readonly out: Float64Array
  private readonly wma = new PriceWma()
  private readonly det = new HilbertTransform()
  private readonly q1 = new HilbertTransform()
  private readonly jI = new HilbertTransform()
  private readonly jQ = new HilbertTransform()
  private readonly smooth = new Float64Array(SMOOTH)
  private readonly prices = new Float64Array(SMOOTH)
  private readonly warmup: number
  private readonly lookback: number
  private smoothIdx = 0
  private priceHead = 0
  private idx: number
  private count = 0
  private hilbertIdx = 0
  private period = 0
  private smoothPeriod = 0
  private prevI2 = 0
  private prevQ2 = 0
  private re = 0
  private im = 0
  private oddPrev2 = 0
  private oddPrev3 = 0
  private evenPrev2 = 0
  private evenPrev3 = 0
  private iTrend1 = 0
  private iTrend2 = 0
  private iTrend3 = 0
  private dcPhase = 0
  private sine = 0
  private leadSine = 0
  private daysInTrend = 0

  constructor(
    readonly kind: HtKind,
    parity = 0,
  ) {
    this.idx = parity
    this.lookback = htLookback(kind)
    this.warmup = this.lookback === 32 ? 12 : 37
    this.out = new Float64Array(kind === 'ht_phasor' || kind === 'ht_sine' ? 2 : 1).fill(NaN)
  }

  step(x: number): void {
    const today = this.idx++
    const n = this.count++
    const adjusted = 0.075 * this.period + 0.54
    const smoothed = this.wma.push(x)
    this.prices[this.priceHead] = x
    this.priceHead = this.priceHead === SMOOTH - 1 ? 0 : this.priceHead + 1
    if (n < this.warmup) return
    const kind = this.kind
    this.smooth[this.smoothIdx] = smoothed
    const hi = this.hilbertIdx
    let q2: number, i2: number, q1: number, inPhase: number
    if (today % 2 === 0) {
      const det = this.det.doEven(smoothed, hi, adjusted)
      q1 = this.q1.doEven(det, hi, adjusted)
      inPhase = this.evenPrev3
      const jI = this.jI.doEven(this.evenPrev3, hi, adjusted)
      const jQ = this.jQ.doEven(q1, hi, adjusted)
      if (++this.hilbertIdx === 3) this.hilbertIdx = 0
      q2 = 0.2 * (q1 + jI) + 0.8 * this.prevQ2
      i2 = 0.2 * (this.evenPrev3 - jQ) + 0.8 * this.prevI2
      this.oddPrev3 = this.oddPrev2
      this.oddPrev2 = det
    } else {
      const det = this.det.doOdd(smoothed, hi, adjusted)
      q1 = this.q1.doOdd(det, hi, adjusted)
      inPhase = this.oddPrev3
      const jI = this.jI.doOdd(this.oddPrev3, hi, adjusted)
      const jQ = this.jQ.doOdd(q1, hi, adjusted)
      q2 = 0.2 * (q1 + jI) + 0.8 * this.prevQ2
      i2 = 0.2 * (this.oddPrev3 - jQ) + 0.8 * this.prevI2
      this.evenPrev3 = this.evenPrev2
      this.evenPrev2 = det
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
    const sp = (this.smoothPeriod = 0.33 * this.period + 0.67 * this.smoothPeriod)
    let result: number
    let result2 = NaN
    if (kind === 'ht_dcperiod') {
      result = sp
    } else if (kind === 'ht_phasor') {
      result = inPhase
      result2 = q1
    } else {
      const dcPeriodInt = Math.trunc(sp + 0.5)
      let trendline = NaN
      if (kind === 'ht_trendline' || kind === 'ht_trendmode') {
        let sum = 0.0
        let j = this.priceHead
        for (let i = 0; i < dcPeriodInt; i++) {
          j = j === 0 ? SMOOTH - 1 : j - 1
          sum += this.prices[j]
        }
        if (dcPeriodInt > 0) sum = sum / dcPeriodInt
        trendline = (4.0 * sum + 3.0 * this.iTrend1 + 2.0 * this.iTrend2 + this.iTrend3) / 10.0
        this.iTrend3 = this.iTrend2
        this.iTrend2 = this.iTrend1
        this.iTrend1 = sum
      }
      if (kind === 'ht_trendline') {
        result = trendline
      } else {
        const prevDcPhase = this.dcPhase
        let realPart = 0.0
        let imagPart = 0.0
        let k = this.smoothIdx
        const row = dcPeriodInt * 50
        for (let i = 0; i < dcPeriodInt; i++) {
          const v = this.smooth[k]
          realPart += SIN[row + i] * v
          imagPart += COS[row + i] * v
          k = k === 0 ? SMOOTH - 1 : k - 1
        }
        let ph = this.dcPhase
        const absIm = Math.abs(imagPart)
        if (absIm > 0.0) ph = Math.atan(realPart / imagPart) * RAD2DEG
        else if (absIm <= 0.01) {
          if (realPart < 0.0) ph -= 90.0
          else if (realPart > 0.0) ph += 90.0
        }
        ph += 90.0
        ph += 360.0 / sp
        if (imagPart < 0.0) ph += 180.0
        if (ph > 315.0) ph -= 360.0
        this.dcPhase = ph
        if (kind === 'ht_dcphase') {
          result = ph
        } else if (kind === 'ht_sine') {
          result = Math.sin(ph * DEG2RAD)
          result2 = Math.sin((ph + 45) * DEG2RAD)
        } else {
          const prevSine = this.sine
          const prevLeadSine = this.leadSine
          this.sine = Math.sin(ph * DEG2RAD)
          this.leadSine = Math.sin((ph + 45) * DEG2RAD)
          let trend = 1
          if (
            (this.sine > this.leadSine && prevSine <= prevLeadSine) ||
            (this.sine < this.leadSine && prevSine >= prevLeadSine)
          ) {
            this.daysInTrend = 0
            trend = 0
          }
          this.daysInTrend++
          if (this.daysInTrend < 0.5 * sp) trend = 0
          const d = ph - prevDcPhase
          if (sp !== 0.0 && d > (0.67 * 360.0) / sp && d < (1.5 * 360.0) / sp) trend = 0
          const sv = this.smooth[this.smoothIdx]
          if (trendline !== 0.0 && Math.abs((sv - trendline) / trendline) >= 0.015) trend = 1
          result = trend
        }
      }
    }
    this.smoothIdx = this.smoothIdx === SMOOTH - 1 ? 0 : this.smoothIdx + 1
    const ready = n >= this.lookback
    this.out[0] = ready ? result : NaN
    if (this.out.length === 2) this.out[1] = ready ? result2 : NaN
  }
}

/** Batch kernel of the HT family. NaN for the first {@link htLookback} bars. */
export function ht(values: Float64Array, kind: HtKind, out?: Float64Array): Float64Array {
  return htMulti(values, kind, [outArray(kind, values.length, out)])[0]
}

/** Batch kernel for the two-output HT functions (HT_PHASOR: inphase, quadrature; HT_SINE: sine, leadsine). */
export function htMulti(values: Float64Array, kind: HtKind, outs: Float64Array[] = []): Float64Array[] {
  const n = values.length
  const s = new HtState(kind)
  const so = s.out
  const o0 = outArray(kind, n, outs[0])
  if (so.length === 1) {
    for (let i = 0; i < n; i++) {
      s.step(values[i])
      o0[i] = so[0]
    }
    return [o0]
  }
  const o1 = outArray(kind, n, outs[1])
  for (let i = 0; i < n; i++) {
    s.step(values[i])
    o0[i] = so[0]
    o1[i] = so[1]
  }
  return [o0, o1]
}

/** Streaming twin of {@link ht}: O(1) per update (a constant 50-slot state). */
export function createHt(kind: HtKind): Stepper<HtState, number, number | number[]> {
  const mk = () => new HtState(kind)
  return new Stepper(
    mk,
    htLookback(kind),
    (s, x) => s.step(x),
    (s) => (s.out.length === 1 ? s.out[0] : Array.from(s.out)),
  )
}

function def(kind: HtKind, description: string, outputs = ['real']) {
  return defineIndicator({
    name: kind,
    description,
    inputs: ['close'],
    params: [],
    outputs,
    lookback: () => htLookback(kind),
    compute: ([x]) => htMulti(x, kind),
    stream: () => createHt(kind),
  })
}

/** TA-Lib HT_TRENDLINE. */
export const htTrendlineDef = def('ht_trendline', 'Hilbert transform instantaneous trendline')
/** TA-Lib HT_DCPERIOD. */
export const htDcperiodDef = def('ht_dcperiod', 'Hilbert transform dominant cycle period (bars)')
/** TA-Lib HT_DCPHASE. */
export const htDcphaseDef = def('ht_dcphase', 'Hilbert transform dominant cycle phase (degrees)')
/** TA-Lib HT_TRENDMODE (output `integer`: 1 trend, 0 cycle). */
export const htTrendmodeDef = def('ht_trendmode', 'Hilbert transform trend (1) vs cycle (0) mode', ['integer'])
/** TA-Lib HT_PHASOR: the in-phase and quadrature components. */
export const htPhasorDef = def('ht_phasor', 'Hilbert transform phasor components', ['inphase', 'quadrature'])
/** TA-Lib HT_SINE: sine of the dominant cycle phase and the 45°-leading sine. */
export const htSineDef = def('ht_sine', 'Hilbert transform sine wave', ['sine', 'leadsine'])
