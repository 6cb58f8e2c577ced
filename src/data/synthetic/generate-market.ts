/**
 * A seeded synthetic market: N correlated symbols (Cholesky of a correlation matrix) with regime-switching
 * volatility (a Markov chain of regimes shared by all symbols), Poisson jumps, overnight gaps, a U-shaped
 * intraday volume profile and valid OHLC, on a calendar's sessions. Streams {@link MarketChunk}s from a
 * generator, so 100 million bars need only one chunk in memory. The same seed gives the same bars whatever
 * the chunk size. An optional planted pattern (autocorrelation or time-of-day drift) gives later ML tests
 * something learnable of known strength.
 */
import { KestrelError, Rng, allocBarSeries, parseTimeframe, requireParam } from '../../core/index.ts'
import type { BarSeries, EpochMs } from '../../core/index.ts'
import { getCalendar } from '../calendars/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'
import { BarClock } from './bar-clock.ts'
import { correlationFactor } from './correlation.ts'
import { uShape } from './volume-profile.ts'

/** One volatility regime: per-bar log-return volatility and mean length in bars. */
export interface Regime {
  readonly vol: number
  readonly meanDuration: number
  /** Volume multiplier while in this regime (default 1). */
  readonly volumeFactor?: number
}

/** A learnable pattern planted in the returns. */
export type PlantedPattern =
  /** Lag-1 autocorrelation `strength` of the diffusive returns (variance unchanged). */
  | { readonly kind: 'autocorrelation'; readonly strength: number }
  /** Drift `strength·σ·sin(2π·x)` at session position x: up in the first half, down in the second. */
  | { readonly kind: 'time-of-day'; readonly strength: number }

/** Options of {@link generateMarket}. */
export interface SyntheticMarketOptions {
  /** Symbol names, or how many (`SYN0`, `SYN1`, …). */
  readonly symbols: number | readonly string[]
  /** Bars per symbol. */
  readonly bars: number
  readonly seed: number
  /** Calendar id or object; bars exist only inside its sessions. Default `24/7`. */
  readonly calendar?: TradingCalendar | string
  /** First bar at or after this time. Default 2024-01-02T00:00:00Z. */
  readonly start?: EpochMs
  /** Bar length. Default `1m`. */
  readonly timeframe?: string
  /** N×N correlation of the symbols' diffusive returns. Default identity. */
  readonly correlation?: readonly (readonly number[])[]
  /** Starting price(s). Default 100. */
  readonly startPrice?: number | readonly number[]
  /** Volatility regimes. Default calm (σ 0.0005/bar, ~2000 bars) and volatile (σ 0.0015/bar, ~300 bars). */
  readonly regimes?: readonly Regime[]
  /** Poisson jumps per symbol: expected jumps per bar and the jump's log-size mean and sd. Default 1e-4, 0, 0.01. */
  readonly jumps?: { readonly intensity: number; readonly mean?: number; readonly sd?: number }
  /** Overnight gap: sd of the extra log-return at a session start after a break, in units of σ. Default 3. */
  readonly gapVol?: number
  /** Mean volume per bar and the U-shape strength (0 = flat). Default 1000 and 3. */
  readonly volume?: { readonly mean?: number; readonly uShape?: number }
  readonly pattern?: PlantedPattern
  /** Bars per chunk. Default 65 536. */
  readonly chunkSize?: number
}

/** One chunk of the stream: the same bar times for every symbol. */
export interface MarketChunk {
  /** Index of the chunk's first bar in the whole stream. */
  readonly offset: number
  /** One series per symbol; they share one `openTime` and one `closeTime` array. */
  readonly series: readonly BarSeries[]
  /** Regime index of each bar. */
  readonly regime: Uint8Array
  /** Number of jumps of each bar, symbol-major (`jumps[s * length + i]`). */
  readonly jumps: Uint8Array
}

const DEFAULT_REGIMES: readonly Regime[] = [
  { vol: 0.0005, meanDuration: 2000, volumeFactor: 1 },
  { vol: 0.0015, meanDuration: 300, volumeFactor: 1.8 },
]

/** Streams a synthetic market in chunks (see the module comment). */
export function* generateMarket(opts: SyntheticMarketOptions): Generator<MarketChunk, void, undefined> {
  const names =
    typeof opts.symbols === 'number' ? Array.from({ length: opts.symbols }, (_, i) => `SYN${i}`) : [...opts.symbols]
  const n = names.length
  requireParam(n >= 1 && n <= 255, 'synthetic(symbols)', '1..255 symbols', opts.symbols)
  requireParam(Number.isInteger(opts.bars) && opts.bars >= 0, 'synthetic(bars)', 'an integer ≥ 0', opts.bars)
  requireParam(Number.isFinite(opts.seed), 'synthetic(seed)', 'a finite number', opts.seed)
  const tf = parseTimeframe(opts.timeframe ?? '1m')
  requireParam(tf.unit !== 'd' && tf.unit !== 'w', 'synthetic(timeframe)', 'an intraday timeframe', tf.text)
  const calendar = typeof opts.calendar === 'object' ? opts.calendar : getCalendar(opts.calendar ?? '24/7')
  const corr = opts.correlation ?? Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)))
  if (corr.length !== n) {
    throw new KestrelError('PARAM_INVALID', `correlation matrix is ${corr.length}×${corr.length} for ${n} symbols`)
  }
  const L = correlationFactor(corr)
  const regimes = opts.regimes ?? DEFAULT_REGIMES
  requireParam(regimes.length >= 1 && regimes.length <= 255, 'synthetic(regimes)', '1..255 regimes', regimes.length)
  const stay = new Float64Array(regimes.length)
  regimes.forEach((r, i) => {
    requireParam(r.vol >= 0 && Number.isFinite(r.vol), `synthetic(regimes[${i}].vol)`, 'a finite σ ≥ 0', r.vol)
    requireParam(r.meanDuration >= 1, `synthetic(regimes[${i}].meanDuration)`, 'a number ≥ 1', r.meanDuration)
    stay[i] = regimes.length === 1 ? 1 : 1 - 1 / r.meanDuration
  })
  const lambda = opts.jumps?.intensity ?? 1e-4
  requireParam(lambda >= 0 && lambda < 5, 'synthetic(jumps.intensity)', 'jumps per bar in [0, 5)', lambda)
  const expNegLambda = Math.exp(-lambda)
  const jumpMean = opts.jumps?.mean ?? 0
  const jumpSd = opts.jumps?.sd ?? 0.01
  const gapVol = opts.gapVol ?? 3
  const volMean = opts.volume?.mean ?? 1000
  const volShape = opts.volume?.uShape ?? 3
  const pattern = opts.pattern
  if (pattern) {
    requireParam(Math.abs(pattern.strength) < 1, 'synthetic(pattern.strength)', 'a number in (-1, 1)', pattern.strength)
  }
  const phi = pattern?.kind === 'autocorrelation' ? pattern.strength : 0
  const phiScale = Math.sqrt(1 - phi * phi)
  const todStrength = pattern?.kind === 'time-of-day' ? pattern.strength : 0
  const chunkSize = opts.chunkSize ?? 65_536
  requireParam(Number.isInteger(chunkSize) && chunkSize >= 1, 'synthetic(chunkSize)', 'an integer ≥ 1', chunkSize)

  const rng = new Rng(opts.seed)
  const clock = new BarClock(calendar, tf.ms, opts.start ?? Date.UTC(2024, 0, 2))
  const sp = opts.startPrice ?? 100
  const price = Float64Array.from(names, (_, i) => (typeof sp === 'number' ? sp : (sp[i] ?? 100)))
  const eps = new Float64Array(n)
  const z = new Float64Array(n)
  const prevZ = new Float64Array(n) // last diffusive shock, for the planted autocorrelation
  let regime = 0

  for (let offset = 0; offset < opts.bars; offset += chunkSize) {
    const len = Math.min(chunkSize, opts.bars - offset)
    const openTime = new Float64Array(len)
    const closeTime = new Float64Array(len)
    const series: BarSeries[] = names.map((name) => ({
      instrumentId: name,
      timeframe: tf.text,
      openTime,
      closeTime,
      open: new Float64Array(len),
      high: new Float64Array(len),
      low: new Float64Array(len),
      close: new Float64Array(len),
      volume: new Float64Array(len),
    }))
    const regimeOut = new Uint8Array(len)
    const jumpsOut = new Uint8Array(len * n)
    for (let i = 0; i < len; i++) {
      clock.next()
      openTime[i] = clock.t
      closeTime[i] = clock.t + tf.ms
      // Regime: stay with probability 1 − 1/meanDuration, else move to one of the others uniformly.
      if (rng.uniform() >= stay[regime]!) {
        const k = regimes.length - 1
        const jump = 1 + Math.floor(rng.uniform() * k)
        regime = (regime + jump) % regimes.length
      }
      regimeOut[i] = regime
      const r = regimes[regime]!
      const sigma = r.vol
      const drift = todStrength === 0 ? 0 : todStrength * sigma * Math.sin(2 * Math.PI * clock.fraction)
      const gap = clock.gapMs > 0 && gapVol > 0
      for (let a = 0; a < n; a++) eps[a] = rng.normal()
      for (let a = 0; a < n; a++) {
        let v = 0
        for (let b = 0; b <= a; b++) v += L[a * n + b]! * eps[b]!
        z[a] = v
      }
      const vProfile = volMean * uShape(clock.fraction, volShape) * (r.volumeFactor ?? 1)
      for (let a = 0; a < n; a++) {
        const shock = phi === 0 ? z[a]! : phi * prevZ[a]! + phiScale * z[a]!
        prevZ[a] = shock
        let ret = drift + sigma * shock
        // Poisson(λ) jumps by Knuth's product of uniforms.
        let count = 0
        let p = rng.uniform()
        while (p > expNegLambda) {
          count++
          p *= rng.uniform()
        }
        for (let j = 0; j < count; j++) ret += jumpMean + jumpSd * rng.normal()
        jumpsOut[a * len + i] = count > 255 ? 255 : count
        const s = series[a]!
        const o = gap ? price[a]! * Math.exp(gapVol * sigma * rng.normal()) : price[a]!
        const c = o * Math.exp(ret)
        const wick = 0.5 * sigma
        const hi = Math.max(o, c) * Math.exp(wick * Math.abs(rng.normal()))
        const lo = Math.min(o, c) * Math.exp(-wick * Math.abs(rng.normal()))
        s.open[i] = o
        s.high[i] = hi
        s.low[i] = lo
        s.close[i] = c
        s.volume[i] = Math.round(vProfile * Math.exp(0.5 * rng.normal() - 0.125))
        price[a] = c
      }
    }
    yield { offset, series, regime: regimeOut, jumps: jumpsOut }
  }
}

/** Collects the whole stream into one series per symbol (for small N × bars; stream for big ones). */
export function generateMarketSeries(opts: SyntheticMarketOptions): { series: BarSeries[]; regime: Uint8Array } {
  const n = typeof opts.symbols === 'number' ? opts.symbols : opts.symbols.length
  const out: BarSeries[] = []
  const regime = new Uint8Array(opts.bars)
  for (const chunk of generateMarket({ ...opts, chunkSize: Math.max(1, opts.bars) })) {
    regime.set(chunk.regime, chunk.offset)
    out.push(...chunk.series)
  }
  if (out.length === 0) {
    const names = typeof opts.symbols === 'number' ? Array.from({ length: n }, (_, i) => `SYN${i}`) : opts.symbols
    for (const name of names) out.push(allocBarSeries(name, parseTimeframe(opts.timeframe ?? '1m').text, 0))
  }
  return { series: out, regime }
}
