/** Triple exponential moving average (TA-Lib TEMA). */
import { Ema } from './ema.ts'
import type { StreamingIndicator } from '../types.ts'
import { intParam, nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/**
 * TEMA = EMA3 + (3·EMA1 − 3·EMA2), the EMAs chained and SMA-seeded as in TA-Lib. Lookback 3·(period − 1). One
 * fused pass with the same arithmetic as three chained {@link ema} calls.
 */
export function tema(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  intParam('tema', 'timeperiod', period, 1)
  const n = values.length
  const o = outArray('tema', n, out)
  const lb = period - 1
  nanFill(o, 0, 3 * lb)
  if (n <= 3 * lb) return o
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
  let s3 = e2
  for (; i <= 3 * lb; i++) {
    e1 = (values[i] - e1) * k + e1
    e2 = (e1 - e2) * k + e2
    s3 += e2
  }
  let e3 = s3 / period
  o[3 * lb] = e3 + (3.0 * e1 - 3.0 * e2)
  for (; i < n; i++) {
    e1 = (values[i] - e1) * k + e1
    e2 = (e1 - e2) * k + e2
    e3 = (e2 - e3) * k + e3
    o[i] = e3 + (3.0 * e1 - 3.0 * e2)
  }
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
