/**
 * Seeded pseudo-random numbers (determinism): every random choice in Kestrel takes a seed. {@link Rng} draws
 * from xoroshiro128+ (pure-rand): period 2^128 − 1 and doubles with 53 random bits, so long synthetic markets and
 * Monte Carlo runs of millions of paths neither repeat nor sit on a 2^-32 grid.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'

/**
 * mulberry32: a small 32-bit generator (period 2^32, floats on a 2^-32 grid) in [0, 1). For fixtures and benchmark
 * data only; simulations use {@link Rng}.
 */
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

/** MurmurHash3's 32-bit finaliser: spreads every bit of `x` over the result. */
function fmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/**
 * The 128-bit xoroshiro state for a seed: its low and high 32 bits through a SplitMix-style sequence of fmix32,
 * so nearby seeds (1, 2, 3 …) start far apart instead of on the generator's weak, nearly-zero states.
 */
function seedState(seed: number): number[] {
  const lo = seed >>> 0
  const hi = Math.floor(seed / 4294967296) >>> 0
  let z = lo ^ fmix32(hi ^ 0x5bd1e995)
  const s: number[] = []
  for (let k = 0; k < 4; k++) {
    z = (z + 0x9e3779b9) | 0
    s.push(fmix32(z) | 0)
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1 // the one state xoroshiro never leaves
  return s
}

/** A seeded generator (xoroshiro128+) with uniform, normal (Box-Muller) and integer draws. */
export class Rng {
  private readonly g: ReturnType<typeof xoroshiro128plusFromState>
  private spare = NaN

  /** `seed`: an integer; the same seed gives the same draws on every machine. */
  constructor(readonly seed: number) {
    this.g = xoroshiro128plusFromState(seedState(seed))
  }

  /** Uniform in [0, 1), a multiple of 2^-53. */
  uniform(): number {
    return uniformFloat64(this.g)
  }

  /** Standard normal. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare
      this.spare = NaN
      return s
    }
    let u1 = this.uniform()
    while (u1 === 0) u1 = this.uniform()
    const u2 = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spare = r * Math.sin(2 * Math.PI * u2)
    return r * Math.cos(2 * Math.PI * u2)
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo))
  }
}
