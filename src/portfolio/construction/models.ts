/**
 * Portfolio construction models: active signals in, targets out (LEAN's PortfolioConstructionModel). Every
 * model here works in weights of equity per instrument, then one conversion turns weights into quantities
 * rounded toward zero to the lot (never more exposure than asked), so sizing overlays and turnover limits
 * apply to every model alike. Signals of several sources on one instrument are netted first
 * ({@link netSignals}).
 */
import {
  KestrelError,
  roundQuantity,
  sampleCovariance,
  signalSign,
  type EpochMs,
  type Instrument,
  type Matrix,
  type Signal,
  type Target,
  type Vector,
} from '../../core/index.ts'
import { blackLitterman } from './black-litterman.ts'
import { hrp } from './hrp.ts'
import { meanVariance, minVariance } from './mean-variance.ts'
import { riskParity } from './risk-parity.ts'
import { rebalanceWithTurnoverLimit } from './rebalance.ts'

/** What a construction model may read of the portfolio and the market at the time it runs. */
export interface ConstructionState {
  readonly time: EpochMs
  /** Equity of the account, in its currency. */
  readonly equity: number
  instrument(instrumentId: string): Instrument
  /** Last price (NaN when none yet). */
  price(instrumentId: string): number
  /** The framework's current position, signed. */
  quantity(instrumentId: string): number
  /** Simple returns of the instrument's last `n` closes (finest timeframe), oldest first; fewer at the start. */
  returns(instrumentId: string, n: number): Float64Array
}

/** Turns the active signals into targets. A user's model implements the same interface. */
export interface PortfolioConstructionModel {
  readonly name: string
  createTargets(signals: readonly Signal[], state: ConstructionState): Target[]
}

/** One instrument's signals netted: the sign of the sum of sign × strength × confidence, and its parts. */
export interface NetSignal {
  readonly instrumentId: string
  readonly sign: -1 | 0 | 1
  /** |Σ sign × strength × confidence| / number of signals, in [0, 1]. */
  readonly conviction: number
  /** Mean expected return of the signals that carry one (signed), or undefined. */
  readonly magnitude: number | undefined
  /** Mean confidence of the signals. */
  readonly confidence: number
  /** The smallest stop distance any of them carries. */
  readonly stopDistance: number | undefined
}

/** Nets the signals per instrument, in order of first appearance. */
export function netSignals(signals: readonly Signal[]): NetSignal[] {
  const acc = new Map<string, { s: number; n: number; m: number; mn: number; c: number; stop: number | undefined }>()
  for (const x of signals) {
    let a = acc.get(x.instrumentId)
    if (!a) acc.set(x.instrumentId, (a = { s: 0, n: 0, m: 0, mn: 0, c: 0, stop: undefined }))
    const conf = x.confidence ?? 1
    a.s += signalSign(x) * (x.strength ?? 1) * conf
    a.n++
    a.c += conf
    if (x.magnitude !== undefined) {
      a.m += signalSign(x) * Math.abs(x.magnitude)
      a.mn++
    }
    if (x.stopDistance !== undefined) a.stop = a.stop === undefined ? x.stopDistance : Math.min(a.stop, x.stopDistance)
  }
  return [...acc].map(([instrumentId, a]) => ({
    instrumentId,
    sign: a.s > 0 ? 1 : a.s < 0 ? -1 : 0,
    conviction: Math.abs(a.s) / a.n,
    magnitude: a.mn > 0 ? a.m / a.mn : undefined,
    confidence: a.c / a.n,
    stopDistance: a.stop,
  }))
}

/** Sizing overlays applied to a model's weights before they become quantities. */
export type SizingRule =
  /** Scales every weight so the portfolio's realised volatility (annualised) equals `target`, capped at `maxLeverage`. */
  | {
      readonly kind: 'vol-target'
      readonly target: number
      readonly lookback: number
      readonly periodsPerYear: number
      readonly maxLeverage?: number
    }
  /** Caps each |weight| at `fraction` × the Kelly weight μ/σ² of its instrument (needs signal magnitudes). */
  | { readonly kind: 'kelly-cap'; readonly fraction: number; readonly lookback: number }
  /** Risks `riskFraction` of equity per position over its signal's stop distance (ATR-style risk sizing). */
  | { readonly kind: 'stop-risk'; readonly riskFraction: number }
  /** Invests `fraction` of equity in each position, whatever the model's weight (its sign kept). */
  | { readonly kind: 'fixed-fraction'; readonly fraction: number }

/** Options every weight-based model shares. */
export interface WeightModelOptions {
  /** Sum of |weights| before sizing (default 1: fully invested, no leverage). */
  readonly gross?: number
  /** Returns used for covariance estimates (default 60). */
  readonly lookback?: number
  /** Allow short targets (default true; false turns SHORT signals into zero targets). */
  readonly allowShort?: boolean
  readonly sizing?: readonly SizingRule[]
  /** One-way turnover limit per rebalance, as a fraction of equity (default: none). */
  readonly maxTurnover?: number
  /**
   * Fraction of equity left out of the sizing (default 0.0025, as LEAN's free portfolio value), so a fully
   * invested target still fits when the next open is a little above the close it was sized at.
   */
  readonly cashBuffer?: number
}

type WeightFn = (net: readonly NetSignal[], state: ConstructionState, opts: WeightModelOptions) => Vector

/** Builds a model from a function of the netted signals to weights; sizing, turnover and lots are shared. */
export function weightModel(name: string, fn: WeightFn, opts: WeightModelOptions = {}): PortfolioConstructionModel {
  const gross = opts.gross ?? 1
  if (!(gross > 0)) throw new KestrelError('PARAM_INVALID', `${name}: gross must be > 0, got ${gross}`)
  const buffer = opts.cashBuffer ?? 0.0025
  if (!(buffer >= 0 && buffer < 1))
    throw new KestrelError('PARAM_INVALID', `${name}: cashBuffer must be in [0, 1), got ${buffer}`)
  return {
    name,
    createTargets(signals, state) {
      const all0 = netSignals(signals)
      const net = all0.filter((x) => x.sign !== 0 && (opts.allowShort !== false || x.sign > 0))
      const flat = all0.filter((x) => !net.includes(x))
      let w = net.length > 0 ? fn(net, state, opts) : []
      w = applySizing(w, net, state, opts)
      const ids = [...net.map((x) => x.instrumentId), ...flat.map((x) => x.instrumentId)]
      let all = [...w, ...flat.map(() => 0)]
      if (opts.maxTurnover !== undefined && state.equity > 0) {
        const cur = ids.map((id) => currentWeight(id, state))
        all = rebalanceWithTurnoverLimit(cur, all, opts.maxTurnover).weights
      }
      return ids.map((id, i) => toTarget(id, all[i]!, state, buffer))
    },
  }
}

function currentWeight(id: string, state: ConstructionState): number {
  const p = state.price(id)
  const q = state.quantity(id)
  return q === 0 || !(p > 0) ? 0 : (q * p * state.instrument(id).multiplier) / state.equity
}

/** Weight of equity (less `cashBuffer` of it) → quantity, rounded toward zero to the instrument's lot. */
export function toTarget(instrumentId: string, weight: number, state: ConstructionState, cashBuffer = 0): Target {
  const inst = state.instrument(instrumentId)
  const p = state.price(instrumentId)
  if (!(p > 0) || !(state.equity > 0) || weight === 0) return Object.freeze({ instrumentId, quantity: 0, weight })
  const raw = (weight * state.equity * (1 - cashBuffer)) / (p * inst.multiplier)
  const q = roundQuantity(inst, raw)
  return Object.freeze({ instrumentId, quantity: q === 0 ? 0 : q, weight })
}

function applySizing(w: Vector, net: readonly NetSignal[], state: ConstructionState, opts: WeightModelOptions): Vector {
  let out = w.slice()
  for (const rule of opts.sizing ?? []) {
    if (rule.kind === 'fixed-fraction') out = out.map((x) => Math.sign(x) * rule.fraction)
    else if (rule.kind === 'stop-risk') {
      out = out.map((x, i) => {
        const n = net[i]!
        if (n.stopDistance === undefined || x === 0) return x
        const p = state.price(n.instrumentId)
        // Quantity q with q × stop = riskFraction × equity, as a weight: q × p / equity.
        return p > 0 ? (Math.sign(x) * rule.riskFraction * p) / n.stopDistance : 0
      })
    } else if (rule.kind === 'kelly-cap') {
      out = out.map((x, i) => {
        const n = net[i]!
        const r = state.returns(n.instrumentId, rule.lookback)
        if (n.magnitude === undefined || r.length < 2) return x
        const v = variance(r)
        if (!(v > 0)) return x
        const cap = Math.abs((rule.fraction * n.magnitude) / v)
        return Math.sign(x) * Math.min(Math.abs(x), cap)
      })
    } else {
      const cov = covariance(
        net.map((x) => x.instrumentId),
        state,
        rule.lookback,
      )
      if (cov) {
        let pv = 0
        for (let i = 0; i < out.length; i++) for (let j = 0; j < out.length; j++) pv += out[i]! * cov[i]![j]! * out[j]!
        const vol = Math.sqrt(pv * rule.periodsPerYear)
        if (vol > 0) {
          const k = Math.min(rule.maxLeverage ?? 1, rule.target / vol)
          out = out.map((x) => x * k)
        }
      }
    }
  }
  return out
}

function variance(r: Float64Array): number {
  let m = 0
  for (const x of r) m += x / r.length
  let v = 0
  for (const x of r) v += (x - m) ** 2
  return v / (r.length - 1)
}

/**
 * Sample covariance of the instruments' last `lookback` returns, aligned on the shortest history; undefined
 * while fewer than 3 returns are known for any of them (models then fall back to equal weights).
 */
export function covariance(ids: readonly string[], state: ConstructionState, lookback: number): Matrix | undefined {
  const rs = ids.map((id) => state.returns(id, lookback))
  const t = Math.min(...rs.map((r) => r.length))
  if (!(t >= 3)) return undefined
  const rows: Matrix = []
  for (let k = 0; k < t; k++) rows.push(rs.map((r) => r[r.length - t + k]!))
  const cov = sampleCovariance(rows)
  // A flat series has zero variance: no risk model can weigh it.
  for (let i = 0; i < cov.length; i++) if (!(cov[i]![i]! > 0)) return undefined
  return cov
}

const signed = (w: Vector, net: readonly NetSignal[], gross: number): Vector => {
  const s = w.reduce((a, x) => a + Math.abs(x), 0)
  return s > 0 ? w.map((x, i) => (net[i]!.sign * gross * Math.abs(x)) / s) : w.map(() => 0)
}

const equal: WeightFn = (net, _s, o) => net.map((x) => (x.sign * (o.gross ?? 1)) / net.length)

/** Covariance-based weights over the signalled instruments, signed by the signals; equal weights until known. */
function riskBased(f: (cov: Matrix, net: readonly NetSignal[]) => Vector): WeightFn {
  return (net, state, o) => {
    const cov = covariance(
      net.map((x) => x.instrumentId),
      state,
      o.lookback ?? 60,
    )
    if (!cov) return equal(net, state, o)
    return signed(f(cov, net), net, o.gross ?? 1)
  }
}

/** Maximum-diversification weights (Choueifaty & Coignard 2008): max wᵀσ / √(wᵀΣw), w ≥ 0, Σw = 1. */
export function maxDiversification(cov: Matrix): Vector {
  // Equivalent: the minimum-variance portfolio y of the correlation matrix, then wᵢ ∝ yᵢ / σᵢ.
  const sd = cov.map((r, i) => Math.sqrt(r[i]!))
  const corr = cov.map((r, i) => r.map((v, j) => v / (sd[i]! * sd[j]!)))
  const y = minVariance(corr)
  const w = y.map((v, i) => v / sd[i]!)
  const s = w.reduce((a, b) => a + b, 0)
  return w.map((v) => v / s)
}

/** The diversification ratio wᵀσ / √(wᵀΣw) of weights `w`. */
export function diversificationRatio(w: Vector, cov: Matrix): number {
  let num = 0
  let pv = 0
  for (let i = 0; i < w.length; i++) {
    num += w[i]! * Math.sqrt(cov[i]![i]!)
    for (let j = 0; j < w.length; j++) pv += w[i]! * cov[i]![j]! * w[j]!
  }
  return num / Math.sqrt(pv)
}

/** Options of the Black-Litterman model: the signals' magnitudes are absolute views on equal-weight equilibrium. */
export interface BlackLittermanModelOptions extends WeightModelOptions {
  readonly riskAversion?: number
  readonly tau?: number
}

/** The built-in construction models by the name config uses. */
export const CONSTRUCTION_MODELS = {
  /** ±gross/N on every instrument with a net signal. */
  'equal-weight': (o: WeightModelOptions = {}) => weightModel('equal-weight', equal, o),
  /** Weight ∝ sign × strength × confidence, scaled down to `gross` when the sum exceeds it (LEAN's confidence weighting). */
  'confidence-weighted': (o: WeightModelOptions = {}) =>
    weightModel(
      'confidence-weighted',
      (net, _s, opts) => {
        const raw = net.map((x) => x.sign * x.conviction)
        const s = raw.reduce((a, x) => a + Math.abs(x), 0)
        const g = opts.gross ?? 1
        return s > g ? raw.map((x) => (x * g) / s) : raw
      },
      o,
    ),
  /** Inverse-variance clusters (López de Prado's HRP), signed by the signals. */
  hrp: (o: WeightModelOptions = {}) => weightModel('hrp', riskBased(hrp), o),
  /** Equal risk contributions, signed by the signals. */
  'risk-parity': (o: WeightModelOptions = {}) =>
    weightModel(
      'risk-parity',
      riskBased((c) => riskParity(c)),
      o,
    ),
  /** Maximum diversification ratio, signed by the signals. */
  'max-diversification': (o: WeightModelOptions = {}) =>
    weightModel('max-diversification', riskBased(maxDiversification), o),
  /** Markowitz on the signals' magnitudes as expected returns (long-only unless shorts are allowed). */
  'mean-variance': (o: WeightModelOptions & { readonly riskAversion?: number } = {}) =>
    weightModel(
      'mean-variance',
      (net, state, opts) => {
        const cov = covariance(
          net.map((x) => x.instrumentId),
          state,
          opts.lookback ?? 60,
        )
        if (!cov || net.some((x) => x.magnitude === undefined)) return equal(net, state, opts)
        const g = opts.gross ?? 1
        const short = opts.allowShort !== false
        return meanVariance(
          net.map((x) => x.magnitude!),
          cov,
          { riskAversion: o.riskAversion ?? 1, minWeight: short ? -g : 0, maxWeight: g, budget: short ? 0 : g },
        )
      },
      o,
    ),
  /** Black-Litterman posterior from equal-weight equilibrium and the signals' magnitudes as views, then Markowitz. */
  'black-litterman': (o: BlackLittermanModelOptions = {}) =>
    weightModel(
      'black-litterman',
      (net, state, opts) => {
        const n = net.length
        const cov = covariance(
          net.map((x) => x.instrumentId),
          state,
          opts.lookback ?? 60,
        )
        const views = net.map((x, i) => [i, x.magnitude] as const).filter((v) => v[1] !== undefined)
        if (!cov || views.length === 0) return equal(net, state, opts)
        const delta = o.riskAversion ?? 2.5
        const mkt = new Array<number>(n).fill(1 / n)
        const pi = cov.map((r) => delta * r.reduce((a, v, j) => a + v * mkt[j]!, 0))
        const p = views.map(([i]) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0)))
        const { mu } = blackLitterman({ cov, pi, p, q: views.map((v) => v[1]!), tau: o.tau ?? 0.05 })
        const g = opts.gross ?? 1
        const w = meanVariance(mu, cov, { riskAversion: delta, minWeight: 0, maxWeight: g, budget: g })
        return w.map((x, i) => (net[i]!.sign < 0 ? 0 : x))
      },
      o,
    ),
} as const

/** A built-in construction model's name. */
export type ConstructionModelName = keyof typeof CONSTRUCTION_MODELS
