/** Growable typed columns for the CSV parser: amortised O(1) append, trimmed views at the end. */

/** Raw bar rows as parsed: time stamp as written (UTC ms), prices, volume, and where each row came from. */
export class RowColumns {
  length = 0
  time: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
  /** 1-based line number in the file. */
  line: Int32Array
  /** Byte offset of the row's first byte in the file. */
  offset: Float64Array

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity)
    this.time = new Float64Array(n)
    this.open = new Float64Array(n)
    this.high = new Float64Array(n)
    this.low = new Float64Array(n)
    this.close = new Float64Array(n)
    this.volume = new Float64Array(n)
    this.line = new Int32Array(n)
    this.offset = new Float64Array(n)
  }

  /** Makes room for one more row. */
  ensure(): void {
    if (this.length < this.time.length) return
    const n = this.time.length * 2
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n)
      b.set(a)
      return b
    }
    this.time = grow(this.time)
    this.open = grow(this.open)
    this.high = grow(this.high)
    this.low = grow(this.low)
    this.close = grow(this.close)
    this.volume = grow(this.volume)
    this.line = grow(this.line)
    this.offset = grow(this.offset)
  }

  /** Reverses the rows in place (files written newest first). */
  reverse(): void {
    const n = this.length
    for (const a of [this.time, this.open, this.high, this.low, this.close, this.volume, this.line, this.offset]) {
      a.subarray(0, n).reverse()
    }
  }
}
