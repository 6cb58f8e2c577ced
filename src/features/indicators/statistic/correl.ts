/** Pearson correlation over a rolling window (TA-Lib CORREL; inputs high and low as TA-Lib's abstract API). */
import type { BarInput, StreamingIndicator } from '../types.ts'
import { Ring } from '../../../core/index.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** r from the five running sums, TA-Lib's formula and its guard (0 when the variance product is < 1e-14). */
function r(p: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number {
  const t = (sxx - (sx * sx) / p) * (syy - (sy * sy) / p)
  return t < 1e-14 ? 0.0 : (sxy - (sx * sy) / p) / Math.sqrt(t)
}

/** Rolling correlation of `a` and `b` over `period`. Lookback period − 1. NaN poisons the running sums. */
export function correl(a: Float64Array, b: Float64Array, period = 30, out?: Float64Array): Float64Array {
  intParam('correl', 'timeperiod', period, 1)
  const n = a.length
  const o = outArray('correl', n, out)
  const lb = period - 1
  nanFill(o, 0, lb)
  if (n <= lb) return o
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i <= lb; i++) {
    const x = a[i]
    const y = b[i]
    sx += x
    sxx += x * x
    sxy += x * y
    sy += y
    syy += y * y
  }
  o[lb] = r(period, sx, sy, sxx, syy, sxy)
  for (let i = period; i < n; i++) {
    const tx = a[i - period]
    const ty = b[i - period]
    sx -= tx
    sxx -= tx * tx
    sxy -= tx * ty
    sy -= ty
    syy -= ty * ty
    const x = a[i]
    const y = b[i]
    sx += x
    sxx += x * x
    sxy += x * y
    sy += y
    syy += y * y
    o[i] = r(period, sx, sy, sxx, syy, sxy)
  }
  return o
}

/** Streaming twin of {@link correl}; `update([a, b])`. */
export class Correl implements StreamingIndicator<readonly [number, number], number> {
  private readonly wa: Ring
  private readonly wb: Ring
  private readonly s = new Float64Array(5)
  private readonly u = new Float64Array(5)
  private count = 0
  private last: number | undefined
  private uLast: number | undefined

  constructor(readonly period = 30) {
    intParam('correl', 'timeperiod', period, 1)
    this.wa = new Ring(period)
    this.wb = new Ring(period)
  }

  update([x, y]: readonly [number, number], replace = false): number | undefined {
    const s = this.s
    if (replace && this.count > 0) {
      this.count--
      s.set(this.u)
      this.last = this.uLast
      this.wa.undo()
      this.wb.undo()
    }
    this.u.set(s)
    this.uLast = this.last
    this.count++
    const full = this.wa.length === this.period
    const tx = this.wa.push(x)
    const ty = this.wb.push(y)
    if (full) {
      s[0] -= tx
      s[2] -= tx * tx
      s[4] -= tx * ty
      s[1] -= ty
      s[3] -= ty * ty
    }
    s[0] += x
    s[2] += x * x
    s[4] += x * y
    s[1] += y
    s[3] += y * y
    if (this.count < this.period) return undefined
    this.last = r(this.period, s[0], s[1], s[2], s[3], s[4])
    return this.last
  }

  get isStable(): boolean {
    return this.count >= this.period
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.wa.clear()
    this.wb.clear()
    this.s.fill(0)
    this.count = 0
    this.last = undefined
  }
}

/** TA-Lib CORREL (price0 = high, price1 = low, as TA-Lib's Python abstract API). */
export const correlDef = defineIndicator<readonly [number, number]>({
  name: 'correl',
  description: "Pearson's correlation coefficient of high and low",
  inputs: ['high', 'low'],
  params: [pInt('timeperiod', 30, 1)],
  outputs: ['real'],
  lookback: ([p]) => p - 1,
  compute: ([a, b], [p]) => [correl(a, b, p)],
  stream: ([p]) => new Correl(p),
  pick: (bar: BarInput) => [bar.high, bar.low] as const,
  testParams: [[10], [2]],
})
