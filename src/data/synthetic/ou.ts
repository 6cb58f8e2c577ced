/**
 * One seeded instrument whose log price follows an Ornstein-Uhlenbeck process around a drifting mean:
 *
 *   θ > 0:  μ[t+1] = μ[t] + s[t]·drift,  x[t+1] = x[t] + θ·(μ[t+1] − x[t]) + σ·ε
 *   θ = 0:  x[t+1] = x[t] + s[t]·drift + σ·ε                                        (price = exp(x))
 *
 * With θ > 0 the price reverts to its mean (half-life ln 2 / θ bars); with θ = 0 it is a random walk whose
 * drift per bar is `drift`. The sign s[t] of the drift flips after a geometric number of bars of mean
 * `driftDuration` (a regime-switching trend); without it the drift keeps its sign. Volume is log-normal around
 * its mean. OHLC are valid (open = the previous close, wicks outside both). The same options give the same bars.
 */
import { Rng, allocBarSeries, parseTimeframe, requireParam } from '../../core/index.ts'
import type { BarSeries, EpochMs } from '../../core/index.ts'

/** Options of {@link generateOuSeries}. */
export interface OuSeriesOptions {
  readonly bars: number
  readonly seed: number
  /** Instrument id of the series. Default `OU`. */
  readonly instrumentId?: string
  /** Bar length. Default `1m`. */
  readonly timeframe?: string
  /** Open time of the first bar. Default 2024-01-02T00:00:00Z. */
  readonly start?: EpochMs
  /** Starting price and initial mean. Default 100. */
  readonly startPrice?: number
  /** Mean-reversion speed per bar in [0, 1): 0 is a random walk. Default 0.05. */
  readonly theta?: number
  /** Per-bar volatility of the log price. Default 0.002. */
  readonly sigma?: number
  /** Per-bar drift of the mean (θ > 0) or of the walk (θ = 0), in log units. Default 0. */
  readonly drift?: number
  /** Mean number of bars before the drift changes sign (default: never). */
  readonly driftDuration?: number
  /** Mean volume per bar. Default 1000. */
  readonly volume?: number
}

/** Generates the series described in the module comment. */
export function generateOuSeries(opts: OuSeriesOptions): BarSeries {
  const n = opts.bars
  requireParam(Number.isInteger(n) && n >= 0, 'ou(bars)', 'an integer ≥ 0', n)
  const theta = opts.theta ?? 0.05
  requireParam(theta >= 0 && theta < 1, 'ou(theta)', 'a number in [0, 1)', theta)
  const sigma = opts.sigma ?? 0.002
  requireParam(sigma >= 0 && Number.isFinite(sigma), 'ou(sigma)', 'a finite σ ≥ 0', sigma)
  const drift = opts.drift ?? 0
  requireParam(Number.isFinite(drift), 'ou(drift)', 'a finite number', drift)
  const dur = opts.driftDuration
  requireParam(dur === undefined || dur >= 1, 'ou(driftDuration)', 'a number ≥ 1', dur)
  const p0 = opts.startPrice ?? 100
  requireParam(p0 > 0, 'ou(startPrice)', 'a positive price', p0)
  const volMean = opts.volume ?? 1000
  const tf = parseTimeframe(opts.timeframe ?? '1m')
  const s = allocBarSeries(opts.instrumentId ?? 'OU', tf.text, n)
  const rng = new Rng(opts.seed)
  const t0 = opts.start ?? Date.UTC(2024, 0, 2)
  let x = Math.log(p0)
  let mu = x
  let sign = 1
  for (let i = 0; i < n; i++) {
    if (dur !== undefined && rng.uniform() < 1 / dur) sign = -sign
    mu += sign * drift
    const prev = x
    x = x + (theta > 0 ? theta * (mu - x) : sign * drift) + sigma * rng.normal()
    const o = Math.exp(prev)
    const c = Math.exp(x)
    const wick = 0.5 * sigma
    s.openTime[i] = t0 + i * tf.ms
    s.closeTime[i] = t0 + (i + 1) * tf.ms
    s.open[i] = o
    s.close[i] = c
    s.high[i] = Math.max(o, c) * Math.exp(wick * Math.abs(rng.normal()))
    s.low[i] = Math.min(o, c) * Math.exp(-wick * Math.abs(rng.normal()))
    s.volume[i] = Math.max(1, Math.round(volMean * Math.exp(0.5 * rng.normal() - 0.125)))
  }
  return s
}
