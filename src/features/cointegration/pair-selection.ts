/**
 * Pair selection over a universe: Engle-Granger on every pair, then a multiple-testing correction.
 *
 * Scanning k series tests k(k−1)/2 pairs, so at 5 % per test a universe of 10 independent random walks
 * "finds" about two cointegrated pairs by chance. The default correction is Bonferroni: it bounds the chance
 * of selecting any false pair (the family-wise error rate) at α under any dependence between the tests, and
 * pair tests are dependent (pairs share legs), which Benjamini-Hochberg's guarantee does not cover in
 * general. Benjamini-Hochberg ('bh', false-discovery rate) is offered for large universes, where Bonferroni's
 * α / m leaves little power and a controlled share of false pairs is acceptable; on a universe with no
 * cointegrated pair the two coincide in expectation (FDR = FWER under the complete null).
 */
import { KestrelError } from '../../core/index.ts'
import { engleGranger, type EngleGrangerOptions } from './engle-granger.ts'

/** How p-values of a family of tests are adjusted. */
export type PValueCorrection = 'bonferroni' | 'bh' | 'none'

/**
 * Adjusted p-values (compare each with α): Bonferroni min(1, m·p); Benjamini-Hochberg's step-up
 * min_{j ≥ i} m·p_(j)/j in the sorted order, mapped back; 'none' the p-values themselves. NaN stays NaN and is
 * not counted in m.
 */
export function adjustPValues(p: readonly number[], method: PValueCorrection): Float64Array {
  const out = Float64Array.from(p)
  const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!))
  const m = idx.length
  if (method === 'none' || m === 0) return out
  if (method === 'bonferroni') {
    for (const i of idx) out[i] = Math.min(1, m * p[i]!)
    return out
  }
  idx.sort((a, b) => p[a]! - p[b]! || a - b)
  let run = 1
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r]!
    run = Math.min(run, (m * p[i]!) / (r + 1))
    out[i] = run
  }
  return out
}

/** A named price series of a universe (aligned with the others: same bars, same length). */
export interface NamedSeries {
  readonly name: string
  readonly values: ArrayLike<number>
}

/** One pair of a scan: y regressed on x. */
export interface PairStats {
  readonly y: string
  readonly x: string
  readonly hedgeRatio: number
  readonly intercept: number
  readonly adfStat: number
  readonly pValue: number
  readonly lags: number
  readonly halfLife: number
}

/** Engle-Granger statistics of a pair as a {@link PairStats} row. */
export function pairStats(y: NamedSeries, x: NamedSeries, opts: EngleGrangerOptions = {}): PairStats {
  const r = engleGranger(y.values, x.values, opts)
  return {
    y: y.name,
    x: x.name,
    hedgeRatio: r.hedgeRatio,
    intercept: r.intercept,
    adfStat: r.statistic,
    pValue: r.pValue,
    lags: r.lags,
    halfLife: r.halfLife,
  }
}

/** Every pair (y = series i, x = series j, i < j) of an aligned universe. */
export function scanPairs(universe: readonly NamedSeries[], opts: EngleGrangerOptions = {}): PairStats[] {
  const out: PairStats[] = []
  for (let i = 0; i < universe.length; i++)
    for (let j = i + 1; j < universe.length; j++) out.push(pairStats(universe[i]!, universe[j]!, opts))
  return out
}

/** Options of {@link selectPairs}. */
export interface SelectPairsOptions extends EngleGrangerOptions {
  /** Level of the family of tests. Default 0.05. */
  readonly alpha?: number
  /** Default 'bonferroni' (see the file comment for why). */
  readonly correction?: PValueCorrection
  /** Keep only pairs whose half-life is at most this many bars (a pair too slow to trade). Default Infinity. */
  readonly maxHalfLife?: number
}

/** A selected pair with its adjusted p-value. */
export interface SelectedPair extends PairStats {
  readonly adjustedP: number
}

/** Result of {@link selectPairs}: every pair tested and those selected, best (smallest adjusted p) first. */
export interface PairSelection {
  readonly tested: readonly PairStats[]
  readonly selected: readonly SelectedPair[]
}

/**
 * Tests every pair of the universe and keeps those cointegrated at level α after the correction (and within
 * `maxHalfLife`). The half-life filter is applied after the correction, so it never loosens it.
 */
export function selectPairs(universe: readonly NamedSeries[], opts: SelectPairsOptions = {}): PairSelection {
  const alpha = opts.alpha ?? 0.05
  if (!(alpha > 0 && alpha < 1))
    throw new KestrelError('PARAM_INVALID', `selectPairs(alpha): expected a number in (0, 1), got ${alpha}`, { alpha })
  const tested = scanPairs(universe, opts)
  const adj = adjustPValues(
    tested.map((r) => r.pValue),
    opts.correction ?? 'bonferroni',
  )
  const maxHl = opts.maxHalfLife ?? Infinity
  const selected = tested
    .map((r, i) => ({ ...r, adjustedP: adj[i]! }))
    .filter((r) => r.adjustedP <= alpha && r.halfLife <= maxHl)
    .sort((a, b) => a.adjustedP - b.adjustedP || a.adfStat - b.adfStat)
  return { tested, selected }
}

/** Options of {@link rollingPairSelection}. */
export interface RollingSelectionOptions extends SelectPairsOptions {
  /** Bars of each formation window. */
  readonly formation: number
  /** Bars between re-selections. Default `formation`. */
  readonly every?: number
}

/** The pairs selected on the formation window that ends (exclusive) at bar `end`. */
export interface SelectionAt {
  readonly end: number
  readonly selected: readonly SelectedPair[]
}

/**
 * Dynamic selection: re-selects the pairs every `every` bars on the last `formation` bars, so that pairs
 * chosen at `end` use bars before `end` only and can be traded from `end` on.
 */
export function rollingPairSelection(universe: readonly NamedSeries[], opts: RollingSelectionOptions): SelectionAt[] {
  const n = universe[0]?.values.length ?? 0
  for (const s of universe)
    if (s.values.length !== n)
      throw new KestrelError('PARAM_INVALID', `rollingPairSelection: ${s.name} has ${s.values.length} bars, not ${n}`, {
        name: s.name,
      })
  const { formation } = opts
  const every = opts.every ?? formation
  if (!Number.isInteger(formation) || formation < 20 || !Number.isInteger(every) || every < 1)
    throw new KestrelError(
      'PARAM_INVALID',
      `rollingPairSelection: formation (>= 20) and every (>= 1) must be integers`,
      {
        formation,
        every,
      },
    )
  const out: SelectionAt[] = []
  for (let end = formation; end <= n; end += every) {
    const window = universe.map((s) => ({
      name: s.name,
      values: Array.prototype.slice.call(s.values, end - formation, end) as number[],
    }))
    out.push({ end, selected: selectPairs(window, opts).selected })
  }
  return out
}
