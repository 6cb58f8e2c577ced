/**
 * The child plans of the scheduled execution models: given a parent and where it stands at a time step, the
 * quantity of the child to send now (what is in flight already taken off) and, for an iceberg, its limit price.
 * A child sent at a step fills within the next bar, so a plan sizes it on what should be done by that bar's end.
 *
 * - twap: by step k of N, Q·k/N (in lots, rounded down); the N-th step asks for the rest.
 * - pov: `rate` of the volume of the bar just closed, never more than `cap` of it (`algos/pov.ts`).
 * - vwap: the profile's cumulative share F(t) over the session the parent works in, re-based on the share F₀
 *   already gone at the start: by time t, Q·(F(t) − F₀)/(1 − F₀). A parent decided outside a session works in
 *   the next one; a parent started mid-session finishes by that session's close (the last bar of it asks for
 *   the rest, as {@link VwapScheduler} does).
 * - iceberg: one slice of `display` shown at a time as a limit order at the last price when it is shown (a
 *   passive order: it rests until the market trades through it, and is not re-priced); the next slice is shown
 *   only once the shown one has filled completely (`algos/iceberg.ts`).
 * - adaptive: the TWAP base of what remains, times the multiplier clamp(1 + a·z, lo, hi) of the move in the
 *   parent's favour since arrival z = s·(P₀ − P)/(σ·√t) (`algos/adaptive.ts`); faster when the price has come
 *   the parent's way. Without a σ (a flat history) the multiplier is 1: TWAP of what remains.
 * - almgren-chriss: the closed-form trajectory over N steps of one period each (τ = 1), with σ in price per
 *   √step; λ = 0 gives x_k = Q·(1 − k/N), the twap plan exactly.
 *
 * σ is `sigma` (a return volatility per step, a fraction) × the arrival price, or, without it, the sample
 * standard deviation of the last `volLookback` one-step returns × the arrival price.
 */
import { KestrelError, roundQuantity, type EpochMs, type Instrument } from '../core/index.ts'
import { getCalendar } from '../data/index.ts'
import { AdaptiveScheduler } from './algos/adaptive.ts'
import { almgrenChriss } from './algos/almgren-chriss.ts'
import { Iceberg } from './algos/iceberg.ts'
import { PovScheduler } from './algos/pov.ts'
import { VwapScheduler, type VolumeProfile } from './algos/volume-profile.ts'
import type { ExecutionModelContext, ParentOrder } from './execution-models.ts'

/** Options of the σ estimate of the adaptive and Almgren-Chriss plans. */
export interface SigmaOptions {
  /** Return volatility per time step (a fraction, 0.001 = 10 bps); default: estimated from recent closes. */
  readonly sigma?: number
  /** One-step returns in the estimate (default 60). */
  readonly volLookback?: number
}

/** The scheduler of a parent and its parameters. */
export type PlanOptions =
  | { readonly algo: 'twap'; readonly slices: number }
  | { readonly algo: 'pov'; readonly rate: number; readonly cap?: number }
  | { readonly algo: 'vwap'; readonly profile: VolumeProfile }
  | { readonly algo: 'iceberg'; readonly display: number }
  | ({
      readonly algo: 'adaptive'
      readonly slices: number
      /** a: aggressiveness (default 0.5). */
      readonly aggressiveness?: number
      /** Bounds of the multiplier (default 0.5 and 2). */
      readonly lo?: number
      readonly hi?: number
    } & SigmaOptions)
  | ({
      readonly algo: 'almgren-chriss'
      readonly slices: number
      /** η: temporary impact, price per (share per step). */
      readonly eta: number
      /** γ: permanent impact, price per share (default 0). */
      readonly gamma?: number
      /** λ: risk aversion, per unit of money (>= 0). */
      readonly lambda: number
    } & SigmaOptions)

/** Where a parent stands at a step. */
export interface PlanStep {
  readonly time: EpochMs
  /** Steps worked so far, this one included (1 at the parent's first step). */
  readonly steps: number
  readonly price: number
  readonly volume: number
  readonly barMs: number
  readonly filled: number
  /** Quantity of the parent's open children still to fill. */
  readonly inFlight: number
}

/** A parent's plan: the child to send at a step, and the fills of its children. */
export interface ChildPlan {
  next(s: PlanStep): { readonly quantity: number; readonly limitPrice?: number }
  onFill(quantity: number): void
}

/** σ in price per √step: the configured return volatility or the recent one, × the arrival price. */
function sigmaOf(o: SigmaOptions, p: ParentOrder, ctx: ExecutionModelContext): number {
  if (o.sigma !== undefined) return o.sigma * p.arrivalPrice
  const c = ctx.closes(p.instrumentId, (o.volLookback ?? 60) + 1)
  const n = c.length - 1
  if (n < 2) return 0
  let m = 0
  for (let i = 1; i <= n; i++) m += c[i]! / c[i - 1]! - 1
  m /= n
  let v = 0
  for (let i = 1; i <= n; i++) v += (c[i]! / c[i - 1]! - 1 - m) ** 2
  return Math.sqrt(v / (n - 1)) * p.arrivalPrice
}

/** A cumulative schedule (done by the end of step k) as a plan. */
function cumulative(p: ParentOrder, inst: Instrument, due: (s: PlanStep) => number): ChildPlan {
  return {
    next: (s) => ({ quantity: Math.min(p.quantity, roundQuantity(inst, due(s))) - s.filled - s.inFlight }),
    onFill: () => undefined,
  }
}

/** The plan of parent `p` under `o` (see the file header). */
export function childPlan(o: PlanOptions, p: ParentOrder, inst: Instrument, ctx: ExecutionModelContext): ChildPlan {
  const Q = p.quantity
  switch (o.algo) {
    case 'twap':
      return cumulative(p, inst, (s) => (s.steps >= o.slices ? Q : (Q * s.steps) / o.slices))
    case 'pov': {
      const pov = new PovScheduler({ quantity: Q, rate: o.rate, cap: o.cap, lot: inst.lotSize })
      return {
        next: (s) => ({ quantity: pov.next(s.volume) - s.inFlight }),
        onFill: (q) => pov.onFill(q),
      }
    }
    case 'vwap': {
      const cal = getCalendar(o.profile.calendar)
      const session = cal.sessionAt(p.start) ?? cal.nextSession(p.start)
      if (!session)
        throw new KestrelError('DATA_NOT_FOUND', `vwap execution: no ${cal.id} session at or after ${p.start}`)
      const curve = new VwapScheduler({ quantity: Q, profile: o.profile, session })
      const f0 = curve.targetShare(p.start)
      return cumulative(p, inst, (s) => {
        const end = s.time + s.barMs
        if (end >= session.close || f0 >= 1) return Q
        return (Q * (curve.targetShare(end) - f0)) / (1 - f0)
      })
    }
    case 'iceberg': {
      const ice = new Iceberg({ quantity: Q, display: o.display, lot: inst.lotSize })
      return {
        next: (s) => (s.inFlight > 0 ? { quantity: 0 } : { quantity: ice.shown, limitPrice: s.price }),
        onFill: (q) => void ice.onFill(q),
      }
    }
    case 'adaptive': {
      const sigma = sigmaOf(o, p, ctx)
      const ad = new AdaptiveScheduler({
        side: p.side,
        quantity: Q,
        periods: o.slices,
        arrival: p.arrivalPrice,
        // No σ: multiplier 1 (aggressiveness 0), the TWAP base alone.
        sigma: sigma > 0 ? sigma : 1,
        aggressiveness: sigma > 0 ? (o.aggressiveness ?? 0.5) : 0,
        ...(o.lo !== undefined ? { lo: o.lo } : {}),
        ...(o.hi !== undefined ? { hi: o.hi } : {}),
      })
      return {
        next: (s) => ({ quantity: (s.steps > o.slices ? Q - s.filled : ad.next(s.price)) - s.inFlight }),
        onFill: (q) => ad.onFill(q),
      }
    }
    case 'almgren-chriss': {
      const plan = almgrenChriss({
        quantity: Q,
        periods: o.slices,
        horizon: o.slices,
        sigma: sigmaOf(o, p, ctx),
        eta: o.eta,
        gamma: o.gamma ?? 0,
        epsilon: 0,
        lambda: o.lambda,
      })
      return cumulative(p, inst, (s) => (s.steps >= o.slices ? Q : Q - plan.trajectory[s.steps]!))
    }
  }
}
