/**
 * `trend-signal`: a signal source for the framework, on every instrument it is given. At each close it
 * compares the close with its SMA(period): above → LONG, below → SHORT when `short` is on and FLAT otherwise,
 * and emits only when that changes. The signal's magnitude is the close's distance from the average
 * (close / SMA − 1), its confidence `confidence`. It never sends an order: the run's `framework:` sizes,
 * checks and executes.
 */
import { z } from 'zod'
import { Sma } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'
import type { SignalDirection } from '../../core/index.ts'

const params = z.strictObject({
  period: z.number().int().min(2).default(50).describe('bars of the moving average'),
  short: z.boolean().default(false).describe('emit SHORT below the average (default: FLAT)'),
  confidence: z.number().min(0).max(1).default(1).describe('confidence carried by every signal'),
})

/** The built-in trend signal source. */
export const trendSignal = defineStrategy({
  name: 'trend-signal',
  description: 'emits LONG above SMA(period), FLAT (or SHORT) below it, on each of its instruments; needs framework:',
  params,
  create(ctx) {
    const tf = ctx.timeframes[0]
    const smas = new Map(
      ctx.instruments.map((i) => [i.id, ctx.indicator(new Sma(ctx.params.period), { instrumentId: i.id })]),
    )
    const last = new Map<string, SignalDirection>()
    return {
      onBar(bar) {
        if (bar.timeframe !== tf) return
        const sma = smas.get(bar.instrumentId)
        if (!sma?.isStable) return
        const avg = sma.value!
        const direction: SignalDirection =
          bar.close > avg ? 'LONG' : bar.close < avg && ctx.params.short ? 'SHORT' : 'FLAT'
        if (last.get(bar.instrumentId) === direction) return
        last.set(bar.instrumentId, direction)
        ctx.emit({
          instrumentId: bar.instrumentId,
          direction,
          confidence: ctx.params.confidence,
          magnitude: Math.max(-0.99, bar.close / avg - 1),
        })
      },
    }
  },
})
