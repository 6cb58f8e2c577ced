/**
 * Gaussian kernel density over pivot prices: levels are the density's peaks. Bandwidth by Silverman's rule
 * of thumb, h = 0.9 · min(σ̂, IQR/1.34) · m^{−1/5} (Silverman 1986, eq. 3.31), unless given.
 * A level's strength is Σ_j exp(−(x − p_j)² / 2h²): about the number of pivots that sit at it.
 */
import { numParam, intParam } from '../common/params.ts'

/** A support/resistance level. */
export interface Level {
  readonly price: number
  /** Kernel-weighted count of pivots at the level. */
  readonly strength: number
}

/** Silverman's rule-of-thumb bandwidth for `xs` (0 when they are all equal). */
export function silvermanBandwidth(xs: ArrayLike<number>): number {
  const m = xs.length
  if (m < 2) return 0
  const s = Float64Array.from(xs).sort()
  let mean = 0
  for (let i = 0; i < m; i++) mean += s[i]!
  mean /= m
  let v = 0
  for (let i = 0; i < m; i++) v += (s[i]! - mean) ** 2
  const sd = Math.sqrt(v / (m - 1))
  const q = (p: number) => {
    const x = p * (m - 1)
    const lo = Math.floor(x)
    return s[lo]! + (x - lo) * ((s[Math.min(lo + 1, m - 1)] ?? s[lo]!) - s[lo]!)
  }
  const iqr = q(0.75) - q(0.25)
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd
  return 0.9 * spread * m ** -0.2
}

/** Kernel sum Σ exp(−(x − p)²/2h²) at `x` (kernels beyond 6h, below 1.6e-8, are ignored). */
export function kernelSum(prices: ArrayLike<number>, x: number, h: number): number {
  let s = 0
  const cut = 36 * h * h
  const k = -1 / (2 * h * h)
  for (let j = 0; j < prices.length; j++) {
    const d = x - prices[j]!
    const d2 = d * d
    if (d2 < cut) s += Math.exp(d2 * k)
  }
  return s
}

/**
 * Σ_j exp(−(x_g − p_j)²/2h²) on the grid x_g = a + g·step, without an exp per grid point: from the grid
 * point nearest each p_j the kernel is stepped outwards by the exact Gaussian recurrence
 * e_{g+1} = e_g·r_g, r_{g+1} = r_g·q with q = exp(−step²/h²), until it falls below 1e-17.
 */
export function gridDensity(prices: ArrayLike<number>, a: number, step: number, G: number, h: number): Float64Array {
  const f = new Float64Array(G)
  const k = -1 / (2 * h * h)
  const q = Math.exp(-(step * step) / (h * h))
  for (let j = 0; j < prices.length; j++) {
    const p = prices[j]!
    const g0 = Math.min(G - 1, Math.max(0, Math.round((p - a) / step)))
    const d0 = a + g0 * step - p
    const e0 = Math.exp(d0 * d0 * k)
    f[g0] += e0
    // rightwards: d → d + step
    let e = e0
    let r = Math.exp((2 * d0 * step + step * step) * k)
    for (let g = g0 + 1; g < G; g++) {
      e *= r
      r *= q
      if (e < 1e-17) break
      f[g] += e
    }
    // leftwards: d → d − step
    e = e0
    r = Math.exp((-2 * d0 * step + step * step) * k)
    for (let g = g0 - 1; g >= 0; g--) {
      e *= r
      r *= q
      if (e < 1e-17) break
      f[g] += e
    }
  }
  return f
}

/** Options of {@link kdeLevels}. */
export interface KdeOptions {
  /** Bandwidth in price units; default Silverman's rule. */
  readonly bandwidth?: number
  /** Grid points between min − 3h and max + 3h. Default 64 (peaks are refined between grid points). */
  readonly gridSize?: number
}

/** Levels (density peaks) of the given pivot prices, sorted by price. Empty for no prices. */
export function kdeLevels(prices: ArrayLike<number>, opts: KdeOptions = {}): Level[] {
  const m = prices.length
  if (m === 0) return []
  const G = intParam('kdeLevels(gridSize)', opts.gridSize ?? 64, 8)
  numParam('kdeLevels(gridSize)', G, 8, 100_000)
  let lo = Infinity
  let hi = -Infinity
  for (let j = 0; j < m; j++) {
    lo = Math.min(lo, prices[j]!)
    hi = Math.max(hi, prices[j]!)
  }
  let h = opts.bandwidth ?? silvermanBandwidth(prices)
  if (opts.bandwidth !== undefined) numParam('kdeLevels(bandwidth)', h, Number.MIN_VALUE)
  if (!(h > 0)) h = Math.max(Math.abs(lo) * 1e-6, 1e-12) // all pivots at one price: one level there
  const a = lo - 3 * h
  const step = (hi + 3 * h - a) / (G - 1)
  const f = gridDensity(prices, a, step, G, h)
  const out: Level[] = []
  for (let g = 0; g < G; g++) {
    const left = g > 0 ? f[g - 1]! : -Infinity
    const right = g < G - 1 ? f[g + 1]! : -Infinity
    if (f[g]! > left && f[g]! >= right) {
      // parabolic refinement of the peak between grid points
      let x = a + g * step
      if (g > 0 && g < G - 1) {
        const den = left - 2 * f[g]! + right
        if (den < 0) x += (0.5 * (left - right) * step) / den
      }
      out.push({ price: x, strength: kernelSum(prices, x, h) })
    }
  }
  return out
}

/** Options of {@link levelHeatmap}. */
export interface HeatmapOptions {
  /** Half-width of the grid as a fraction of price. Default 0.05. */
  readonly rangePct?: number
  /** Grid cells. Default 21 (odd, so the current price sits in the middle cell). */
  readonly bins?: number
  readonly bandwidth?: number
}

/**
 * Density of levels on a price grid around `price`: `bins` cells from price·(1 − rangePct) to
 * price·(1 + rangePct); each value is the kernel sum of the pivot prices at the cell centre.
 */
export function levelHeatmap(
  pivotPrices: ArrayLike<number>,
  price: number,
  opts: HeatmapOptions = {},
): { prices: Float64Array; density: Float64Array } {
  const r = numParam('levelHeatmap(rangePct)', opts.rangePct ?? 0.05, Number.MIN_VALUE, 1)
  const bins = intParam('levelHeatmap(bins)', opts.bins ?? 21, 2)
  numParam('levelHeatmap(bins)', bins, 2, 100_000)
  let h = opts.bandwidth ?? silvermanBandwidth(pivotPrices)
  if (!(h > 0)) h = (price * r) / bins
  const prices = new Float64Array(bins)
  const density = new Float64Array(bins)
  for (let b = 0; b < bins; b++) {
    prices[b] = price * (1 - r + (2 * r * b) / (bins - 1))
    density[b] = kernelSum(pivotPrices, prices[b]!, h)
  }
  return { prices, density }
}
