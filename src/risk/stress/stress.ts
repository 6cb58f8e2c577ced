/**
 * Stress tests of the current book: hypothetical shocks (index move, volatility multiple, correlations to one,
 * liquidity dry-up) and replays of historical windows. Each scenario says what the book would lose.
 */
import { KestrelError, normPpf, requireParam, type BarSeries, type Matrix } from '../../core/index.ts'

/** One position as the stress engine sees it. */
export interface StressPosition {
  readonly instrumentId: string
  /** Signed quantity. */
  readonly quantity: number
  readonly price: number
  /** Beta to the index used by index shocks (default 1). */
  readonly beta?: number
  /** Average daily volume in units, for liquidity scenarios. */
  readonly adv?: number
  /** Quoted spread as a fraction of price, for liquidity scenarios (default 0.0005). */
  readonly spread?: number
  /** Daily return volatility, for volatility and correlation scenarios. */
  readonly dailyVol?: number
}

/** A stress scenario: an index move, a volatility multiple, a correlation break, or a liquidity squeeze. */
export type Shock =
  | { readonly kind: 'index'; readonly name?: string; readonly move: number }
  | { readonly kind: 'volatility'; readonly name?: string; readonly multiple: number; readonly confidence?: number }
  | { readonly kind: 'correlation'; readonly name?: string; readonly confidence?: number }
  | {
      readonly kind: 'liquidity'
      readonly name?: string
      /** Spreads widen by this multiple. */
      readonly spreadMultiple: number
      /** ADV falls to this fraction. */
      readonly advFraction: number
      /** Square-root impact coefficient (Almgren et al.; default 1). */
      readonly impactCoefficient?: number
    }

/** What one stress scenario does to a book: its P&L, in currency and as a fraction of gross exposure. */
export interface StressResult {
  readonly scenario: string
  readonly kind: string
  /** Book P&L under the scenario (negative = loss), in currency. */
  readonly pnl: number
  /** P&L as a fraction of gross exposure. */
  readonly pnlPct: number
  readonly detail: Readonly<Record<string, number>>
}

function value(p: StressPosition): number {
  return p.quantity * p.price
}

/** Applies one hypothetical shock to the book. `cov` (daily return covariance) is needed for VaR-based shocks. */
export function applyShock(book: readonly StressPosition[], shock: Shock, cov?: Matrix): StressResult {
  const gross = book.reduce((s, p) => s + Math.abs(value(p)), 0)
  const pct = (x: number) => (gross > 0 ? x / gross : 0)
  switch (shock.kind) {
    case 'index': {
      requireParam(shock.move > -1, 'stress index(move)', 'a fractional move > −1, e.g. −0.2', shock.move)
      const pnl = book.reduce((s, p) => s + value(p) * (p.beta ?? 1) * shock.move, 0)
      return {
        scenario: shock.name ?? `index ${(shock.move * 100).toFixed(1)}%`,
        kind: 'index',
        pnl,
        pnlPct: pct(pnl),
        detail: { move: shock.move },
      }
    }
    case 'volatility': {
      requireParam(shock.multiple > 0, 'stress volatility(multiple)', '> 0', shock.multiple)
      const c = shock.confidence ?? 0.99
      const base = portfolioSigma(book, cov)
      const z = normPpf(c)
      const before = z * base
      const after = z * base * shock.multiple
      return {
        scenario: shock.name ?? `volatility x${shock.multiple}`,
        kind: 'volatility',
        pnl: -after,
        pnlPct: pct(-after),
        detail: { varBefore: before, varAfter: after, confidence: c },
      }
    }
    case 'correlation': {
      const c = shock.confidence ?? 0.99
      const z = normPpf(c)
      const before = z * portfolioSigma(book, cov)
      // All correlations 1: σ_p = |Σ vᵢσᵢ|; the worst sign-aligned case is Σ|vᵢ|σᵢ when longs and shorts stop hedging.
      const sig = volsOf(book, cov)
      const aligned = Math.abs(book.reduce((s, p, i) => s + value(p) * sig[i]!, 0))
      const unhedged = book.reduce((s, p, i) => s + Math.abs(value(p)) * sig[i]!, 0)
      return {
        scenario: shock.name ?? 'correlations → 1',
        kind: 'correlation',
        pnl: -z * unhedged,
        pnlPct: pct(-z * unhedged),
        detail: { varBefore: before, varAllCorrelationsOne: z * aligned, varHedgesFail: z * unhedged },
      }
    }
    case 'liquidity': {
      requireParam(shock.spreadMultiple >= 1, 'stress liquidity(spreadMultiple)', '≥ 1', shock.spreadMultiple)
      requireParam(
        shock.advFraction > 0 && shock.advFraction <= 1,
        'stress liquidity(advFraction)',
        'in (0, 1]',
        shock.advFraction,
      )
      const k = shock.impactCoefficient ?? 1
      let spreadCost = 0
      let impactCost = 0
      for (const p of book) {
        const v = Math.abs(value(p))
        spreadCost += (v * (p.spread ?? 0.0005) * shock.spreadMultiple) / 2
        if (p.adv !== undefined && p.adv > 0 && p.dailyVol !== undefined) {
          // Square-root law: cost ≈ k·σ·√(Q/ADV) per unit of value.
          impactCost += v * k * p.dailyVol * Math.sqrt(Math.abs(p.quantity) / (p.adv * shock.advFraction))
        }
      }
      const pnl = -(spreadCost + impactCost)
      return {
        scenario: shock.name ?? `liquidity: spreads x${shock.spreadMultiple}, ADV x${shock.advFraction}`,
        kind: 'liquidity',
        pnl,
        pnlPct: pct(pnl),
        detail: { spreadCost, impactCost },
      }
    }
  }
}

function volsOf(book: readonly StressPosition[], cov?: Matrix): number[] {
  return book.map((p, i) => {
    const v = cov ? Math.sqrt(cov[i]![i]!) : p.dailyVol
    if (v === undefined || !Number.isFinite(v)) {
      throw new KestrelError(
        'PARAM_INVALID',
        `stress: ${p.instrumentId} has no volatility (give dailyVol or a covariance)`,
      )
    }
    return v
  })
}

function portfolioSigma(book: readonly StressPosition[], cov?: Matrix): number {
  if (!cov) {
    const sig = volsOf(book)
    return Math.sqrt(book.reduce((s, p, i) => s + (value(p) * sig[i]!) ** 2, 0))
  }
  if (cov.length !== book.length)
    throw new KestrelError(
      'PARAM_INVALID',
      `stress: covariance is ${cov.length}×${cov.length} for ${book.length} positions`,
    )
  let s = 0
  for (let i = 0; i < book.length; i++)
    for (let j = 0; j < book.length; j++) s += value(book[i]!) * value(book[j]!) * cov[i]![j]!
  return Math.sqrt(s)
}

/** Result of replaying a historical window on today's book. */
export interface ReplayResult extends StressResult {
  /** Book P&L at each step of the window (aligned to the first series' bars). */
  readonly path: Float64Array
  readonly worst: number
  readonly worstTime: number
}

/**
 * Replays a historical window: each position's value moves with its instrument's close-to-close path over
 * [from, to) (series matched by instrumentId; a position without a series is an error).
 * Bars are aligned by open time; a missing bar carries the last price forward.
 */
export function replayWindow(
  book: readonly StressPosition[],
  series: ReadonlyMap<string, BarSeries>,
  from: number,
  to: number,
  name = 'historical window',
): ReplayResult {
  const idx = book.map((p) => {
    const s = series.get(p.instrumentId)
    if (!s) throw new KestrelError('DATA_NOT_FOUND', `stress replay: no bars for ${p.instrumentId}`)
    return s
  })
  const times = new Set<number>()
  for (const s of idx)
    for (let i = 0; i < s.openTime.length; i++)
      if (s.openTime[i]! >= from && s.openTime[i]! < to) times.add(s.openTime[i]!)
  const grid = Float64Array.from(times).sort()
  if (grid.length < 2)
    throw new KestrelError('DATA_NOT_FOUND', `stress replay ${name}: fewer than 2 bars in the window`)
  const path = new Float64Array(grid.length)
  const cursor = idx.map(() => -1)
  const start = idx.map(() => NaN)
  const last = idx.map(() => NaN)
  let worst = 0
  let worstTime = grid[0]!
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g]!
    let pnl = 0
    for (let k = 0; k < idx.length; k++) {
      const s = idx[k]!
      while (cursor[k]! + 1 < s.openTime.length && s.openTime[cursor[k]! + 1]! <= t) {
        cursor[k]!++
        if (s.openTime[cursor[k]!]! >= from) last[k] = s.close[cursor[k]!]!
      }
      if (Number.isNaN(start[k]!) && !Number.isNaN(last[k]!)) start[k] = last[k]!
      if (!Number.isNaN(start[k]!)) pnl += value(book[k]!) * (last[k]! / start[k]! - 1)
    }
    path[g] = pnl
    if (pnl < worst) [worst, worstTime] = [pnl, t]
  }
  const gross = book.reduce((s, p) => s + Math.abs(value(p)), 0)
  const pnl = path[path.length - 1]!
  return {
    scenario: name,
    kind: 'replay',
    pnl,
    pnlPct: gross ? pnl / gross : 0,
    detail: { worst, worstTime },
    path,
    worst,
    worstTime,
  }
}

/** Renders results as a Markdown table for a report. */
export function stressReportMarkdown(results: readonly StressResult[]): string {
  const rows = results.map(
    (r) => `| ${r.scenario} | ${r.kind} | ${r.pnl.toFixed(2)} | ${(r.pnlPct * 100).toFixed(2)}% |`,
  )
  return ['| scenario | kind | P&L | % of gross |', '|---|---|---:|---:|', ...rows].join('\n') + '\n'
}
