/** Acceleration bands (TA-Lib ACCBANDS, Price Headley): SMAs of the high and low widened by the bar's relative range. */
import { Sma, sma } from '../average/sma.ts'
import { checkInputs, intParam, outArray, pInt } from '../checks.ts'
import { StreamSlot, defineIndicator } from '../define.ts'

/** The widened high and low of one bar: H·(1 + w), L·(1 − w) with w = 4(H − L)/(H + L), or H, L when H + L ≈ 0. */
function widen(h: number, l: number): [number, number] {
  let w = h + l
  if (w > -1e-14 && w < 1e-14) return [h, l]
  w = (4 * (h - l)) / w
  return [h * (1 + w), l * (1 - w)]
}

/**
 * Upper band = SMA(H·(1 + w)), middle = SMA(close), lower = SMA(L·(1 − w)), w = 4(H − L)/(H + L), over `period`.
 * A close outside the bands marks an accelerating move. Lookback period − 1.
 */
export function accbands(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 20,
  outs: Float64Array[] = [],
): [Float64Array, Float64Array, Float64Array] {
  intParam('accbands', 'timeperiod', period, 2)
  const n = checkInputs('accbands', ['high', high], ['low', low], ['close', close])
  const up = new Float64Array(n)
  const dn = new Float64Array(n)
  for (let i = 0; i < n; i++) [up[i], dn[i]] = widen(high[i]!, low[i]!)
  const outUp = outArray('accbands', n, outs[0])
  const outMid = outArray('accbands', n, outs[1])
  const outDn = outArray('accbands', n, outs[2])
  sma(up, period, outUp)
  sma(close, period, outMid)
  sma(dn, period, outDn)
  return [outUp, outMid, outDn]
}

/** Streaming state of {@link accbands}: three SMAs. */
class AccbandsState {
  readonly up: StreamSlot
  readonly mid: StreamSlot
  readonly dn: StreamSlot
  values = [NaN, NaN, NaN]
  constructor(period: number) {
    this.up = new StreamSlot(new Sma(period))
    this.mid = new StreamSlot(new Sma(period))
    this.dn = new StreamSlot(new Sma(period))
  }
  feed(h: number, l: number, c: number): void {
    const [u, d] = widen(h, l)
    this.values = [this.up.feed(u), this.mid.feed(c), this.dn.feed(d)]
  }
}

/** TA-Lib ACCBANDS. */
export const accbandsDef = defineIndicator({
  name: 'accbands',
  description: 'Acceleration Bands',
  inputs: ['high', 'low', 'close'],
  params: [pInt('timeperiod', 20, 2)],
  outputs: ['upperband', 'middleband', 'lowerband'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new AccbandsState(p!),
  feed: (s, b) => s.feed(b.high, b.low, b.close),
  read: (s) => s.values,
  compute: ([h, l, c], [p]) => accbands(h!, l!, c!, p),
  testParams: [[5], [2]],
})
