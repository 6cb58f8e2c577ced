/**
 * `momentum`: a signal source that follows a move once returns over several horizons agree, on every instrument
 * it is given. At each close of its base timeframe (the finest it subscribes to) it measures the return over each
 * of `lookbacks` bars (the library's streaming ROCP). When every one of them is at least `minReturn` in the same
 * direction it emits LONG (or SHORT with `short: true`); it holds while the longest lookback still points that
 * way and emits FLAT when it turns, or reverses when all of them agree the other way. It emits only when its
 * direction changes.
 *
 * It never sends an order: the run's `framework:` sizes, checks and executes its signals.
 */
import { z } from 'zod'
import type { SignalDirection } from '../../core/index.ts'
import { Momentum } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'

const params = z.strictObject({
  lookbacks: z
    .array(z.number().int().min(1))
    .min(1)
    .default([15, 60, 240])
    .describe('bars of each return that must agree in sign; the longest also keeps the position'),
  minReturn: z.number().min(0).default(0).describe('smallest |return| (a fraction) each lookback must show to agree'),
  short: z.boolean().default(false).describe('emit SHORT when all returns are negative (needs a margin account)'),
  confidence: z.number().min(0).max(1).default(1).describe('confidence carried by every signal'),
})

/** The built-in multi-horizon momentum signal source. */
export const momentum = defineStrategy({
  name: 'momentum',
  description:
    'emits LONG (SHORT) when the returns over all lookbacks agree in sign, FLAT when the longest turns; a signal source (ctx.emit): the framework: section sizes and executes it',
  params,
  create(ctx) {
    const p = ctx.params
    const base = ctx.timeframes[0]!
    const lookbacks = [...p.lookbacks].sort((a, b) => a - b)
    const books = new Map(
      ctx.instruments.map((i) => [
        i.id,
        { rocs: lookbacks.map((n) => new Momentum('rocp', n)), side: 0 as -1 | 0 | 1 },
      ]),
    )
    return {
      onBar(bar) {
        if (bar.timeframe !== base) return
        const b = books.get(bar.instrumentId)
        if (!b) return
        const rs = b.rocs.map((r) => r.update(bar.close))
        if (!b.rocs[b.rocs.length - 1]!.isStable) return
        const values = rs as number[]
        const up = values.every((r) => r >= p.minReturn && r > 0)
        const down = values.every((r) => r <= -p.minReturn && r < 0)
        const longest = values[values.length - 1]!
        let side = b.side
        if (up) side = 1
        else if (down) side = p.short ? -1 : 0
        else if (side * longest <= 0) side = 0
        if (side === b.side) return
        b.side = side
        const direction: SignalDirection = side > 0 ? 'LONG' : side < 0 ? 'SHORT' : 'FLAT'
        ctx.emit({
          instrumentId: bar.instrumentId,
          direction,
          confidence: p.confidence,
          magnitude: side === 0 ? 0 : Math.max(-0.99, side * Math.abs(values[0]!)),
        })
      },
    }
  },
})
