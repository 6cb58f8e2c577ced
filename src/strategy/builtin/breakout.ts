/**
 * `breakout`: a signal source that buys a break of the range on volume, on every instrument it is given. At each
 * close of its base timeframe (the finest it subscribes to) it compares the close with the Donchian channel of
 * the `period` bars before it: a close above their highest high is a breakout up, below their lowest low one
 * down. A breakout counts only when the bar's volume exceeds `volumeFactor` × the mean volume of the
 * `volumePeriod` bars before it; on thin volume it emits nothing. A LONG exits (FLAT) when the close falls
 * below the lowest low of the `exitPeriod` bars before it, a SHORT when it rises above their highest high, or
 * after `maxHoldBars` bars when that is set. The current bar never enters its own channel or volume mean.
 *
 * It never sends an order: the run's `framework:` sizes, checks and executes its signals. SHORT needs `short:
 * true` (and a margin account).
 */
import { z } from 'zod'
import { Donchian, Sma } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'

const params = z
  .strictObject({
    period: z.number().int().min(2).default(60).describe('bars of the range whose high/low a close must break'),
    exitPeriod: z.number().int().min(1).default(30).describe('bars of the opposite channel that ends a position'),
    volumePeriod: z.number().int().min(1).default(30).describe('bars of the mean volume a breakout is compared with'),
    volumeFactor: z
      .number()
      .min(0)
      .default(1.2)
      .describe('a breakout needs volume > volumeFactor × the mean volume; 0: no volume check'),
    maxHoldBars: z.number().int().min(1).optional().describe('time stop: FLAT this many bars after the entry'),
    short: z.boolean().default(false).describe('emit SHORT on downside breakouts (needs a margin account)'),
    confidence: z.number().min(0).max(1).default(1).describe('confidence carried by every signal'),
  })
  .refine((p) => p.exitPeriod <= p.period, { message: 'exitPeriod must be <= period', path: ['exitPeriod'] })

/** The built-in Donchian breakout signal source with volume confirmation. */
export const breakout = defineStrategy({
  name: 'breakout',
  description:
    'emits LONG (SHORT) when the close breaks the N-bar high (low) on volume > k × its mean, FLAT on the exit channel; a signal source (ctx.emit): the framework: section sizes and executes it',
  params,
  create(ctx) {
    const p = ctx.params
    const base = ctx.timeframes[0]!
    const books = new Map(
      ctx.instruments.map((i) => [
        i.id,
        {
          entry: new Donchian(p.period),
          exit: new Donchian(p.exitPeriod),
          volume: new Sma(p.volumePeriod),
          side: 0,
          held: 0,
        },
      ]),
    )
    return {
      onBar(bar) {
        if (bar.timeframe !== base) return
        const b = books.get(bar.instrumentId)
        if (!b) return
        // the channels and the mean volume of the bars before this one
        const range = b.entry.value
        const exitRange = b.exit.value
        const meanVolume = b.volume.value
        b.entry.update(bar)
        b.exit.update(bar)
        b.volume.update(bar.volume)
        if (range === undefined || exitRange === undefined || meanVolume === undefined) return
        const close = bar.close
        if (b.side !== 0) {
          b.held++
          const out = b.side > 0 ? close < exitRange[2] : close > exitRange[0]
          if (!out && !(p.maxHoldBars !== undefined && b.held >= p.maxHoldBars)) return
          b.side = 0
          ctx.emit({ instrumentId: bar.instrumentId, direction: 'FLAT', confidence: p.confidence })
          return
        }
        const side = close > range[0] ? 1 : close < range[2] && p.short ? -1 : 0
        if (side === 0 || !(bar.volume > p.volumeFactor * meanVolume)) return
        b.side = side
        b.held = 0
        ctx.emit({
          instrumentId: bar.instrumentId,
          direction: side > 0 ? 'LONG' : 'SHORT',
          confidence: p.confidence,
          // the range's height as the move expected from the break
          magnitude: Math.max(-0.99, (side * (range[0] - range[2])) / close),
        })
      },
    }
  },
})
