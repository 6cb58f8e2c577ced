/**
 * A string-keyed map for the few entries the order path keeps at a time (an account's open reservations and
 * pending fill holds): up to {@link SMALL} entries in two arrays searched in place, so an order that comes and
 * goes adds no hash-table entry; past that, a Map. Either way the entries iterate in insertion order, as a
 * Map's do (sums over them come out the same).
 */

/** Entries kept in arrays before the map takes over. */
const SMALL = 8

/** A map of strings to values (see the file comment). */
export class SmallMap<V> {
  private keys: string[] = []
  private vals: V[] = []
  private map: Map<string, V> | undefined

  /** Number of entries. */
  get size(): number {
    return this.map !== undefined ? this.map.size : this.keys.length
  }

  /** The value of `key`, or undefined. */
  get(key: string): V | undefined {
    if (this.map !== undefined) return this.map.get(key)
    const i = this.keys.indexOf(key)
    return i < 0 ? undefined : this.vals[i]
  }

  /** Sets the value of `key` (an existing key keeps its place in the order). */
  set(key: string, value: V): void {
    if (this.map !== undefined) {
      this.map.set(key, value)
      return
    }
    const i = this.keys.indexOf(key)
    if (i >= 0) this.vals[i] = value
    else if (this.keys.length < SMALL) {
      this.keys.push(key)
      this.vals.push(value)
    } else {
      const m = new Map<string, V>()
      for (let k = 0; k < this.keys.length; k++) m.set(this.keys[k]!, this.vals[k]!)
      m.set(key, value)
      this.map = m
      this.keys = []
      this.vals = []
    }
  }

  /** Removes `key`; true when it was there. */
  delete(key: string): boolean {
    const m = this.map
    if (m !== undefined) {
      const had = m.delete(key)
      if (m.size === 0) this.map = undefined
      return had
    }
    const i = this.keys.indexOf(key)
    if (i < 0) return false
    if (i === this.keys.length - 1) {
      this.keys.pop()
      this.vals.pop()
    } else {
      this.keys.splice(i, 1)
      this.vals.splice(i, 1)
    }
    return true
  }

  /** The values in insertion order. */
  values(): Iterable<V> {
    return this.map !== undefined ? this.map.values() : this.vals
  }
}
