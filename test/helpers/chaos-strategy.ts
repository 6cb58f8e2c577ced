/**
 * The strategy the chaos test trades: on every bar it cancels what rests and sends new work, so a kill at any
 * moment finds orders in flight, resting, partly filled and being canceled. Deterministic (ctx.rng), so a
 * replay of its journal rebuilds it.
 */
import { defineStrategy, z } from '../../src/index.ts'

export default defineStrategy({
  name: 'chaos',
  params: z.object({ size: z.number().positive().default(8), cap: z.number().positive().default(40) }),
  create(ctx) {
    const { size, cap } = ctx.params
    return {
      onBar(bar) {
        const id = bar.instrumentId
        for (const o of ctx.openOrders(id)) ctx.cancel(o.clientOrderId)
        const pos = ctx.position(id).quantity
        const side = pos >= cap ? 'SELL' : pos <= -cap ? 'BUY' : ctx.rng.uniform() < 0.5 ? 'BUY' : 'SELL'
        const r = ctx.rng.uniform()
        if (r < 0.45) ctx.submit(ctx.orders.market(id, side, size))
        else if (r < 0.9) {
          const away = side === 'BUY' ? 1 - 0.0003 : 1 + 0.0003
          ctx.submit(ctx.orders.limit(id, side, size, Math.round(bar.close * away * 100) / 100))
        }
      },
    }
  },
})
