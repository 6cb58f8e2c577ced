/**
 * A complete user strategy: RSI mean reversion with a bracket exit. Buys when RSI(14) of the close falls
 * below `oversold`, with a stop-loss and a take-profit `risk` and `reward` × the recent range away; never
 * holds more than one position. Run it:
 *
 *   kestrel backtest --data data/bundled/SPY_1d.csv --strategy ./examples/my-strategy.ts \
 *     --param oversold=30 --fee-rate 0.0005 --cash 100000 --report out/my-strategy.html
 */
import { defineStrategy, roundPrice, roundQuantity, z } from 'kestrel'

/** Wilder's RSI, streaming (a user may bring any object with `update`, `value` and `isStable`). */
class Rsi {
  value: number | undefined = undefined
  private prev = NaN
  private gain = 0
  private loss = 0
  private n = 0
  constructor(readonly period: number) {}
  update(close: number): number | undefined {
    if (!Number.isNaN(this.prev)) {
      const d = close - this.prev
      const p = this.period
      this.n++
      if (this.n <= p) {
        this.gain += Math.max(d, 0) / p
        this.loss += Math.max(-d, 0) / p
      } else {
        this.gain = (this.gain * (p - 1) + Math.max(d, 0)) / p
        this.loss = (this.loss * (p - 1) + Math.max(-d, 0)) / p
      }
      if (this.n >= p) this.value = this.loss === 0 ? 100 : 100 - 100 / (1 + this.gain / this.loss)
    }
    this.prev = close
    return this.value
  }
  get isStable(): boolean {
    return this.n >= this.period
  }
  reset(): void {
    this.value = undefined
    this.prev = NaN
    this.gain = this.loss = this.n = 0
  }
}

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
    const tf = ctx.timeframes[0]!
    const rsi = ctx.indicator(new Rsi(ctx.params.period)) // updated before onBar sees each bar
    return {
      onBar(bar) {
        if (!rsi.isStable || rsi.value! >= ctx.params.oversold) return
        if (ctx.position(inst.id).quantity !== 0 || ctx.openOrders(inst.id).length > 0) return
        const h = ctx.history(inst.id, tf, ctx.params.lookback)
        const range = Math.max(...h.high) - Math.min(...h.low)
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
