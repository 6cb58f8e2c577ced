/** MACD, MACDEXT and MACDFIX (TA-Lib): outputs macd, macdsignal, macdhist. */
import { Ema, emaStep } from '../average/ema.ts'
import { createMovingAverage, maLookback, movingAverage } from '../average/ma.ts'
import type { StreamingIndicator } from '../types.ts'
import { nanFill, outArray, paramError, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** Rejects fast ≥ slow (TA-Lib silently swaps them; Kestrel treats it as a mistake). */
export function requireFastBelowSlow(ind: string, fast: number, slow: number): void {
  if (fast >= slow) throw paramError(ind, 'fastperiod', `fastperiod < slowperiod (${slow})`, fast)
}

/**
 * MACD of TA-Lib: fast EMA − slow EMA, both SMA-seeded and both starting where the slow EMA's lookback ends
 * (so the fast EMA is seeded on bars slow−fast .. slow−1, a TA-Lib particularity), and an EMA signal line.
 * Lookback (slow − 1) + (signal − 1). `kFast`/`kSlow` override the smoothing factors (MACDFIX uses 0.15/0.075).
 */
export function macd(
  values: Float64Array,
  fast = 12,
  slow = 26,
  signal = 9,
  outs: Float64Array[] = [],
  kFast = 2 / (fast + 1),
  kSlow = 2 / (slow + 1),
): [Float64Array, Float64Array, Float64Array] {
  const n = values.length
  const m = outArray('macd', n, outs[0])
  const s = outArray('macd', n, outs[1])
  const h = outArray('macd', n, outs[2])
  const lbSlow = slow - 1
  const lb = lbSlow + signal - 1
  nanFill(m, 0, lb)
  nanFill(s, 0, lb)
  nanFill(h, 0, lb)
  if (n <= lb) return [m, s, h]
  // One fused pass with exactly the arithmetic of the three chained SMA-seeded EMAs.
  const kSig = 2 / (signal + 1)
  let slowSum = 0
  for (let i = 0; i < slow; i++) slowSum += values[i]
  let slowE = slowSum / slow
  let fastSum = 0
  for (let i = slow - fast; i < slow; i++) fastSum += values[i]
  let fastE = fastSum / fast
  let mv = fastE - slowE
  let sigSum = mv
  let sig = NaN
  if (lb === lbSlow) sig = sigSum / signal
  let i = slow
  for (; i <= lb; i++) {
    const x = values[i]
    slowE = emaStep(slowE, x, kSlow)
    fastE = emaStep(fastE, x, kFast)
    mv = fastE - slowE
    sigSum += mv
  }
  if (lb > lbSlow) sig = sigSum / signal
  m[lb] = mv
  s[lb] = sig
  h[lb] = mv - sig
  for (; i < n; i++) {
    const x = values[i]
    slowE = emaStep(slowE, x, kSlow)
    fastE = emaStep(fastE, x, kFast)
    mv = fastE - slowE
    sig = emaStep(sig, mv, kSig)
    m[i] = mv
    s[i] = sig
    h[i] = mv - sig
  }
  return [m, s, h]
}

/** Streaming twin of {@link macd}: `update` returns [macd, macdsignal, macdhist]. */
export class Macd implements StreamingIndicator<number, number[]> {
  private readonly fastEma: Ema
  private readonly slowEma: Ema
  private readonly signalEma: Ema
  private count = 0
  private last: number[] | undefined
  private uLast: number[] | undefined

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signal = 9,
    kFast = 2 / (fast + 1),
    kSlow = 2 / (slow + 1),
  ) {
    this.fastEma = new Ema(fast, kFast)
    this.slowEma = new Ema(slow, kSlow)
    this.signalEma = new Ema(signal)
  }

  update(x: number, replace = false): number[] | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.last = this.uLast
    }
    this.uLast = this.last
    const i = this.count++
    const sl = this.slowEma.update(x, replace)
    const f = i >= this.slow - this.fast ? this.fastEma.update(x, replace) : undefined
    if (sl === undefined || f === undefined) return (this.last = undefined)
    const m = f - sl
    const s = this.signalEma.update(m, replace)
    this.last = s === undefined ? undefined : [m, s, m - s]
    return this.last
  }

  get isStable(): boolean {
    return this.last !== undefined
  }

  get value(): number[] | undefined {
    return this.last
  }

  reset(): void {
    this.fastEma.reset()
    this.slowEma.reset()
    this.signalEma.reset()
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib MACD. Kestrel rejects fast ≥ slow (TA-Lib swaps them). */
export const macdDef = defineIndicator({
  name: 'macd',
  description: 'Moving average convergence/divergence (EMA 12/26, signal EMA 9)',
  inputs: ['close'],
  // signalperiod ≥ 2: TA-Lib declares 1 but then misaligns its output (uninitialised first value).
  params: [pInt('fastperiod', 12, 2), pInt('slowperiod', 26, 2), pInt('signalperiod', 9, 2)],
  outputs: ['macd', 'macdsignal', 'macdhist'],
  lookback: ([, s, g]) => s - 1 + g - 1,
  compute: ([x], [f, s, g]) => {
    requireFastBelowSlow('macd', f, s)
    return macd(x, f, s, g)
  },
  stream: ([f, s, g]) => {
    requireFastBelowSlow('macd', f, s)
    return new Macd(f, s, g)
  },
  testParams: [
    [5, 35, 5],
    [3, 10, 2],
  ],
})

/** TA-Lib MACDFIX: MACD 12/26 with TA-Lib's fixed factors 0.15 and 0.075 and a signal EMA. */
export const macdfixDef = defineIndicator({
  name: 'macdfix',
  description: 'MACD with fixed 12/26 (k = 0.15/0.075)',
  inputs: ['close'],
  params: [pInt('signalperiod', 9, 2)],
  outputs: ['macd', 'macdsignal', 'macdhist'],
  lookback: ([g]) => 25 + g - 1,
  compute: ([x], [g]) => macd(x, 12, 26, g, [], 0.15, 0.075),
  stream: ([g]) => new Macd(12, 26, g, 0.15, 0.075),
  testParams: [[4], [2]],
})

/** Lookback of MACDEXT. */
export function macdextLookback(f: number, ft: number, s: number, st: number, g: number, gt: number): number {
  return Math.max(maLookback(f, ft), maLookback(s, st)) + maLookback(g, gt)
}

/**
 * MACDEXT of TA-Lib: MACD with a chosen MA type for the fast, slow and signal lines. Both lines start where the
 * longer lookback ends, as in TA-Lib.
 */
export function macdext(
  values: Float64Array,
  fast: number,
  fastType: number,
  slow: number,
  slowType: number,
  signal: number,
  signalType: number,
  outs: Float64Array[] = [],
): [Float64Array, Float64Array, Float64Array] {
  const n = values.length
  const m = outArray('macdext', n, outs[0])
  const s = outArray('macdext', n, outs[1])
  const h = outArray('macdext', n, outs[2])
  const lbF = maLookback(fast, fastType)
  const lbS = maLookback(slow, slowType)
  const big = Math.max(lbF, lbS)
  const lb = big + maLookback(signal, signalType)
  if (n > lb) {
    movingAverage(values.subarray(big - lbS), slow, slowType, m.subarray(big - lbS), big - lbS)
    movingAverage(values.subarray(big - lbF), fast, fastType, h.subarray(big - lbF), big - lbF)
    for (let i = big; i < n; i++) m[i] = h[i] - m[i]
    movingAverage(m.subarray(big), signal, signalType, s.subarray(big))
    for (let i = lb; i < n; i++) h[i] = m[i] - s[i]
  }
  nanFill(m, 0, lb)
  nanFill(s, 0, lb)
  nanFill(h, 0, lb)
  return [m, s, h]
}

/** Streaming twin of {@link macdext}. */
export class MacdExt implements StreamingIndicator<number, number[]> {
  private readonly fastMa: StreamingIndicator
  private readonly slowMa: StreamingIndicator
  private readonly signalMa: StreamingIndicator
  private readonly offFast: number
  private readonly offSlow: number
  private count = 0
  private last: number[] | undefined
  private uLast: number[] | undefined

  constructor(fast: number, fastType: number, slow: number, slowType: number, signal: number, signalType: number) {
    const lbF = maLookback(fast, fastType)
    const lbS = maLookback(slow, slowType)
    const big = Math.max(lbF, lbS)
    this.offFast = big - lbF
    this.offSlow = big - lbS
    this.fastMa = createMovingAverage(fast, fastType, this.offFast)
    this.slowMa = createMovingAverage(slow, slowType, this.offSlow)
    this.signalMa = createMovingAverage(signal, signalType)
  }

  update(x: number, replace = false): number[] | undefined {
    if (replace && this.count > 0) {
      this.count--
      this.last = this.uLast
    }
    this.uLast = this.last
    const i = this.count++
    const sl = i >= this.offSlow ? this.slowMa.update(x, replace) : undefined
    const f = i >= this.offFast ? this.fastMa.update(x, replace) : undefined
    if (sl === undefined || f === undefined) return (this.last = undefined)
    const m = f - sl
    const s = this.signalMa.update(m, replace)
    this.last = s === undefined ? undefined : [m, s, m - s]
    return this.last
  }

  get isStable(): boolean {
    return this.last !== undefined
  }

  get value(): number[] | undefined {
    return this.last
  }

  reset(): void {
    this.fastMa.reset()
    this.slowMa.reset()
    this.signalMa.reset()
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib MACDEXT. Kestrel rejects fast ≥ slow (TA-Lib swaps them). */
export const macdextDef = defineIndicator({
  name: 'macdext',
  description: 'MACD with controllable MA types',
  inputs: ['close'],
  params: [
    pInt('fastperiod', 12, 2),
    pInt('fastmatype', 0, 0, 8),
    pInt('slowperiod', 26, 2),
    pInt('slowmatype', 0, 0, 8),
    pInt('signalperiod', 9, 1),
    pInt('signalmatype', 0, 0, 8),
  ],
  outputs: ['macd', 'macdsignal', 'macdhist'],
  lookback: ([f, ft, s, st, g, gt]) => macdextLookback(f, ft, s, st, g, gt),
  compute: ([x], [f, ft, s, st, g, gt]) => {
    requireFastBelowSlow('macdext', f, s)
    return macdext(x, f, ft, s, st, g, gt)
  },
  stream: ([f, ft, s, st, g, gt]) => {
    requireFastBelowSlow('macdext', f, s)
    return new MacdExt(f, ft, s, st, g, gt)
  },
  testParams: [
    [12, 1, 26, 1, 9, 1],
    [5, 7, 20, 3, 4, 2],
    [6, 6, 15, 8, 5, 5],
    [8, 4, 21, 0, 1, 0],
    [10, 7, 12, 7, 6, 7],
  ],
})
