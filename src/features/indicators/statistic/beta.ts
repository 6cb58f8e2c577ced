/** Beta of one series' returns against another's (TA-Lib BETA; inputs high and low as TA-Lib's abstract API). */
import type { BarInput, StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

const isZero = (v: number) => v > -1e-14 && v < 1e-14

/** One-bar return with TA-Lib's guard (0 when the previous price is near zero). */
function ret(cur: number, prev: number): number {
  return isZero(prev) ? 0.0 : (cur - prev) / prev
}

function beta1(n: number, sxx: number, sxy: number, sx: number, sy: number): number {
  const t = n * sxx - sx * sx
  return isZero(t) ? 0.0 : (n * sxy - sx * sy) / t
}

/**
 * Rolling beta as TA-Lib computes it: (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²) over the last `period` one-bar returns
 * x of `a` and y of `b`. Lookback `period`. A NaN price poisons the running sums.
 */
export function beta(a: Float64Array, b: Float64Array, period = 5, out?: Float64Array): Float64Array {
  intParam('beta', 'timeperiod', period, 1)
  const len = a.length
  const o = outArray('beta', len, out)
  nanFill(o, 0, period)
  if (len <= period) return o
  let sxx = 0
  let sxy = 0
  let sx = 0
  let sy = 0
  for (let i = 1; i < period; i++) {
    const x = ret(a[i], a[i - 1])
    const y = ret(b[i], b[i - 1])
    sxx += x * x
    sxy += x * y
    sx += x
    sy += y
  }
  for (let i = period; i < len; i++) {
    let x = ret(a[i], a[i - 1])
    let y = ret(b[i], b[i - 1])
    sxx += x * x
    sxy += x * y
    sx += x
    sy += y
    const t = i - period + 1
    x = ret(a[t], a[t - 1])
    y = ret(b[t], b[t - 1])
    o[i] = beta1(period, sxx, sxy, sx, sy)
    sxx -= x * x
    sxy -= x * y
    sx -= x
    sy -= y
  }
  return o
}

/** Streaming twin of {@link beta}; `update([a, b])`. */
export class Beta implements StreamingIndicator<readonly [number, number], number> {
  private readonly wx: Ring
  private readonly wy: Ring
  private readonly s = new Float64Array(4)
  private readonly u = new Float64Array(4)
  private prevA = NaN
  private prevB = NaN
  private uA = NaN
  private uB = NaN
  private count = 0
  private last: number | undefined
  private uLast: number | undefined

  constructor(readonly period = 5) {
    intParam('beta', 'timeperiod', period, 1)
    this.wx = new Ring(period)
    this.wy = new Ring(period)
  }

  update([a, b]: readonly [number, number], replace = false): number | undefined {
    const s = this.s
    if (replace && this.count > 0) {
      this.count--
      s.set(this.u)
      this.prevA = this.uA
      this.prevB = this.uB
      this.last = this.uLast
      if (this.count > 0) {
        this.wx.undo()
        this.wy.undo()
      }
    }
    this.u.set(s)
    this.uA = this.prevA
    this.uB = this.prevB
    this.uLast = this.last
    const i = this.count++
    const pa = this.prevA
    const pb = this.prevB
    this.prevA = a
    this.prevB = b
    if (i === 0) return undefined
    const x = ret(a, pa)
    const y = ret(b, pb)
    this.wx.push(x)
    this.wy.push(y)
    s[0] += x * x
    s[1] += x * y
    s[2] += x
    s[3] += y
    if (i < this.period) return undefined
    this.last = beta1(this.period, s[0], s[1], s[2], s[3])
    const tx = this.wx.ago(this.wx.length - 1)
    const ty = this.wy.ago(this.wy.length - 1)
    s[0] -= tx * tx
    s[1] -= tx * ty
    s[2] -= tx
    s[3] -= ty
    return this.last
  }

  get isStable(): boolean {
    return this.count > this.period
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.wx.clear()
    this.wy.clear()
    this.s.fill(0)
    this.prevA = NaN
    this.prevB = NaN
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib BETA (price0 = high, price1 = low, as TA-Lib's Python abstract API). */
export const betaDef = defineIndicator<readonly [number, number]>({
  name: 'beta',
  description: 'Beta of the returns of high against those of low',
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 5, 1)],
  outputs: ['real'],
  lookback: ([p]) => p,
  compute: ([a, b], [p]) => [beta(a, b, p)],
  stream: ([p]) => new Beta(p),
  pick: (bar: BarInput) => [bar.high, bar.low] as const,
  testParams: [[20], [1]],
})
