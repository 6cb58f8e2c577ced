/** Double exponential moving average (TA-Lib DEMA). */
import { Ema, ema } from './ema.ts'
import type { StreamingIndicator } from './types.ts'
import { defineIndicator, intParam, nanFill, outArray, pInt } from './util.ts'

/**
 * DEMA = 2·EMA(x) − EMA(EMA(x)), each EMA SMA-seeded as in TA-Lib. Lookback 2·(period − 1). `scratch` (length
 * ≥ n) avoids an allocation for the inner EMA.
 */
export function dema(values: Float64Array, period: number, out?: Float64Array, scratch?: Float64Array): Float64Array {
  intParam('dema', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('dema', n, out)
  const lb = period - 1
  const e1 = outArray('dema', n, scratch)
  ema(values, period, e1)
  nanFill(o, 0, 2 * lb)
  if (n <= 2 * lb) return o
  ema(e1.subarray(lb, n), period, o.subarray(lb, n))
  for (let i = 2 * lb; i < n; i++) o[i] = 2.0 * e1[i] - o[i]
  return o
}

/** Streaming twin of {@link dema}: O(1) per update; `replace` recomputes the last value. */
export class Dema implements StreamingIndicator {
  private readonly e1: Ema
  private readonly e2: Ema
  private last: number | undefined

  constructor(readonly period: number) {
    intParam('dema', 'timeperiod', period, 1)
    this.e1 = new Ema(period)
    this.e2 = new Ema(period)
  }

  update(x: number, replace = false): number | undefined {
    const a = this.e1.update(x, replace)
    const b = a === undefined ? undefined : this.e2.update(a, replace)
    this.last = a === undefined || b === undefined ? undefined : 2.0 * a - b
    return this.last
  }

  get isStable(): boolean {
    return this.e2.isStable
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.e1.reset()
    this.e2.reset()
    this.last = undefined
  }
}

/** TA-Lib DEMA. */
export const demaDef = defineIndicator({
  name: 'dema',
  description: 'Double exponential moving average',
  inputs: ['close'],
  params: [pInt('timeperiod', 30, 2)],
  outputs: ['real'],
  lookback: ([p]) => 2 * (p - 1),
  compute: ([x], [p]) => [dema(x, p)],
  stream: ([p]) => new Dema(p),
  testParams: [[10], [2]],
})
