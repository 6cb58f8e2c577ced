/**
 * Helpers for tests and benchmarks of the engine: seeded random-walk bars (streamed in chunks) and a scripted
 * strategy that submits given commands at given bars.
 */
import { z } from 'zod'
import { Rng, allocBarSeries } from '../core/index.ts'
import type { BarSeries, OrderRequest } from '../core/index.ts'
import { defineStrategy, type OrderFactory, type StrategyDefinition } from '../strategy/index.ts'

/** `n` one-minute (or `stepMs`) random-walk bars from `start`, deterministic for a seed. */
export function randomBars(
  seed: number,
  n: number,
  instrumentId = 'TEST.SIM',
  start = 0,
  stepMs = 60_000,
  p0 = 100,
): BarSeries {
  const rng = new Rng(seed)
  const s = allocBarSeries(instrumentId, '1m', n)
  let p = p0
  for (let i = 0; i < n; i++) {
    const o = Math.round(p * 100) / 100
    const c = Math.max(0.01, Math.round(o * (1 + 0.002 * rng.normal()) * 100) / 100)
    const h = Math.round(Math.max(o, c) * (1 + 0.001 * rng.uniform()) * 100) / 100
    const l = Math.max(0.01, Math.round(Math.min(o, c) * (1 - 0.001 * rng.uniform()) * 100) / 100)
    s.openTime[i] = start + i * stepMs
    s.closeTime[i] = start + (i + 1) * stepMs
    s.open[i] = o
    s.high[i] = h
    s.low[i] = l
    s.close[i] = c
    s.volume[i] = 1000 + Math.floor(rng.uniform() * 9000)
    p = c * (1 + 0.0005 * rng.normal())
  }
  return s
}

/** Yields `series` in chunks of `size` bars (views, no copy): what a store's stream looks like. */
export function* chunked(series: BarSeries, size: number): Generator<BarSeries> {
  const n = series.openTime.length
  for (let i = 0; i < n; i += size) {
    const e = Math.min(n, i + size)
    yield {
      instrumentId: series.instrumentId,
      timeframe: series.timeframe,
      openTime: series.openTime.subarray(i, e),
      closeTime: series.closeTime.subarray(i, e),
      open: series.open.subarray(i, e),
      high: series.high.subarray(i, e),
      low: series.low.subarray(i, e),
      close: series.close.subarray(i, e),
      volume: series.volume.subarray(i, e),
    }
  }
}

/** A step of a scripted strategy: at the `bar`-th bar it sees (0-based), submit what `make` builds. */
export interface ScriptStep {
  readonly bar: number
  readonly make: (orders: OrderFactory, instrumentId: string) => OrderRequest | OrderRequest[]
}

/** A strategy that plays a script (tests): deterministic orders at chosen bars of its first instrument. */
export function scriptedStrategy(steps: readonly ScriptStep[], name = 'scripted'): StrategyDefinition {
  return defineStrategy({
    name,
    params: z.object({}),
    create(ctx) {
      let k = -1
      const inst = ctx.instruments[0]!.id
      return {
        onBar(bar) {
          if (bar.instrumentId !== inst || bar.timeframe !== ctx.timeframes[0]) return
          k++
          for (const s of steps) if (s.bar === k) ctx.submit(s.make(ctx.orders, inst))
        },
      }
    },
  }) as unknown as StrategyDefinition
}
