/** Triple exponential moving average (TA-Lib TEMA). */
import { Ema, ema } from './ema.ts'
import type { StreamingIndicator } from './types.ts'
import { defineIndicator, intParam, nanFill, outArray, pInt } from './util.ts'

/** TEMA = EMA3 + (3·EMA1 − 3·EMA2), the EMAs chained and SMA-seeded as in TA-Lib. Lookback 3·(period − 1). */
export function tema(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('tema', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('tema', n, out)
  const lb = period - 1
  nanFill(o, 0, 3 * lb)
  if (n <= 3 * lb) return o
  const e1 = ema(values, period)
  const e2 = ema(e1.subarray(lb, n), period)
  ema(e2.subarray(lb), period, o.subarray(2 * lb, n))
  for (let i = 3 * lb; i < n; i++) o[i] += 3.0 * e1[i] - 3.0 * e2[i - lb]
  return o
}

/** Streaming twin of {@link tema}: O(1) per update; `replace` recomputes the last value. */
export class Tema implements StreamingIndicator {
  private readonly e1: Ema
  private readonly e2: Ema
  private readonly e3: Ema
  private last: number | undefined

  constructor(readonly period: number) {
    intParam('tema', 'timeperiod', period, 1)
    this.e1 = new Ema(period)
    this.e2 = new Ema(period)
    this.e3 = new Ema(period)
  }

  update(x: number, replace = false): number | undefined {
    const a = this.e1.update(x, replace)
    const b = a === undefined ? undefined : this.e2.update(a, replace)
    const c = b === undefined ? undefined : this.e3.update(b, replace)
    this.last = a === undefined || b === undefined || c === undefined ? undefined : c + (3.0 * a - 3.0 * b)
    return this.last
  }

  get isStable(): boolean {
    return this.e3.isStable
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.e1.reset()
    this.e2.reset()
    this.e3.reset()
    this.last = undefined
  }
}

/** TA-Lib TEMA. */
export const temaDef = defineIndicator({
  name: 'tema',
  description: 'Triple exponential moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => 3 * (p - 1),
  compute: ([x], [p]) => [tema(x, p)],
  stream: ([p]) => new Tema(p),
  testParams: [[10], [2]],
})
