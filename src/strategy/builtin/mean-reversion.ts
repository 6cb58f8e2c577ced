/**
 * `mean-reversion`: a signal source that fades stretches away from a rolling mean, on every instrument it is
 * given. At each close of its base timeframe (the finest it subscribes to) it scores the close against
 * Bollinger bands of `period` bars at one deviation: z = (close − middle) / σ.
 *
 * - Entry threshold: `entry` scaled by the volatility regime, (σ_short / σ_long)^`regimeExponent` of the log
 *   returns over `regimeShort` and `regimeLong` bars, kept within [`minEntry`, `maxEntry`]: a stretch has to be
 *   larger when the market is more agitated than usual. `regimeExponent: 0` keeps `entry` fixed.
 * - `trigger: zscore` enters LONG when z ≤ −threshold (SHORT when z ≥ threshold); `trigger: bollinger` waits
 *   for the close to come back inside the band it had left (the previous z beyond the previous threshold, this
 *   one within this threshold but still short of the exit).
 * - Higher-timeframe confirmation: an entry is taken only when the z-score of the last closed bar of
 *   `higherTimeframe` against its own `htfPeriod`-bar bands does not disagree: a LONG needs it above −`htfMaxZ`
 *   (that timeframe is not breaking down), a SHORT below `htfMaxZ`. No entry before it is known. The bars of
 *   that timeframe are the engine's when it feeds them to the strategy (it is among `ctx.timeframes`), else the
 *   strategy aggregates its base bars into them (see `higher-timeframe.ts`); `higherTimeframe: off` trades
 *   without confirmation.
 * - Exits: FLAT at the mean (z back to −`exit` for a LONG, `exit` for a SHORT), at the stop (|z| ≥ `stop`
 *   against the position; then no new entry on that instrument until |z| is back under the threshold), and at the
 *   time stop (`maxHoldBars` base bars after the entry).
 *
 * It never sends an order: the run's `framework:` sizes, checks and executes its signals. SHORT needs `short:
 * true` (and a margin account); otherwise only LONG entries are taken.
 */
import { z } from 'zod'
import { parseTimeframe, type SignalDirection } from '../../core/index.ts'
import { Bbands, RollingVar } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'
import { HigherTimeframe } from './higher-timeframe.ts'

const params = z
  .strictObject({
    period: z.number().int().min(2).default(20).describe('bars of the rolling mean and deviation the z-score uses'),
    trigger: z
      .enum(['zscore', 'bollinger'])
      .default('zscore')
      .describe('zscore: enter at the threshold; bollinger: enter when the close comes back inside the band'),
    entry: z.number().positive().default(2).describe('|z| of an entry in a normal volatility regime'),
    regimeShort: z.number().int().min(2).default(20).describe('bars of the short volatility of the regime ratio'),
    regimeLong: z.number().int().min(3).default(240).describe('bars of the long volatility of the regime ratio'),
    regimeExponent: z
      .number()
      .min(0)
      .default(0.5)
      .describe('threshold = entry × (σ_short/σ_long)^regimeExponent; 0: a fixed threshold'),
    minEntry: z.number().positive().default(1.5).describe('lowest entry threshold the regime may give'),
    maxEntry: z.number().positive().default(3).describe('highest entry threshold the regime may give'),
    exit: z.number().min(0).default(0).describe('exit when z is back to −exit (LONG) or +exit (SHORT); 0: the mean'),
    stop: z.number().positive().default(4).describe('stop when |z| reaches this against the position'),
    maxHoldBars: z.number().int().min(1).default(60).describe('time stop: FLAT this many base bars after the entry'),
    higherTimeframe: z
      .string()
      .default('15m')
      .describe('timeframe that confirms entries (fed by the engine or aggregated from base bars); off: none'),
    htfPeriod: z.number().int().min(2).default(20).describe('bars of the higher-timeframe bands'),
    htfMaxZ: z
      .number()
      .positive()
      .default(2)
      .describe('a LONG needs the higher-timeframe z above −htfMaxZ, a SHORT below +htfMaxZ'),
    short: z.boolean().default(false).describe('take SHORT entries too (needs a margin account)'),
    confidence: z.number().min(0).max(1).default(1).describe('confidence carried by every signal'),
  })
  .refine((p) => p.minEntry <= p.maxEntry, { message: 'minEntry must be <= maxEntry', path: ['minEntry'] })
  .refine((p) => p.stop > p.maxEntry, { message: 'stop must be > maxEntry', path: ['stop'] })
  .refine((p) => p.exit < p.minEntry, { message: 'exit must be < minEntry', path: ['exit'] })
  .refine((p) => p.regimeLong > p.regimeShort, { message: 'regimeLong must be > regimeShort', path: ['regimeLong'] })
  .refine((p) => p.higherTimeframe === 'off' || isTimeframe(p.higherTimeframe), {
    message: 'a timeframe such as 15m or 1h, or off',
    path: ['higherTimeframe'],
  })

function isTimeframe(t: string): boolean {
  try {
    parseTimeframe(t)
    return true
  } catch {
    return false
  }
}

/** z-score of x against [upper, middle, lower] bands drawn at one deviation. */
function zOf(x: number, bands: readonly number[] | undefined): number | undefined {
  if (!bands) return undefined
  const sd = bands[0]! - bands[1]!
  return sd > 0 ? (x - bands[1]!) / sd : undefined
}

/** One instrument's state. */
interface Book {
  readonly bands: Bbands
  readonly volShort: RollingVar
  readonly volLong: RollingVar
  readonly htfBands: Bbands
  htfZ: number | undefined
  prevClose: number | undefined
  prevZ: number | undefined
  prevThreshold: number | undefined
  /** +1 long, −1 short, 0 flat. */
  side: number
  held: number
  /** Set by a stop: no entry until |z| is back under the threshold. */
  blocked: boolean
}

/** The built-in mean-reversion signal source. */
export const meanReversion = defineStrategy({
  name: 'mean-reversion',
  description:
    'emits LONG/SHORT when the z-score passes a volatility-scaled threshold and a higher timeframe agrees, FLAT at the mean, a z stop or a time stop; a signal source (ctx.emit): the framework: section sizes and executes it',
  params,
  create(ctx) {
    const p = ctx.params
    const base = ctx.timeframes[0]!
    const books = new Map<string, Book>(
      ctx.instruments.map((i) => [
        i.id,
        {
          bands: new Bbands(p.period, 1, 1),
          volShort: new RollingVar(p.regimeShort, true),
          volLong: new RollingVar(p.regimeLong, true),
          htfBands: new Bbands(p.htfPeriod, 1, 1),
          htfZ: undefined,
          prevClose: undefined,
          prevZ: undefined,
          prevThreshold: undefined,
          side: 0,
          held: 0,
          blocked: false,
        },
      ]),
    )
    const htf =
      p.higherTimeframe === 'off'
        ? undefined
        : new HigherTimeframe('mean-reversion', p.higherTimeframe, base, ctx.timeframes, (id, close) => {
            const b = books.get(id)
            if (b) b.htfZ = zOf(close, b.htfBands.update(close))
          })

    function emit(instrumentId: string, direction: SignalDirection, zs: number, mid: number, close: number): void {
      ctx.emit({
        instrumentId,
        direction,
        confidence: p.confidence,
        strength: Math.min(1, Math.abs(zs) / p.stop),
        magnitude: direction === 'FLAT' ? 0 : Math.max(-0.99, mid / close - 1),
      })
    }

    return {
      onBar(bar) {
        if (htf ? !htf.onBar(bar) : bar.timeframe !== base) return
        const b = books.get(bar.instrumentId)
        if (!b) return
        const close = bar.close
        const bands = b.bands.update(close)
        if (b.prevClose !== undefined && b.prevClose > 0 && close > 0) {
          const r = Math.log(close / b.prevClose)
          b.volShort.update(r)
          b.volLong.update(r)
        }
        b.prevClose = close
        const zs = zOf(close, bands)
        const ss = b.volShort.value
        const sl = b.volLong.value
        if (zs === undefined || !b.volLong.isStable || ss === undefined || sl === undefined || !(sl > 0)) {
          b.prevZ = undefined
          return
        }
        const mid = bands![1]!
        const threshold = Math.min(p.maxEntry, Math.max(p.minEntry, p.entry * (ss / sl) ** p.regimeExponent))
        const prevZ = b.prevZ
        const prevThreshold = b.prevThreshold
        b.prevZ = zs
        b.prevThreshold = threshold
        if (b.side !== 0) {
          b.held++
          const against = -b.side * zs
          if (against >= p.stop) b.blocked = true
          if (against >= p.stop || b.side * zs >= -p.exit || b.held >= p.maxHoldBars) {
            b.side = 0
            emit(bar.instrumentId, 'FLAT', zs, mid, close)
          }
          return
        }
        if (b.blocked) {
          if (Math.abs(zs) < threshold) b.blocked = false
          return
        }
        const stretched = (s: number) =>
          p.trigger === 'zscore'
            ? s * zs <= -threshold
            : prevZ !== undefined &&
              prevThreshold !== undefined &&
              s * prevZ <= -prevThreshold &&
              s * zs > -threshold &&
              s * zs < -p.exit
        const side = stretched(1) ? 1 : p.short && stretched(-1) ? -1 : 0
        if (side === 0) return
        if (htf) {
          if (b.htfZ === undefined || side * b.htfZ <= -p.htfMaxZ) return
        }
        b.side = side
        b.held = 0
        emit(bar.instrumentId, side > 0 ? 'LONG' : 'SHORT', zs, mid, close)
      },
    }
  },
})
