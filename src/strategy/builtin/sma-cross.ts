/**
 * `sma-cross`: long-only moving-average crossover. When the fast SMA closes above the slow one it buys `size`
 * at market; when it closes below, it sells the whole position at market. The decision is taken at a bar's
 * close, so the market order fills at the next bar's open.
 */
import { z } from 'zod'
import { roundQuantity } from '../../core/index.ts'
import { Ema, Sma, type StreamingIndicator } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'
import type { StrategyContext, StrategyHandlers } from '../types.ts'

const crossParams = z
  .strictObject({
    fast: z.number().int().positive().default(10).describe('bars of the fast moving average'),
    slow: z.number().int().positive().default(30).describe('bars of the slow moving average (> fast)'),
    /** Quantity bought on each cross up; when absent, `fraction` of the cash at the last close. */
    size: z.number().positive().optional().describe('quantity bought on each cross up (default: use fraction)'),
    fraction: z
      .number()
      .positive()
      .max(1)
      .default(0.99)
      .describe('part of the cash invested on a cross up when size is absent'),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be < slow', path: ['fast'] })

type CrossParams = z.output<typeof crossParams>

/** Shared logic of the crossover built-ins: `make(period)` builds the moving average. */
export function crossoverHandlers(
  ctx: StrategyContext<CrossParams>,
  make: (period: number) => StreamingIndicator,
): StrategyHandlers {
  const inst = ctx.instruments[0]!
  const fast = ctx.indicator(make(ctx.params.fast), { instrumentId: inst.id })
  const slow = ctx.indicator(make(ctx.params.slow), { instrumentId: inst.id })
  let prevDiff = NaN
  return {
    onBar(bar) {
      if (bar.instrumentId !== inst.id || bar.timeframe !== ctx.timeframes[0] || !slow.isStable) return
      const diff = fast.value! - slow.value!
      const before = prevDiff
      prevDiff = diff
      if (Number.isNaN(before)) return
      if (before <= 0 && diff > 0) {
        if (ctx.position(inst.id).quantity === 0) {
          const qty = ctx.params.size ?? roundQuantity(inst, (ctx.account().cash * ctx.params.fraction) / bar.close)
          if (qty > 0) ctx.submit(ctx.orders.market(inst.id, 'BUY', qty))
        }
      } else if (before >= 0 && diff < 0) {
        const qty = ctx.position(inst.id).quantity
        if (qty > 0) ctx.submit(ctx.orders.market(inst.id, 'SELL', qty))
      }
    },
  }
}

/** The built-in long-only SMA crossover. */
export const smaCross = defineStrategy({
  name: 'sma-cross',
  description:
    'long-only: buy `size` (or `fraction` of cash) when SMA(fast) crosses above SMA(slow) at a close, sell all on the cross down',
  params: crossParams,
  create: (ctx) => crossoverHandlers(ctx, (n) => new Sma(n)),
})

/** The same crossover on EMAs (the benchmark strategy). */
export const emaCross = defineStrategy({
  name: 'ema-cross',
  description:
    'long-only: buy `size` (or `fraction` of cash) when EMA(fast) crosses above EMA(slow) at a close, sell all on the cross down',
  params: crossParams,
  create: (ctx) => crossoverHandlers(ctx, (n) => new Ema(n)),
})
