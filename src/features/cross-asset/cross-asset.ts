/**
 * Cross-asset features over series aligned bar for bar (same length, same timestamps — align them first):
 * rolling correlation and beta of log returns against a benchmark, relative strength over a window, and
 * sector momentum. O(1) streaming twins for the pairwise ones.
 */
import { KestrelError } from '../../core/index.ts'
import { RollingPairs } from '../common/rolling.ts'
import { intParam, sameLength } from '../common/params.ts'

/** Streaming rolling correlation and beta of the log returns of an asset (y) on a benchmark (x). */
export class RollingBeta {
  private readonly pairs: RollingPairs
  private pa = NaN
  private pb = NaN
  private readonly out = new Float64Array(2)
  constructor(readonly window: number) {
    this.pairs = new RollingPairs(intParam('rollingBeta(window)', window, 3))
  }
  /** Adds the two closes; returns [correlation, beta] (reused array; NaN inside the window). */
  update(asset: number, bench: number): Float64Array {
    const pa = this.pa
    const pb = this.pb
    this.pa = asset
    this.pb = bench
    if (Number.isNaN(pa) || Number.isNaN(pb)) return this.out.fill(NaN)
    this.pairs.push(Math.log(bench / pb), Math.log(asset / pa))
    this.out[0] = this.pairs.full ? this.pairs.correlation() : NaN
    this.out[1] = this.pairs.full ? this.pairs.slope() : NaN
    return this.out
  }
  reset(): void {
    this.pairs.reset()
    this.pa = NaN
    this.pb = NaN
  }
}

function pairwise(asset: Float64Array, bench: Float64Array, window: number, k: 0 | 1): Float64Array {
  const n = sameLength('rollingBeta(asset, bench)', asset, bench)
  const s = new RollingBeta(window)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = s.update(asset[i]!, bench[i]!)[k]!
  return out
}

/** Rolling Pearson correlation of the two series' log returns over `window` returns. */
export function rollingCorrelation(asset: Float64Array, bench: Float64Array, window: number): Float64Array {
  return pairwise(asset, bench, window, 0)
}

/** Rolling beta: cov(r_asset, r_bench) / var(r_bench) over `window` log returns. */
export function rollingBeta(asset: Float64Array, bench: Float64Array, window: number): Float64Array {
  return pairwise(asset, bench, window, 1)
}

/** Streaming twin of {@link relativeStrength}: O(1) per update over ring buffers of the last w closes. */
export class RelativeStrength {
  private readonly a: Float64Array
  private readonly b: Float64Array
  private i = 0
  constructor(readonly window: number) {
    intParam('relativeStrength(window)', window, 1)
    this.a = new Float64Array(window)
    this.b = new Float64Array(window)
  }
  /** Adds both closes; returns the relative strength (NaN for the first w bars). */
  update(asset: number, bench: number): number {
    const k = this.i % this.window
    const v = this.i >= this.window ? Math.log(asset / this.a[k]!) - Math.log(bench / this.b[k]!) : NaN
    this.a[k] = asset
    this.b[k] = bench
    this.i++
    return v
  }
  reset(): void {
    this.i = 0
  }
}

/** Relative strength: ln(A_t/A_{t−w}) − ln(B_t/B_{t−w}); NaN for t < w. */
export function relativeStrength(asset: Float64Array, bench: Float64Array, window: number): Float64Array {
  const n = sameLength('relativeStrength(asset, bench)', asset, bench)
  const w = intParam('relativeStrength(window)', window, 1)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++)
    out[i] = i >= w ? Math.log(asset[i]! / asset[i - w]!) - Math.log(bench[i]! / bench[i - w]!) : NaN
  return out
}

/** Result of {@link sectorMomentum}. */
export interface SectorMomentum {
  /** Per sector: the mean `window`-bar log return of its members with a finite value (NaN if none). */
  readonly sectors: Record<string, Float64Array>
  /** Per symbol: its sector's momentum. */
  readonly sectorOf: Record<string, Float64Array>
  /** Per symbol: its own momentum minus its sector's. */
  readonly relative: Record<string, Float64Array>
}

/** Sector momentum from aligned closes and a symbol → sector map (every symbol must have a sector). */
export function sectorMomentum(
  closes: Readonly<Record<string, Float64Array>>,
  sectorMap: Readonly<Record<string, string>>,
  window: number,
): SectorMomentum {
  const w = intParam('sectorMomentum(window)', window, 1)
  const symbols = Object.keys(closes)
  if (symbols.length === 0) return { sectors: {}, sectorOf: {}, relative: {} }
  const n = sameLength('sectorMomentum(closes)', ...symbols.map((s) => closes[s]!))
  const own: Record<string, Float64Array> = {}
  for (const s of symbols) {
    if (sectorMap[s] === undefined)
      throw new KestrelError('PARAM_INVALID', `sectorMomentum: symbol ${JSON.stringify(s)} has no sector in the map`, {
        symbol: s,
      })
    const c = closes[s]!
    own[s] = Float64Array.from(c, (v, i) => (i >= w ? Math.log(v / c[i - w]!) : NaN))
  }
  const sectors: Record<string, Float64Array> = {}
  for (const sec of new Set(symbols.map((s) => sectorMap[s]!))) {
    const members = symbols.filter((s) => sectorMap[s] === sec)
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      let sum = 0
      let k = 0
      for (const m of members) {
        const v = own[m]![i]!
        if (Number.isFinite(v)) {
          sum += v
          k++
        }
      }
      out[i] = k > 0 ? sum / k : NaN
    }
    sectors[sec] = out
  }
  const sectorOf: Record<string, Float64Array> = {}
  const relative: Record<string, Float64Array> = {}
  for (const s of symbols) {
    sectorOf[s] = sectors[sectorMap[s]!]!
    relative[s] = own[s]!.map((v, i) => v - sectorOf[s]![i]!)
  }
  return { sectors, sectorOf, relative }
}

/** Streaming twin of {@link sectorMomentum}: `update` takes every symbol's close for one bar. O(symbols·1). */
export class SectorMomentumStream {
  private readonly symbols: string[]
  private readonly buf: Map<string, Float64Array>
  private readonly sectorNames: string[]
  private i = 0

  constructor(
    readonly sectorMap: Readonly<Record<string, string>>,
    readonly window: number,
  ) {
    intParam('sectorMomentum(window)', window, 1)
    this.symbols = Object.keys(sectorMap)
    this.buf = new Map(this.symbols.map((s) => [s, new Float64Array(window)]))
    this.sectorNames = [...new Set(this.symbols.map((s) => sectorMap[s]!))]
  }

  /** Adds one bar; returns each sector's momentum (NaN until w bars or when no member has a value). */
  update(closes: Readonly<Record<string, number>>): Record<string, number> {
    const k = this.i % this.window
    const sum: Record<string, number> = {}
    const cnt: Record<string, number> = {}
    for (const s of this.symbols) {
      const c = closes[s]
      if (c === undefined)
        throw new KestrelError('PARAM_INVALID', `sectorMomentum: no close for ${JSON.stringify(s)} at bar ${this.i}`, {
          symbol: s,
        })
      const b = this.buf.get(s)!
      const r = this.i >= this.window ? Math.log(c / b[k]!) : NaN
      b[k] = c
      const sec = this.sectorMap[s]!
      if (Number.isFinite(r)) {
        sum[sec] = (sum[sec] ?? 0) + r
        cnt[sec] = (cnt[sec] ?? 0) + 1
      }
    }
    this.i++
    return Object.fromEntries(this.sectorNames.map((sec) => [sec, cnt[sec] ? sum[sec]! / cnt[sec]! : NaN]))
  }
}
