/**
 * Ichimoku kinko hyo without look-ahead. tenkan = midpoint of the last `tenkan` bars' high/low range, kijun =
 * the same over `kijun` bars; the cloud lines are computed as senkou A = (tenkan + kijun)/2 and senkou B =
 * midpoint over `senkou` bars, and are drawn `displacement` bars ahead. Here `senkou_a[t]` and `senkou_b[t]`
 * hold the cloud as it is drawn at bar t, i.e. the value computed at bar t − displacement: every output at t
 * uses only bars ≤ t. The chikou span (the close drawn 26 bars back) is left out: at its drawn position it would
 * be a future value. Lookbacks: tenkan − 1, kijun − 1, max(tenkan, kijun) − 1 + displacement and
 * senkou − 1 + displacement; the def's lookback (and the stream's isStable) is the largest, senkou B's.
 */
import type { IndicatorDef } from '../types.ts'
import { WindowExtreme, extremeSeries } from '../statistic/extreme.ts'
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

/** Recurrence of Ichimoku: three window extremes pairs and two delay lines. */
export class IchimokuState {
  readonly h1: WindowExtreme
  readonly l1: WindowExtreme
  readonly h2: WindowExtreme
  readonly l2: WindowExtreme
  readonly h3: WindowExtreme
  readonly l3: WindowExtreme
  readonly delayA: Ring
  readonly delayB: Ring
  tenkan = NaN
  kijun = NaN
  spanA = NaN
  spanB = NaN

  constructor(
    p1: number,
    p2: number,
    p3: number,
    readonly displacement: number,
  ) {
    intParam('ichimoku', 'tenkan', p1, 1)
    intParam('ichimoku', 'kijun', p2, 1)
    intParam('ichimoku', 'senkou', p3, 1)
    intParam('ichimoku', 'displacement', displacement, 0)
    this.h1 = new WindowExtreme(p1, true, false)
    this.l1 = new WindowExtreme(p1, false, false)
    this.h2 = new WindowExtreme(p2, true, false)
    this.l2 = new WindowExtreme(p2, false, false)
    this.h3 = new WindowExtreme(p3, true, false)
    this.l3 = new WindowExtreme(p3, false, false)
    this.delayA = new Ring(displacement + 1)
    this.delayB = new Ring(displacement + 1)
  }

  /** Feeds one bar; outputs in `tenkan`, `kijun`, `spanA`, `spanB`. */
  step(h: number, l: number): void {
    // push into every window before testing (no short-circuit: each window must see every bar)
    const a = Number(this.h1.push(h)) & Number(this.l1.push(l))
    const b = Number(this.h2.push(h)) & Number(this.l2.push(l))
    const c = Number(this.h3.push(h)) & Number(this.l3.push(l))
    this.tenkan = a ? (this.h1.val + this.l1.val) / 2 : NaN
    this.kijun = b ? (this.h2.val + this.l2.val) / 2 : NaN
    this.delayA.push((this.tenkan + this.kijun) / 2)
    this.delayB.push(c ? (this.h3.val + this.l3.val) / 2 : NaN)
    const d = this.displacement
    this.spanA = this.delayA.count > d ? this.delayA.ago(d) : NaN
    this.spanB = this.delayB.count > d ? this.delayB.ago(d) : NaN
  }
}

/** Ichimoku: [tenkan, kijun, senkou_a, senkou_b], the cloud lines as drawn at each bar. */
export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  tenkan = 9,
  kijun = 26,
  senkou = 52,
  displacement = 26,
): Float64Array[] {
  new IchimokuState(tenkan, kijun, senkou, displacement)
  const n = checkInputs('ichimoku', ['high', high], ['low', low])
  const out = [0, 1, 2, 3].map(() => outArray('ichimoku', n))
  const [t, k, a, b] = out as [Float64Array, Float64Array, Float64Array, Float64Array]
  const lo = new Float64Array(n)
  const mid = (p: number, dst: Float64Array): void => {
    extremeSeries(high, p, true, false, dst)
    extremeSeries(low, p, false, false, lo)
    for (let i = 0; i < n; i++) dst[i] = (dst[i]! + lo[i]!) / 2
  }
  mid(tenkan, t)
  mid(kijun, k)
  mid(senkou, b) // senkou B as computed at each bar; shifted in place below
  const d = displacement
  // shift forward: the cloud drawn at i was computed at i − d (walk backwards so b can be shifted in place)
  for (let i = n - 1; i >= 0; i--) {
    a[i] = i >= d ? (t[i - d]! + k[i - d]!) / 2 : NaN
    b[i] = i >= d ? b[i - d]! : NaN
  }
  return out
}

/** Lookback of the latest-starting output (senkou B). */
export function ichimokuLookback(tenkan: number, kijun: number, senkou: number, displacement: number): number {
  return Math.max(tenkan, kijun, senkou) - 1 + displacement
}

/** Streaming twin of {@link ichimoku}: value is [tenkan, kijun, senkou_a, senkou_b]. */
export class Ichimoku extends Stepper<IchimokuState, { high: number; low: number }, number[]> {
  constructor(tenkan = 9, kijun = 26, senkou = 52, displacement = 26) {
    new IchimokuState(tenkan, kijun, senkou, displacement)
    super(
      () => new IchimokuState(tenkan, kijun, senkou, displacement),
      ichimokuLookback(tenkan, kijun, senkou, displacement),
      (s, b) => s.step(b.high, b.low),
      (s) => [s.tenkan, s.kijun, s.spanA, s.spanB],
    )
  }
}

/** Registry entry of Ichimoku. */
export const ichimokuDef: IndicatorDef = defineIndicator({
  name: 'ichimoku',
  description: 'Ichimoku cloud (tenkan, kijun, senkou A/B as drawn at each bar; no chikou)',
  inputs: ['high', 'low'],
  params: [pInt('tenkan', 9, 1), pInt('kijun', 26, 1), pInt('senkou', 52, 1), pInt('displacement', 26, 0)],
  outputs: ['tenkan', 'kijun', 'senkou_a', 'senkou_b'],
  lookback: ([a, b, c, d]) => ichimokuLookback(a!, b!, c!, d!),
  make: ([a, b, c, d]) => new IchimokuState(a!, b!, c!, d!),
  feed: (s, b) => s.step(b.high, b.low),
  read: (s) => [s.tenkan, s.kijun, s.spanA, s.spanB],
  compute: ([high, low], [a, b, c, d]) => ichimoku(high, low, a, b, c, d),
})
