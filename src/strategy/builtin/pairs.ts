/**
 * `pairs`: trades the spread y − α − β·x of its first two instruments (y, then x) on the z-score of that
 * spread. Above `entry` it sells the spread (sells y, buys β units of x per unit of y), below −`entry` it buys
 * it; it closes both legs when the z-score comes back inside ±`exit`, and stops out when it runs past ±`stop`,
 * then waits for the z-score to come back inside ±`exit` before trading again.
 *
 * The hedge is estimated from past bars only: `ols` fits y on x over the previous `window` bars and scores the
 * current spread with that fit's residual deviation; `kalman` runs a Kalman filter on the hedge ratio (process
 * noise `q`, started by OLS on the first `window` bars) and scores the spread made with the filter's hedge of
 * the bar before against the mean and deviation of the last `window` such spreads. A decision is taken once both legs have closed a bar at the same time, so the market orders fill
 * at the next bar's open. Selling a leg short needs a margin account; when a venue or risk rejects one leg,
 * the strategy cancels the other if it is still pending, or closes it.
 */
import { z } from 'zod'
import { KestrelError, roundQuantity, type Instrument } from '../../core/index.ts'
import { KalmanHedge, RollingHedge, RollingVar, Sma } from '../../features/index.ts'
import { defineStrategy } from '../define.ts'

const pairsParams = z
  .strictObject({
    hedge: z.enum(['ols', 'kalman']).default('ols').describe('hedge ratio: rolling OLS, or a Kalman filter'),
    window: z
      .number()
      .int()
      .min(10)
      .default(120)
      .describe('bars of the rolling OLS (ols), or of the OLS that starts the filter (kalman)'),
    q: z
      .number()
      .min(0)
      .default(1e-7)
      .describe('Kalman process noise relative to the observation noise (0: expanding OLS)'),
    entry: z.number().positive().default(2).describe('|z| at or past which a position is opened'),
    exit: z.number().min(0).default(0.5).describe('|z| at or inside which a position is closed'),
    stop: z.number().positive().default(4).describe('|z| at or past which a position is stopped out'),
    size: z.number().positive().optional().describe('quantity of the y leg (default: use fraction)'),
    fraction: z
      .number()
      .positive()
      .max(1)
      .default(0.5)
      .describe('part of the equity in the two legs together (gross) when size is absent'),
  })
  .refine((p) => p.exit < p.entry, { message: 'exit must be < entry', path: ['exit'] })
  .refine((p) => p.stop > p.entry, { message: 'stop must be > entry', path: ['stop'] })

/** A source of (z-score, hedge ratio) for the bar just closed, from the hedge estimated before it. */
type Scorer = (x: number, y: number) => { z: number; beta: number } | undefined

function olsScorer(window: number): Scorer {
  const roll = new RollingHedge(window)
  return (x, y) => {
    let out: { z: number; beta: number } | undefined
    if (roll.isStable) {
      const f = roll.fit()
      if (f.sigma > 0) out = { z: (y - f.alpha - f.beta * x) / f.sigma, beta: f.beta }
    }
    roll.update(x, y)
    return out
  }
}

function kalmanScorer(window: number, q: number): Scorer {
  const kf = new KalmanHedge({ q, warmup: window })
  const mean = new Sma(window)
  const sd = new RollingVar(window, true)
  let m: number | undefined
  let v: number | undefined
  return (x, y) => {
    const s = kf.update(x, y)
    if (!s) return undefined
    // the spread y − α − β·x with the hedge of the bar before, scored against the last `window` spreads
    const out =
      m !== undefined && v !== undefined && v > 0 ? { z: (s.innovation - m) / v, beta: s.betaPrior } : undefined
    m = mean.update(s.innovation)
    v = sd.update(s.innovation)
    return out
  }
}

/** The built-in pairs strategy. */
export const pairs = defineStrategy({
  name: 'pairs',
  description:
    'pairs trading on instruments 1 (y) and 2 (x): z-score of y − α − β·x (rolling OLS or Kalman hedge), enter at ±entry, exit at ±exit, stop at ±stop',
  params: pairsParams,
  create(ctx) {
    const p = ctx.params
    if (ctx.instruments.length < 2)
      throw new KestrelError('STRATEGY_INVALID', `pairs: needs two instruments (y, x), got ${ctx.instruments.length}`)
    const yInst: Instrument = ctx.instruments[0]!
    const xInst: Instrument = ctx.instruments[1]!
    const score = p.hedge === 'kalman' ? kalmanScorer(p.window, p.q) : olsScorer(p.window)
    const last = new Map<string, { time: number; close: number }>()
    let done = -Infinity
    /** −1 short spread, +1 long spread, 0 flat. */
    let side = 0
    let blocked = false

    function flatten(): void {
      side = 0
      ctx.cancelAll(yInst.id)
      ctx.cancelAll(xInst.id)
      ctx.close(yInst.id)
      ctx.close(xInst.id)
    }

    function open(dir: 1 | -1, beta: number, py: number, px: number): void {
      // the gross notional of both legs, y + |β|·x per unit of y, is `fraction` of the equity
      const qy = p.size ?? roundQuantity(yInst, (ctx.account().equity * p.fraction) / (py + Math.abs(beta) * px))
      const qx = roundQuantity(xInst, Math.abs(beta) * qy)
      if (!(qy > 0) || !(qx > 0)) return
      side = dir
      ctx.submit(ctx.orders.market(yInst.id, dir > 0 ? 'BUY' : 'SELL', qy))
      if (side !== dir) return // the y leg was rejected at once: the pair is off
      // long the spread = long y, short β·x (a negative β flips the x leg)
      ctx.submit(ctx.orders.market(xInst.id, dir * Math.sign(beta) > 0 ? 'SELL' : 'BUY', qx))
    }

    return {
      onOrderEvent(ev) {
        // a leg the venue or risk refused leaves the other one naked: cancel what is pending and close the pair
        const id = ev.order.instrumentId
        if (ev.kind === 'REJECTED' && side !== 0 && (id === yInst.id || id === xInst.id)) {
          ctx.log('pairs: a leg was rejected, closing the pair', { instrumentId: id, reason: ev.reason })
          flatten()
        }
      },
      onBar(bar) {
        if (bar.timeframe !== ctx.timeframes[0] || (bar.instrumentId !== yInst.id && bar.instrumentId !== xInst.id))
          return
        last.set(bar.instrumentId, { time: bar.closeTime, close: bar.close })
        const by = last.get(yInst.id)
        const bx = last.get(xInst.id)
        if (!by || !bx || by.time !== bx.time || by.time === done) return
        done = by.time
        const s = score(bx.close, by.close)
        if (!s || !Number.isFinite(s.z)) return
        const { z: zs, beta } = s
        if (side !== 0) {
          if (Math.abs(zs) >= p.stop) {
            flatten()
            blocked = true
          } else if (side * zs >= -p.exit) flatten()
          return
        }
        if (blocked) {
          if (Math.abs(zs) <= p.exit) blocked = false
          return
        }
        if (zs >= p.entry && zs < p.stop) open(-1, beta, by.close, bx.close)
        else if (zs <= -p.entry && zs > -p.stop) open(1, beta, by.close, bx.close)
      },
    }
  },
})
