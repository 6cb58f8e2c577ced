/**
 * A complete user strategy: RSI mean reversion with a bracket exit. Buys when RSI(14) of the close falls
 * below `oversold`, with a stop-loss and a take-profit `risk` and `reward` × the recent range away; never
 * holds more than one position. Run it:
 *
 *   kestrel backtest --data data/bundled/SPY_1d.csv --strategy ./examples/my-strategy.ts \
 *     --param oversold=30 --fee-rate 0.0005 --cash 100000 --report out/my-strategy.html
 */
import { defineStrategy, Donchian, roundPrice, roundQuantity, Rsi, z } from 'kestrel'

export default defineStrategy({
  name: 'rsi-reversion',
  description: 'buy oversold RSI with a bracket (stop-loss and take-profit sized by the recent range)',
  params: z.object({
    period: z.number().int().min(2).default(14),
    oversold: z.number().min(1).max(50).default(30),
    lookback: z.number().int().min(2).default(20),
    risk: z.number().positive().default(1),
    reward: z.number().positive().default(2),
    fraction: z.number().positive().max(1).default(0.5),
  }),
  create(ctx) {
    const inst = ctx.instruments[0]!
    // The library's streaming indicators, updated before onBar sees each bar: RSI of the close, and the
    // Donchian channel (highest high, lowest low of the last `lookback` bars) of the whole bar.
    const rsi = ctx.indicator(new Rsi(ctx.params.period))
    const channel = ctx.indicator(new Donchian(ctx.params.lookback), { input: 'bar' })
    return {
      onBar(bar) {
        if (!rsi.isStable || !channel.isStable || rsi.value! >= ctx.params.oversold) return
        if (ctx.position(inst.id).quantity !== 0 || ctx.openOrders(inst.id).length > 0) return
        const [upper, , lower] = channel.value!
        const range = upper - lower
        const qty = roundQuantity(inst, (ctx.account().cash * ctx.params.fraction) / bar.close)
        if (qty <= 0 || range <= 0) return
        ctx.submit(
          ctx.orders.bracket({
            instrument: inst,
            side: 'BUY',
            quantity: qty,
            stopLoss: roundPrice(inst, bar.close - ctx.params.risk * range, 'down'),
            takeProfit: roundPrice(inst, bar.close + ctx.params.reward * range, 'up'),
          }),
        )
        ctx.log('entry', { rsi: rsi.value, qty })
      },
      onOrderEvent(e) {
        if (e.kind === 'REJECTED') ctx.log('order rejected', { id: e.order.clientOrderId, reason: e.reason })
      },
    }
  },
})
