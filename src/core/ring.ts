/**
 * A ring buffer of the last `size` numbers, with an undo of the latest push so that a streaming computation can
 * replace its last input (a still-forming bar) in O(1). Values are addressed from the newest ({@link Ring.ago})
 * or by push number since the start ({@link Ring.at}); slot `n % size` always holds push number `n`.
 */
export class Ring {
  readonly buf: Float64Array
  /** Number of pushes since construction or {@link Ring.clear} (an undo takes one back). */
  count = 0
  /** Slot of the next push (`count % size`, kept incrementally). */
  private head = 0
  /** Value the latest push overwrote. */
  private undoValue = NaN
  /** `count` at the last {@link Ring.mark}; −1 when there is none. */
  private markCount = -1

  constructor(readonly size: number) {
    this.buf = new Float64Array(Math.max(1, size)).fill(NaN)
  }

  /** Number of values held: min(count, size). */
  get length(): number {
    return this.count < this.buf.length ? this.count : this.buf.length
  }

  /** Appends `x`; returns the value it pushed out of the ring, or NaN while the ring is not yet full. */
  push(x: number): number {
    const b = this.buf
    const h = this.head
    const old = b[h]!
    this.undoValue = old
    b[h] = x
    this.head = h + 1 === b.length ? 0 : h + 1
    return ++this.count > b.length ? old : NaN
  }

  /** The value pushed `k` pushes ago (0 = the latest); `k` must be < size. */
  ago(k: number): number {
    let i = this.head - 1 - k
    if (i < 0) i += this.buf.length
    return this.buf[i]!
  }

  /** The value of push number `n` (0-based since the start); must be one of the last `size`. */
  at(n: number): number {
    return this.buf[n % this.buf.length]!
  }

  /** Remembers the current position: the next {@link Ring.undo} rolls back to it (at most one push later). */
  mark(): void {
    this.markCount = this.count
  }

  /** Reverts the latest push, restoring the value it overwrote; after a {@link Ring.mark}, only a push made since. */
  undo(): void {
    if (this.count === 0 || this.count === this.markCount) return
    this.count--
    this.head = this.head === 0 ? this.buf.length - 1 : this.head - 1
    this.buf[this.head] = this.undoValue
  }

  /** Empties the ring. */
  clear(): void {
    this.count = 0
    this.head = 0
    this.markCount = -1
    this.buf.fill(NaN)
  }
}
