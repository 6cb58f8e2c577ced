/** Deterministic id generation: the same run gives the same ids (invariant 3, determinism). */

/** Produces `PREFIX-000001`, `PREFIX-000002`, ... per prefix. */
export class IdGenerator {
  private readonly counters = new Map<string, number>()

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1
    this.counters.set(prefix, n)
    return `${prefix}-${String(n).padStart(6, '0')}`
  }

  reset(): void {
    this.counters.clear()
  }
}

/** A random-looking but reproducible id for a run, from a seed. */
export function runId(seed: number, time: number): string {
  const h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.floor(time / 1000), 0xc2b2ae35)) >>> 0
  return `run-${h.toString(16).padStart(8, '0')}`
}
