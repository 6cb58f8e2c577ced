/**
 * `buy-and-hold`: buys once at the first bar's close (filled at the next open) and holds to the end. Without
 * `size` it invests `fraction` of the cash at the last close, leaving the rest for fees.
 */
import { z } from 'zod'
import { roundQuantity } from '../../core/index.ts'
import { defineStrategy } from '../define.ts'

/** The built-in buy-and-hold benchmark. */
export const buyAndHold = defineStrategy({
  name: 'buy-and-hold',
  description: 'buy once at the start and hold; `size` shares, or `fraction` of the cash when size is absent',
  params: z.strictObject({
    size: z.number().positive().optional().describe('quantity bought at the start (default: use fraction)'),
    fraction: z.number().positive().max(1).default(0.99).describe('part of the cash invested when size is absent'),
  }),
  create(ctx) {
    const inst = ctx.instruments[0]!
    let done = false
    return {
      onBar(bar) {
        if (done || bar.instrumentId !== inst.id) return
        done = true
        const qty = ctx.params.size ?? roundQuantity(inst, (ctx.account().cash * ctx.params.fraction) / bar.close)
        if (qty > 0) ctx.submit(ctx.orders.market(inst.id, 'BUY', qty))
      },
    }
  },
})
