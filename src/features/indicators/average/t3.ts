import { intParam, nanFill, outArray, pInt, pReal, realParam } from '../checks.ts'
import { Stepper, defineIndicator } from '../define.ts'
/** Tillson T3 moving average (TA-Lib T3). */

/**
 * T3's recurrence: six chained EMAs (`k·x + (1−k)·e`, TA-Lib's form), each seeded with the mean of its first
 * `period` inputs, combined with the volume-factor coefficients. Output NaN for the first 6·(period−1) steps.
 */
export class T3State {
  readonly out = new Float64Array(1)
  private readonly k: number
  private readonly k1: number
  private readonly c: [number, number, number, number]
  private readonly e = new Float64Array(6)
  private count = 0
  private sum = 0

  constructor(
    readonly period: number,
    readonly vFactor: number,
  ) {
    this.k = 2.0 / (period + 1.0)
    this.k1 = 1.0 - this.k
    const v = vFactor
    const t = v * v
    const c1 = -(t * v)
    this.c = [c1, 3.0 * (t - c1), -6.0 * t - 3.0 * (v - c1), 1.0 + 3.0 * v - c1 + 3.0 * t]
  }

  step(x: number): void {
    const { e, k, k1, period } = this
    const pm1 = period - 1
    const idx = this.count++
    // EMA number s (1-based) gets its seed at index s·(period−1); `active` have theirs already.
    const active = idx === 0 ? 0 : Math.min(6, Math.floor((idx - 1) / pm1))
    let v = x
    for (let j = 0; j < active; j++) {
      e[j] = k * v + k1 * e[j]
      v = e[j]
    }
    if (active < 6) {
      this.sum += v
      if (idx === (active + 1) * pm1) {
        e[active] = this.sum / period
        this.sum = e[active]
      }
    }
    const [c1, c2, c3, c4] = this.c
    this.out[0] = idx >= 6 * pm1 ? c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2] : NaN
  }
}

/**
 * T3 with `period` and volume factor `vFactor` (TA-Lib defaults 5 and 0.7). Lookback 6·(period − 1). The batch
 * kernel runs TA-Lib's loops directly (the same arithmetic as {@link T3State}, fused for speed).
 */
export function t3(values: Float64Array, period: number, vFactor = 0.7, out?: Float64Array): Float64Array {
  intParam('t3', 'timeperiod', period, 1)
  realParam('t3', 'vfactor', vFactor, 0, 1)
  const n = values.length
  const o = outArray('t3', n, out)
  const lb = 6 * (period - 1)
  nanFill(o, 0, lb)
  if (n <= lb) return o
  const k = 2.0 / (period + 1.0)
  const k1 = 1.0 - k
  let today = 0
  let t = values[today++]
  for (let i = period - 1; i > 0; i--) t += values[today++]
  let e1 = t / period
  t = e1
  for (let i = period - 1; i > 0; i--) {
    e1 = k * values[today++] + k1 * e1
    t += e1
  }
  let e2 = t / period
  t = e2
  for (let i = period - 1; i > 0; i--) {
    e1 = k * values[today++] + k1 * e1
    e2 = k * e1 + k1 * e2
    t += e2
  }
  let e3 = t / period
  t = e3
  for (let i = period - 1; i > 0; i--) {
    e1 = k * values[today++] + k1 * e1
    e2 = k * e1 + k1 * e2
    e3 = k * e2 + k1 * e3
    t += e3
  }
  let e4 = t / period
  t = e4
  for (let i = period - 1; i > 0; i--) {
    e1 = k * values[today++] + k1 * e1
    e2 = k * e1 + k1 * e2
    e3 = k * e2 + k1 * e3
    e4 = k * e3 + k1 * e4
    t += e4
  }
  let e5 = t / period
  t = e5
  for (let i = period - 1; i > 0; i--) {
    e1 = k * values[today++] + k1 * e1
    e2 = k * e1 + k1 * e2
    e3 = k * e2 + k1 * e3
    e4 = k * e3 + k1 * e4
    e5 = k * e4 + k1 * e5
    t += e5
  }
  let e6 = t / period
  const v = vFactor
  const vv = v * v
  const c1 = -(vv * v)
  const c2 = 3.0 * (vv - c1)
  const c3 = -6.0 * vv - 3.0 * (v - c1)
  const c4 = 1.0 + 3.0 * v - c1 + 3.0 * vv
  o[lb] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3
  for (; today < n; today++) {
    e1 = k * values[today] + k1 * e1
    e2 = k * e1 + k1 * e2
    e3 = k * e2 + k1 * e3
    e4 = k * e3 + k1 * e4
    e5 = k * e4 + k1 * e5
    e6 = k * e5 + k1 * e6
    o[today] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3
  }
  return o
}

/** Streaming twin of {@link t3}. */
export function createT3(period: number, vFactor = 0.7): Stepper<T3State, number, number | number[]> {
  intParam('t3', 'timeperiod', period, 1)
  realParam('t3', 'vfactor', vFactor, 0, 1)
  const mk = () => new T3State(period, vFactor)
  return new Stepper(
    mk,
    6 * (period - 1),
    (s, x) => s.step(x),
    (s) => (s.out.length === 1 ? s.out[0] : Array.from(s.out)),
  )
}

/** TA-Lib T3. */
export const t3Def = defineIndicator({
  name: 't3',
  description: 'Tillson T3 moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 5, 2), pReal('vfactor', 0.7, 0, 1)],
  outputs: ['real'],
  lookback: ([p]) => 6 * (p - 1),
  compute: ([x], [p, v]) => [t3(x, p, v)],
  stream: ([p, v]) => createT3(p, v),
  testParams: [
    [10, 0.5],
    [2, 0],
  ],
})
