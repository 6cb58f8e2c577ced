/**
 * Values keyed by a positive sequence number that only grows as it is issued (the `seq` of client order ids):
 * the order path's tables of issued ids and live orders. Entries usually leave about in the order they came,
 * so they live in an array window `[lo, lo + slots.length)` and set, get and delete are an index: no hashing
 * and no map entry per order. An entry that outlives the window (a resting order while thousands of others come
 * and go, an id never submitted) moves to a map, so the window stays at most {@link WINDOW} slots.
 */

/** Most slots the window holds before its oldest entries move to the map. */
const WINDOW = 4096

/** A table of values by sequence number (see the file comment). */
export class SeqTable<T> {
  /** slots[i] is the entry of seq `lo + i` (undefined: none). */
  private slots: (T | undefined)[] = []
  private lo = 1
  /** First slot that may hold an entry (every slot before it is empty). */
  private head = 0
  /** Entries in the window. */
  private live = 0
  /** Entries older than `lo`. */
  private readonly old = new Map<number, T>()

  /** Number of entries. */
  get size(): number {
    return this.live + this.old.size
  }

  /** The entry of `seq`, or undefined. */
  get(seq: number): T | undefined {
    const i = seq - this.lo
    if (i < 0) return this.old.get(seq)
    return i < this.slots.length ? this.slots[i] : undefined
  }

  /** Sets the entry of `seq` (a positive integer). */
  set(seq: number, value: T): void {
    let i = seq - this.lo
    if (i < 0) {
      this.old.set(seq, value)
      return
    }
    if (i >= WINDOW) {
      this.slide(seq - (WINDOW >> 1))
      i = seq - this.lo
    }
    const s = this.slots
    while (s.length <= i) s.push(undefined)
    if (s[i] === undefined) this.live++
    s[i] = value
    if (i < this.head) this.head = i
  }

  /** Removes the entry of `seq`; true when there was one. */
  delete(seq: number): boolean {
    const i = seq - this.lo
    if (i < 0) return this.old.delete(seq)
    const s = this.slots
    if (i >= s.length || s[i] === undefined) return false
    s[i] = undefined
    this.live--
    if (i === this.head) {
      const n = s.length
      let h = i + 1
      while (h < n && s[h] === undefined) h++
      this.head = h
      // Drop the empty start now and then (not on every delete: shortening an array is a runtime call).
      if (h >= 64 && h * 2 >= n) this.slide(this.lo + h)
    }
    return true
  }

  /** Moves the window to start at `lo` (≥ the current one): entries before it go to the map. */
  private slide(lo: number): void {
    const s = this.slots
    if (this.live === 0) {
      this.slots = []
      this.lo = lo
      this.head = 0
      return
    }
    const k = Math.min(lo - this.lo, s.length)
    for (let i = this.head; i < k; i++) {
      const v = s[i]
      if (v !== undefined) {
        this.old.set(this.lo + i, v)
        this.live--
      }
    }
    s.splice(0, k)
    this.lo = lo
    let h = 0
    while (h < s.length && s[h] === undefined) h++
    this.head = h
  }
}
