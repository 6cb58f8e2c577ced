/**
 * The files `kestrel strategy new <name>` writes: a strategy (RSI mean reversion on the library's streaming
 * RSI) and its test (a known market of falling then rising closes, on which it must buy the fall and sell the
 * rise, with no rejected order). Both import only `kestrel`.
 */

/** The strategy file for `name` (already checked: letters, digits, `-` and `_`). */
export function strategyFileText(name: string, backtestCommand: string, testCommand: string): string {
  return `/**
 * ${name}: RSI mean reversion. Buys \`fraction\` of the cash when RSI(\`period\`) of the close falls below
 * \`oversold\`, and sells the whole position when it rises above \`overbought\`. Edit it, then run it:
 *
 *   ${backtestCommand}
 *
 * and its test:
 *
 *   ${testCommand}
 */
import { defineStrategy, roundQuantity, Rsi, z } from 'kestrel'

export default defineStrategy({
  name: '${name}',
  description: 'RSI mean reversion: buy below oversold, sell above overbought',
  params: z.object({
    period: z.number().int().min(2).default(14).describe('bars of the RSI'),
    oversold: z.number().min(0).max(100).default(30).describe('buy when the RSI closes below this'),
    overbought: z.number().min(0).max(100).default(70).describe('sell when the RSI closes above this'),
    fraction: z.number().positive().max(1).default(0.5).describe('part of the cash each entry invests'),
  }),
  create(ctx) {
    const inst = ctx.instruments[0]!
    // The library's streaming RSI, updated with each bar before onBar sees it.
    const rsi = ctx.indicator(new Rsi(ctx.params.period))
    return {
      onBar(bar) {
        if (!rsi.isStable) return
        const held = ctx.position(inst.id).quantity
        if (held === 0 && ctx.openOrders(inst.id).length === 0 && rsi.value! < ctx.params.oversold) {
          // Quantities (and prices) go to the venue rounded to the instrument's lot (and tick).
          const qty = roundQuantity(inst, (ctx.account().cash * ctx.params.fraction) / bar.close)
          if (qty > 0) ctx.submit(ctx.orders.market(inst.id, 'BUY', qty))
        } else if (held > 0 && rsi.value! > ctx.params.overbought) {
          ctx.close(inst.id)
        }
      },
    }
  },
})
`
}

/** The test file of the strategy `name`, importing it from `./<name>.ts`. */
export function strategyTestText(name: string): string {
  return `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { allocBarSeries, makeInstrument, runBacktest } from 'kestrel'
import strategy from './${name}.ts'

const DAY = 86_400_000

/** Daily bars whose close falls 2 a day from 140 for 20 days, then rises 2 a day for 40. */
function vShape(instrumentId: string) {
  const closes = [...Array.from({ length: 20 }, (_, i) => 140 - 2 * i), ...Array.from({ length: 40 }, (_, i) => 104 + 2 * i)]
  const s = allocBarSeries(instrumentId, '1d', closes.length)
  closes.forEach((c, i) => {
    s.openTime[i] = Date.UTC(2024, 0, 1) + i * DAY
    s.closeTime[i] = s.openTime[i]! + DAY
    s.open[i] = c
    s.high[i] = c + 0.5
    s.low[i] = c - 0.5
    s.close[i] = c
    s.volume[i] = 1_000_000
  })
  return s
}

test('${name} buys the oversold fall and sells the overbought rise, at a profit', async () => {
  const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'equity' })
  const r = await runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1d', data: vShape(inst.id) }],
    strategies: [{ definition: strategy, params: {} }],
    account: { cash: 100_000 },
  })
  assert.deepEqual(
    r.orders.filter((o) => o.status === 'REJECTED').map((o) => o.rejectReason),
    [],
  )
  assert.deepEqual(
    r.fills.map((f) => f.side),
    ['BUY', 'SELL'],
  )
  const [buy, sell] = r.fills
  assert.ok(sell!.price > buy!.price, \`bought at \${buy!.price}, sold at \${sell!.price}\`)
  assert.ok(r.finalEquity > 100_000)
})
`
}
