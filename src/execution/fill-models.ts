/**
 * Fill models: how far a taker fill lands from the raw matched price. Spread (bars only: quotes carry their
 * own), slippage (fixed, percentage, volatility-scaled) and market impact (square-root, Almgren-Chriss
 * temporary + permanent, Kyle's lambda). All adverse to the taker; maker (resting limit) fills are untouched.
 */
import { KestrelError } from '../core/index.ts'

/** Slippage: `fixed` in price units (or `ticks` of the instrument), `percent` in bps, `volatility` k·σ·price. */
export type SlippageSpec =
  | { readonly type: 'none' }
  | { readonly type: 'fixed'; readonly amount?: number; readonly ticks?: number }
  | { readonly type: 'percent'; readonly bps: number }
  | { readonly type: 'volatility'; readonly k: number }

/**
 * Market impact with participation x = quantity / bar volume and σ the per-bar return volatility (EWMA):
 * - `sqrt`: Δp/p = Y·σ·√x
 * - `almgren-chriss`: temporary Δp/p = η·x on this fill; permanent Δp/p = γ·x moves every later price of
 *   the instrument for the rest of the run
 * - `kyle`: Δp = λ·quantity (price units per unit traded)
 */
export type ImpactSpec =
  | { readonly type: 'none' }
  | { readonly type: 'sqrt'; readonly y: number }
  | { readonly type: 'almgren-chriss'; readonly eta: number; readonly gamma: number }
  | { readonly type: 'kyle'; readonly lambda: number }

/** How a bar is walked: `nearest` (open, nearer extreme, farther, close), fixed orders, or by the bar's colour. */
export type PathModel = 'nearest' | 'OHLC' | 'OLHC' | 'bar-direction'

/** Every setting of the simulated exchange's fills. */
export interface FillSettings {
  readonly path: PathModel
  /** Full spread on bar data, in bps of price (buys pay half above, sells receive half below). */
  readonly spreadBps: number
  readonly slippage: SlippageSpec
  readonly impact: ImpactSpec
  /** Max fraction of a bar's (or tick's) volume one instrument's orders may take; 0 or ≥1 → no cap. */
  readonly participation: number
  /** Latency in ms: order to venue, venue acknowledgement back, fill report back. */
  readonly latency: { readonly submitMs: number; readonly ackMs: number; readonly fillMs: number }
  /** A limit fills when the price touches it (true) or only when it trades through (false). */
  readonly limitFillOnTouch: boolean
  /** Clamp adjusted bar fills to the bar's [low, high] (default true). */
  readonly clampToBar: boolean
  /** EWMA decay for σ (per-bar return volatility) used by volatility slippage and impact. */
  readonly volLambda: number
}

/** Defaults: no costs besides fees, instant, nearest-extreme path, fill on touch. */
export const DEFAULT_FILL_SETTINGS: FillSettings = {
  path: 'nearest',
  spreadBps: 0,
  slippage: { type: 'none' },
  impact: { type: 'none' },
  participation: 0,
  latency: { submitMs: 0, ackMs: 0, fillMs: 0 },
  limitFillOnTouch: true,
  clampToBar: true,
  volLambda: 0.94,
}

/** Merges partial settings over the defaults and checks them. */
export function fillSettings(p: Partial<FillSettings> = {}): FillSettings {
  const s: FillSettings = {
    ...DEFAULT_FILL_SETTINGS,
    ...p,
    latency: { ...DEFAULT_FILL_SETTINGS.latency, ...(p.latency ?? {}) },
  }
  const bad = (what: string) => {
    throw new KestrelError('CONFIG_INVALID', `fill settings: ${what}`)
  }
  if (!(s.spreadBps >= 0)) bad('spreadBps must be >= 0')
  if (!(s.participation >= 0)) bad('participation must be >= 0')
  if (!(s.latency.submitMs >= 0 && s.latency.ackMs >= 0 && s.latency.fillMs >= 0)) bad('latencies must be >= 0')
  if (!(s.volLambda > 0 && s.volLambda < 1)) bad('volLambda must be in (0, 1)')
  return s
}

/** Market state the adjustment needs. */
export interface ImpactContext {
  readonly price: number
  /** +1 buy, -1 sell. */
  readonly sign: 1 | -1
  readonly quantity: number
  /** Volume of the bar or tick the fill is on (Infinity when unknown → no impact). */
  readonly volume: number
  /** Per-bar return volatility (EWMA), 0 before there is any. */
  readonly sigma: number
  readonly tickSize: number
  /** Whether the data is bars (spread applies) or quotes/trades. */
  readonly onBars: boolean
}

/** The taker's adverse price adjustment (signed, in price units) and the permanent shift it leaves behind. */
export function takerAdjustment(s: FillSettings, c: ImpactContext): { delta: number; permanent: number } {
  const p = c.price
  let cost = 0
  if (c.onBars && s.spreadBps > 0) cost += (p * s.spreadBps) / 2 / 1e4
  const sl = s.slippage
  if (sl.type === 'fixed') cost += (sl.amount ?? 0) + (sl.ticks ?? 0) * c.tickSize
  else if (sl.type === 'percent') cost += (p * sl.bps) / 1e4
  else if (sl.type === 'volatility') cost += p * sl.k * c.sigma
  let permanent = 0
  const im = s.impact
  const x = c.volume > 0 && Number.isFinite(c.volume) ? c.quantity / c.volume : 0
  if (im.type === 'sqrt') cost += p * im.y * c.sigma * Math.sqrt(x)
  else if (im.type === 'almgren-chriss') {
    cost += p * im.eta * x
    permanent = c.sign * p * im.gamma * x
  } else if (im.type === 'kyle') cost += im.lambda * c.quantity
  return { delta: c.sign * cost, permanent }
}
