/**
 * Bootstrap confidence interval of the annualised Sharpe ratio: resample returns (i.i.d. or in circular blocks
 * to keep autocorrelation), recompute the Sharpe, and take percentiles. Seeded, so the interval is reproducible.
 */
import { Rng, requireParam } from '../../core/index.ts'
import { sharpeRatio } from '../metrics/empyrical.ts'
import { checkPeriodsPerYear, checkReturns } from '../metrics/returns.ts'
import { percentileSorted } from '../../core/index.ts'

/** Options of {@link bootstrapSharpe}. */
export interface BootstrapOptions {
  readonly periodsPerYear: number
  /** Resamples, default 2000. */
  readonly samples?: number
  /** Two-sided confidence level, default 0.95. */
  readonly confidence?: number
  /** Block length for the circular block bootstrap, default 1 (i.i.d.). */
  readonly blockSize?: number
  readonly seed?: number
}

/** A bootstrap interval. */
export interface BootstrapInterval {
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  /** Standard deviation of the bootstrap Sharpe ratios. */
  readonly standardError: number
  /** Resamples with a defined Sharpe (a constant resample has none). */
  readonly samples: number
}

/** Percentile bootstrap interval of the annualised Sharpe ratio (rf = 0). */
export function bootstrapSharpe(returns: ArrayLike<number>, o: BootstrapOptions): BootstrapInterval {
  checkReturns(returns)
  checkPeriodsPerYear(o.periodsPerYear)
  const B = o.samples ?? 2000
  const conf = o.confidence ?? 0.95
  const block = o.blockSize ?? 1
  const n = returns.length
  requireParam(n >= 2, 'returns.length', 'at least 2 returns', n)
  requireParam(Number.isInteger(B) && B >= 10, 'samples', 'an integer >= 10', B)
  requireParam(conf > 0 && conf < 1, 'confidence', 'a probability in (0, 1)', conf)
  requireParam(Number.isInteger(block) && block >= 1 && block <= n, 'blockSize', `an integer in [1, ${n}]`, block)
  const rng = new Rng(o.seed ?? 1)
  const buf = new Float64Array(n)
  const stats: number[] = []
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n;) {
      const s = rng.int(0, n)
      for (let j = 0; j < block && i < n; j++, i++) buf[i] = returns[(s + j) % n]!
    }
    const sr = sharpeRatio(buf, o.periodsPerYear)
    if (Number.isFinite(sr)) stats.push(sr)
  }
  const sorted = Float64Array.from(stats).sort()
  const alpha = (1 - conf) / 2
  let m = 0
  for (const x of sorted) m += x / sorted.length
  let v = 0
  for (const x of sorted) v += (x - m) ** 2
  return {
    estimate: sharpeRatio(returns, o.periodsPerYear),
    lower: percentileSorted(sorted, 100 * alpha),
    upper: percentileSorted(sorted, 100 * (1 - alpha)),
    standardError: Math.sqrt(v / Math.max(1, sorted.length - 1)),
    samples: sorted.length,
  }
}
