/** Intraday momentum index (TA-Lib IMI): the RSI of intraday moves, close − open, over `period` bars. */
import { Ring } from '../../../core/index.ts'
import { checkInputs, intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * 100 · up / (up + down), where up sums close − open over the bars of the window that closed above their open and
 * down sums open − close over the others. Above 70 the bars have mostly closed strong (overbought), below 30 weak.
 * Each window is summed afresh, oldest bar first, as in TA-Lib; a window of flat bars gives NaN (0 / 0), as TA-Lib
 * does. Lookback period − 1.
 */
export function imi(open: Float64Array, close: Float64Array, period = 14, out?: Float64Array): Float64Array {
  intParam('imi', 'timeperiod', period, 2)
  const n = checkInputs('imi', ['open', open], ['close', close])
  const o = outArray('imi', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  for (let t = lb; t < n; t++)
    o[t] = windowImi(
      (k) => open[t - k]!,
      (k) => close[t - k]!,
      period,
    )
  return o
}

/** The one formula of {@link imi} and its streaming twin; `k` counts bars back from the newest. */
function windowImi(open: (k: number) => number, close: (k: number) => number, period: number): number {
  let up = 0.0
  let down = 0.0
  for (let k = period - 1; k >= 0; k--) {
    const c = close(k)
    const o = open(k)
    if (c > o) up += c - o
    else down += o - c
  }
  return 100.0 * (up / (up + down))
}

/** Streaming state of {@link imi}: the last `period` opens and closes. */
class ImiState {
  readonly opens: Ring
  readonly closes: Ring
  value = NaN
  constructor(readonly period: number) {
    this.opens = new Ring(period)
    this.closes = new Ring(period)
  }
  feed(o: number, c: number): void {
    this.opens.push(o)
    this.closes.push(c)
    if (this.opens.length === this.period) {
      this.value = windowImi(
        (k) => this.opens.ago(k),
        (k) => this.closes.ago(k),
        this.period,
      )
    }
  }
}

/** TA-Lib IMI. */
export const imiDef = defineIndicator({
  name: 'imi',
  description: 'Intraday Momentum Index',
  inputs: ['open', 'close'],
  params: [pInt('timeperiod', 14, 2)],
  outputs: ['real'],
  lookback: ([p]) => p! - 1,
  make: ([p]) => new ImiState(p!),
  feed: (s, b) => s.feed(b.open, b.close),
  read: (s) => [s.value],
  compute: ([o, c], [p]) => [imi(o!, c!, p)],
  testParams: [[5], [30]],
})
