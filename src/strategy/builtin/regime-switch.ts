/**
 * `regime-switch`: a meta-strategy that reads the market's regime on each instrument and passes on the signal
 * of the member configured for that regime, its strength scaled by the regime's risk multiplier.
 *
 * The regime comes from `src/features`, from the past only:
 * - `hmm`: a Gaussian HMM ({@link fitHmm}) fitted on the first `fitBars` log returns of the instrument, then
 *   the online forward filter ({@link HmmFilter}, P(state | returns so far)); states are ordered by ascending
 *   variance, so regime 0 is the calmest. `regimes` has one entry per state. `refitBars` refits on the last
 *   `fitBars` returns that often (0: never).
 * - `volatility`: {@link VolatilityRegime} on an EWMA volatility of the returns: the rank of today's volatility
 *   among its last `rankWindow` values gives 0 (low), 1 (normal) or 2 (high). A label past the last entry of
 *   `regimes` uses the last entry (two entries: low, and normal-or-high).
 * A new regime is taken once it has been the detector's answer for `confirmBars` closes in a row. Before the
 * first regime is known the strategy stays flat. Every member runs all the time (its indicators stay warm); only
 * the active member's signal goes out. Each change of regime is published on `signal.<id>.regime` as
 * `{ time, instrumentId, regime, member }`.
 */
import { z } from 'zod'
import { KestrelError, type Signal, type SignalInput } from '../../core/index.ts'
import { EwmaVol, HmmFilter, VolatilityRegime, fitHmm, type GaussianHmm } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'
import { MemberSet, memberSchema, type StrategyLookup } from './members.ts'

/** What `regime-switch` publishes on `signal.<id>.regime` when an instrument's regime changes. */
export interface RegimeChange {
  readonly time: number
  readonly instrumentId: string
  readonly regime: number
  /** The name of the member now active. */
  readonly member: string
}

/** The topic a `regime-switch` with id `id` publishes its regime changes on. */
export function regimeTopic(id: string): string {
  return `signal.${id}.regime`
}

const regimeEntry = z.strictObject({
  member: memberSchema.describe('the member strategy whose signals are used in this regime'),
  risk: z.number().min(0).max(1).default(1).describe("multiplier of the member's signal strength in this regime"),
})

const params = z.strictObject({
  detector: z.enum(['hmm', 'volatility']).default('hmm').describe('the regime detector'),
  regimes: z
    .array(regimeEntry)
    .min(2)
    .max(6)
    .describe('one { member, risk } per regime, calmest first (hmm: one per state)'),
  fitBars: z.number().int().min(20).default(250).describe('hmm: returns it is fitted on before the first regime'),
  refitBars: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('hmm: refit on the last fitBars returns this often (0: never)'),
  volHalfLife: z.number().positive().default(10).describe('volatility: half-life in bars of the EWMA volatility'),
  rankWindow: z.number().int().min(10).default(250).describe('volatility: closes over which the volatility is ranked'),
  confirmBars: z.number().int().min(1).default(3).describe('closes in a row a new regime must hold before it is taken'),
})

/** Per-instrument state. */
interface Track {
  prevClose: number
  readonly returns: number[]
  model?: GaussianHmm
  filter?: HmmFilter
  sinceFit: number
  readonly vol: EwmaVol
  readonly rank: VolatilityRegime
  regime: number
  candidate: number
  streak: number
  /** What went out last: the member signal it came from and the regime it was scaled for. */
  sent?: { signal: Signal | undefined; regime: number }
}

/** The regime-switch strategy; `lookup` resolves member strategies given by name. */
export function makeRegimeSwitch(lookup: StrategyLookup) {
  return defineStrategy({
    name: 'regime-switch',
    description: 'passes on the signal of the member for the current HMM or volatility regime, scaled by its risk',
    params,
    create(ctx) {
      const p = ctx.params
      const tf = ctx.timeframes[0]
      const members = new MemberSet(
        ctx,
        p.regimes.map((r) => r.member),
        lookup,
        'regime-switch',
      )
      const K = p.regimes.length
      if (p.detector === 'volatility' && K > 3)
        throw new KestrelError(
          'PARAM_INVALID',
          `regime-switch ${ctx.id}: the volatility detector has 3 regimes, got ${K}`,
        )
      const topic = regimeTopic(ctx.id)
      const tracks = new Map<string, Track>()

      /** The detector's raw label after a new log return, or -1 while it is still warming up. */
      const detect = (t: Track, x: number): number => {
        if (p.detector === 'volatility') {
          const label = t.rank.update(t.vol.update(x))
          return Number.isNaN(label) ? -1 : Math.min(label, K - 1)
        }
        t.returns.push(x)
        if (t.returns.length > p.fitBars) t.returns.shift()
        const refit = !t.model || (p.refitBars > 0 && ++t.sinceFit >= p.refitBars)
        if (refit && t.returns.length >= p.fitBars) {
          t.model = fitHmm(Float64Array.from(t.returns), { states: K, maxIter: 100 }).model
          t.filter = new HmmFilter(t.model)
          for (const v of t.returns) t.filter.update(v)
          t.sinceFit = 0
          return t.filter.state
        }
        if (!t.filter) return -1
        t.filter.update(x)
        return t.filter.state
      }

      const send = (instrumentId: string, t: Track) => {
        if (t.regime < 0) return
        const k = t.regime
        const s = members.signal(k, instrumentId)
        if (t.sent && t.sent.signal === s && t.sent.regime === k) return
        const was = t.sent
        t.sent = { signal: s, regime: k }
        if (!s || s.direction === 'FLAT') {
          if (was) ctx.emit({ instrumentId, direction: 'FLAT' })
          return
        }
        const out: Record<string, unknown> = { ...s, strength: (s.strength ?? 1) * p.regimes[k]!.risk }
        delete out.source
        delete out.time
        if (s.horizonMs !== undefined) out.horizonMs = Math.max(1, s.time + s.horizonMs - ctx.now())
        ctx.emit(out as unknown as SignalInput)
      }

      const fw = members.forwarders()
      return {
        ...fw,
        onBar(bar) {
          members.onBar(bar)
          if (bar.timeframe !== tf) return
          let t = tracks.get(bar.instrumentId)
          if (!t)
            tracks.set(
              bar.instrumentId,
              (t = {
                prevClose: NaN,
                returns: [],
                sinceFit: 0,
                vol: new EwmaVol({ lambda: Math.pow(0.5, 1 / p.volHalfLife) }),
                rank: new VolatilityRegime({ window: p.rankWindow }),
                regime: -1,
                candidate: -1,
                streak: 0,
              }),
            )
          if (t.prevClose > 0 && bar.close > 0) {
            const label = detect(t, Math.log(bar.close / t.prevClose))
            if (label >= 0) {
              t.streak = label === t.candidate ? t.streak + 1 : 1
              t.candidate = label
              const first = t.regime < 0
              if (label !== t.regime && (first || t.streak >= p.confirmBars)) {
                t.regime = label
                ctx.bus.publish<RegimeChange>(
                  topic,
                  Object.freeze({
                    time: ctx.now(),
                    instrumentId: bar.instrumentId,
                    regime: label,
                    member: members.names[label]!,
                  }),
                )
              }
            }
          }
          t.prevClose = bar.close
          send(bar.instrumentId, t)
        },
      }
    },
  })
}
