/** Double exponential moving average (TA-Lib DEMA). */
import { Ema } from './ema.ts'
import type { StreamingIndicator } from '../types.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * DEMA = 2·EMA(x) − EMA(EMA(x)), each EMA SMA-seeded as in TA-Lib. Lookback 2·(period − 1). One fused pass with
 * the same arithmetic as two chained {@link ema} calls (no temporary array).
 */
export function dema(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('dema', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('dema', n, out)
  const lb = period - 1
  nanFill(o, 0, 2 * lb)
  if (n <= 2 * lb) return o
  const k = 2 / (period + 1)
  let s1 = 0
  for (let i = 0; i < period; i++) s1 += values[i]
  let e1 = s1 / period
  let s2 = e1
  let i = period
  for (; i <= 2 * lb; i++) {
    e1 = (values[i] - e1) * k + e1
    s2 += e1
  }
  let e2 = s2 / period
  o[2 * lb] = 2.0 * e1 - e2
  for (; i < n; i++) {
    e1 = (values[i] - e1) * k + e1
    e2 = (e1 - e2) * k + e2
    o[i] = 2.0 * e1 - e2
  }
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
