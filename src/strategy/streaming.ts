/**
 * Tiny streaming moving averages for the built-in strategies, used until `src/features/indicators` ships its
 * streaming twins (then the built-ins switch to those). O(1) per update, `replace` redoes the last value.
 */
import type { StreamingIndicator } from '../features/index.ts'

/** Simple moving average over the last `period` values (ring buffer with a running sum). */
export class StreamingSma implements StreamingIndicator {
  private readonly buf: Float64Array
  private count = 0
  private sum = 0
  private last = NaN
  value: number | undefined = undefined

  constructor(readonly period: number) {
    this.buf = new Float64Array(period)
  }

  update(input: number, replace = false): number | undefined {
    const p = this.period
    if (replace && this.count > 0) {
      const i = (this.count - 1) % p
      this.sum += input - this.buf[i]!
      this.buf[i] = input
    } else {
      const i = this.count % p
      if (this.count >= p) this.sum -= this.buf[i]!
      this.buf[i] = input
      this.sum += input
      this.count++
    }
    this.last = input
    this.value = this.count >= p ? this.sum / p : undefined
    return this.value
  }

  get isStable(): boolean {
    return this.count >= this.period
  }

  reset(): void {
    this.buf.fill(0)
    this.count = 0
    this.sum = 0
    this.last = NaN
    this.value = undefined
  }
}

/** Exponential moving average (alpha = 2/(period+1)) seeded with the SMA of the first `period` values. */
export class StreamingEma implements StreamingIndicator {
  private readonly k: number
  private count = 0
  private seedSum = 0
  private prev = NaN
  value: number | undefined = undefined

  constructor(readonly period: number) {
    this.k = 2 / (period + 1)
  }

  update(input: number, replace = false): number | undefined {
    if (replace && this.count > 0) {
      if (this.count <= this.period) {
        this.count--
        this.seedSum -= this.lastInput
      } else {
        this.count--
        this.value = this.prev
      }
    }
    this.lastInput = input
    this.count++
    if (this.count < this.period) {
      this.seedSum += input
      return (this.value = undefined)
    }
    if (this.count === this.period) {
      this.seedSum += input
      this.prev = NaN
      return (this.value = this.seedSum / this.period)
    }
    this.prev = this.value!
    return (this.value = this.prev + this.k * (input - this.prev))
  }

  private lastInput = NaN

  get isStable(): boolean {
    return this.count >= this.period
  }

  reset(): void {
    this.count = 0
    this.seedSum = 0
    this.prev = NaN
    this.lastInput = NaN
    this.value = undefined
  }
}
