/** The maximum of a value over a sliding time window, amortised O(1) per sample (a monotonic deque). */
export class SlidingMax {
  private t: number[] = []
  private v: number[] = []
  private head = 0

  constructor(readonly windowMs: number) {}

  /** Adds a sample and returns the maximum over (t − windowMs, t]. */
  push(t: number, v: number): number {
    while (this.v.length > this.head && this.v[this.v.length - 1]! <= v) {
      this.v.pop()
      this.t.pop()
    }
    this.t.push(t)
    this.v.push(v)
    while (this.t[this.head]! <= t - this.windowMs) this.head++
    if (this.head > 1024 && this.head * 2 > this.t.length) {
      this.t = this.t.slice(this.head)
      this.v = this.v.slice(this.head)
      this.head = 0
    }
    return this.v[this.head]!
  }

  /** Forgets everything (after a re-arm). */
  reset(): void {
    this.t = []
    this.v = []
    this.head = 0
  }
}
