/**
 * Helpers for the tests of signal sources (not part of the engine's surface): record what a strategy emits, run
 * one through the framework, cut a series short.
 */
import type { BarSeries, Instrument, Signal, SignalInput } from '../core/index.ts'
import { CONSTRUCTION_MODELS } from '../portfolio/index.ts'
import type { StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'

/**
 * Wraps a strategy so every signal it emits is also kept in `signals` (tests): the strategy itself runs
 * unchanged and its signals still reach the framework.
 */
export function recordSignals(def: StrategyDefinition): { definition: StrategyDefinition; signals: Signal[] } {
  const signals: Signal[] = []
  const definition: StrategyDefinition = {
    ...def,
    create(ctx) {
      const spy = new Proxy(ctx, {
        get(target, prop) {
          if (prop === 'emit')
            return (input: SignalInput) => {
              const s = target.emit(input)
              signals.push(s)
              return s
            }
          const v = Reflect.get(target, prop, target) as unknown
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
        },
      })
      return def.create(spy)
    },
  }
  return { definition, signals }
}

/**
 * Runs one signal source on 1m bars of `inst` (and optional other feeds) through the equal-weight framework with
 * 5 bp taker fees on a margin account (tests); returns the run, the signals it emitted and its total return.
 */
export async function runSignals(
  inst: Instrument,
  def: unknown,
  params: Record<string, unknown>,
  data: BarSeries,
  more: { feeds?: { timeframe: string; data: BarSeries }[]; timeframes?: string[] } = {},
) {
  const rec = recordSignals(def as StrategyDefinition)
  const r = await runBacktest({
    instruments: [inst],
    feeds: [
      { instrumentId: inst.id, timeframe: '1m', data },
      ...(more.feeds ?? []).map((f) => ({ instrumentId: inst.id, ...f })),
    ],
    strategies: [{ definition: rec.definition, params, ...(more.timeframes ? { timeframes: more.timeframes } : {}) }],
    account: { cash: 100_000, type: 'margin' },
    fees: { type: 'percent', takerRate: 0.0005 },
    framework: { construction: CONSTRUCTION_MODELS['equal-weight']() },
  })
  return { result: r, signals: rec.signals, ret: r.finalEquity / r.initialCash - 1 }
}

/** The first `n` bars of a series. */
export function sliceBars(s: BarSeries, n: number): BarSeries {
  return {
    instrumentId: s.instrumentId,
    timeframe: s.timeframe,
    openTime: s.openTime.slice(0, n),
    closeTime: s.closeTime.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  }
}
