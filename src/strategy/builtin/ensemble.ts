/**
 * `ensemble`: a meta-strategy that combines member signal sources with weights learned online from their
 * out-of-sample performance (Hedge with a floor, see `hedge.ts`).
 *
 * At each close of its first timeframe, on each instrument, every member is scored by the return its signal
 * would have earned over the bar that just closed: the member's exposure (sign × strength) held since the
 * previous close times the bar's return, divided by an EWMA of the instrument's past return volatility (so
 * `eta` does not depend on the price scale) and clipped to ±`clip`. The weights then take one Hedge step. Only
 * after that do the members see the bar; the combined signal is Σ wᵢ·signᵢ·strengthᵢ: its sign is the
 * direction, its size the strength, and the agreement |Σ wᵢ·sᵢ| / Σ wᵢ·|sᵢ| the confidence. So the weights at
 * a close use returns up to that close only, and a member is never scored on a bar its signal already saw.
 *
 * The weights after each update are published on `signal.<id>.weights` as `{ time, weights: { member: w } }`
 * (the backtest report collects them). Members are signal sources only (see `members.ts`).
 */
import { z } from 'zod'
import { KestrelError, type SignalDirection } from '../../core/index.ts'
import { defineStrategy } from '../define.ts'
import { hedgeUpdate } from './hedge.ts'
import { MemberSet, memberSchema, type StrategyLookup } from './members.ts'

/** What the ensemble publishes on `signal.<id>.weights` after each weight update. */
export interface EnsembleWeights {
  readonly time: number
  /** Each member's weight by name; they sum to 1. */
  readonly weights: Readonly<Record<string, number>>
}

/** The topic an ensemble with id `id` publishes its weights on. */
export function ensembleWeightsTopic(id: string): string {
  return `signal.${id}.weights`
}

const params = z.strictObject({
  members: z.array(memberSchema).min(2).describe('the member strategies: [{ strategy, params?, name? }, …]'),
  eta: z.number().positive().max(100).default(0.1).describe('Hedge learning rate per scored bar'),
  floor: z
    .number()
    .min(0)
    .max(1)
    .default(0.001)
    .describe('share of weight mixed back uniformly after each step: every member keeps ≥ floor/N'),
  volHalfLife: z
    .number()
    .positive()
    .default(20)
    .describe('half-life in bars of the return volatility that scales rewards'),
  warmup: z.number().int().min(1).default(10).describe('returns seen before members are scored'),
  clip: z.number().positive().default(4).describe('largest reward per bar, in volatilities'),
  minChange: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('re-emit when strength or confidence moves by at least this (direction changes always)'),
})

/** Per-instrument state of the scorer. */
interface Track {
  prevClose: number
  variance: number
  returns: number
  /** Each member's exposure since the previous close. */
  readonly held: Float64Array
  last?: { direction: SignalDirection; strength: number; confidence: number }
}

/**
 * The ensemble strategy; `lookup` resolves member strategies given by name (the built-in index passes its
 * registry). Prefer the registered `ensemble` built-in; this factory is for a registry of one's own.
 */
export function makeEnsemble(lookup: StrategyLookup) {
  return defineStrategy({
    name: 'ensemble',
    description: 'combines member signal sources; Hedge weights from their out-of-sample returns; needs framework:',
    params,
    create(ctx) {
      const p = ctx.params
      const tf = ctx.timeframes[0]
      const members = new MemberSet(ctx, p.members, lookup, 'ensemble')
      const n = members.size
      const w = new Float64Array(n).fill(1 / n)
      const rewards = new Float64Array(n)
      const lambda = Math.pow(0.5, 1 / p.volHalfLife)
      const tracks = new Map<string, Track>()
      const topic = ensembleWeightsTopic(ctx.id)
      if (ctx.instruments.length === 0)
        throw new KestrelError('STRATEGY_INVALID', `ensemble ${ctx.id}: needs at least one instrument`)
      const publish = () => {
        const weights: Record<string, number> = {}
        members.names.forEach((name, k) => (weights[name] = w[k]!))
        ctx.bus.publish<EnsembleWeights>(topic, Object.freeze({ time: ctx.now(), weights: Object.freeze(weights) }))
      }

      /** Scores the members on the bar that just closed and takes one Hedge step. */
      const score = (t: Track, close: number) => {
        if (!(t.prevClose > 0)) return
        const r = close / t.prevClose - 1
        if (t.returns >= p.warmup && t.variance > 0) {
          const vol = Math.sqrt(t.variance)
          for (let k = 0; k < n; k++) rewards[k] = Math.max(-p.clip, Math.min(p.clip, (t.held[k]! * r) / vol))
          hedgeUpdate(w, rewards, p.eta, p.floor)
          publish()
        }
        t.variance = t.returns === 0 ? r * r : lambda * t.variance + (1 - lambda) * r * r
        t.returns++
      }

      /** Emits the weighted vote of the members on one instrument when it changed enough. */
      const combine = (instrumentId: string, t: Track) => {
        let net = 0
        let gross = 0
        for (let k = 0; k < n; k++) {
          const e = members.exposure(k, instrumentId)
          t.held[k] = e
          net += w[k]! * e
          gross += w[k]! * Math.abs(e)
        }
        const strength = Math.min(1, Math.abs(net))
        const direction: SignalDirection = strength < 1e-12 ? 'FLAT' : net > 0 ? 'LONG' : 'SHORT'
        const confidence = gross > 0 ? Math.min(1, Math.abs(net) / gross) : 0
        const last = t.last
        if (last) {
          const same =
            last.direction === direction &&
            (direction === 'FLAT' ||
              (Math.abs(last.strength - strength) < p.minChange &&
                Math.abs(last.confidence - confidence) < p.minChange))
          if (same) return
        } else if (direction === 'FLAT') return
        t.last = { direction, strength, confidence }
        ctx.emit(direction === 'FLAT' ? { instrumentId, direction } : { instrumentId, direction, strength, confidence })
      }

      const fw = members.forwarders()
      return {
        ...fw,
        onBar(bar) {
          const scored = bar.timeframe === tf
          let t: Track | undefined
          if (scored) {
            t = tracks.get(bar.instrumentId)
            if (!t)
              tracks.set(bar.instrumentId, (t = { prevClose: NaN, variance: 0, returns: 0, held: new Float64Array(n) }))
            score(t, bar.close)
            t.prevClose = bar.close
          }
          members.onBar(bar)
          if (t) combine(bar.instrumentId, t)
        },
      }
    },
  })
}
