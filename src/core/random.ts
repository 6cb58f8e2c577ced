/** Seeded pseudo-random numbers (determinism): every random choice in Kestrel takes a seed. */

/** mulberry32: a fast 32-bit generator with a good spread, returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A seeded generator with uniform, normal (Box-Muller) and integer draws. */
export class Rng {
  private readonly u: () => number
  private spare = NaN

  constructor(readonly seed: number) {
    this.u = mulberry32(seed)
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.u()
  }

  /** Standard normal. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare
      this.spare = NaN
      return s
    }
    let u1 = this.u()
    while (u1 <= Number.MIN_VALUE) u1 = this.u()
    const u2 = this.u()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spare = r * Math.sin(2 * Math.PI * u2)
    return r * Math.cos(2 * Math.PI * u2)
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.u() * (hi - lo))
  }
}
