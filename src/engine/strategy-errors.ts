/**
 * An exception inside a strategy's code becomes one error that says which strategy, which hook, at which bar
 * or time, and the file and line that threw (from the stack, source-mapped for TypeScript), so a user can
 * fix their strategy without `--debug`. The original error is kept as the cause (its stack is for `--debug`).
 */
import { fileURLToPath } from 'node:url'
import { KestrelError, isKestrelError, isoUtc } from '../core/index.ts'
import type { EpochMs } from '../core/index.ts'
import type { StrategyHandlers } from '../strategy/index.ts'

const HOOKS = [
  'onStart',
  'onStop',
  'onBar',
  'onQuote',
  'onTrade',
  'onOrderEvent',
  'onPositionChanged',
  'onTimer',
] as const satisfies readonly (keyof StrategyHandlers)[]

/** Kestrel's own source folder: frames inside it are the engine's, not the user's. */
const OWN_SRC = fileURLToPath(new URL('../', import.meta.url))

/** Errors already wrapped (a hook's error passing through another hook's call, e.g. onOrderEvent in onBar). */
const wrapped = new WeakSet<object>()

/** `path:line` of the frame that threw: the first outside Kestrel and node_modules, else the first with a file. */
export function throwSite(e: unknown): string | undefined {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : ''
  const sites: string[] = []
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+)(?::\d+)?\)?$/.exec(line)
    if (!m) continue
    const path = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!
    sites.push(`${path}:${m[2]}`)
  }
  const user = sites.find((s) => !s.startsWith(OWN_SRC) && !s.includes('/node_modules/'))
  return user ?? sites[0]
}

/** The error a strategy's exception becomes; a KestrelError keeps its code, anything else is STRATEGY_ERROR. */
export function strategyError(strategyId: string, hook: string, when: string, e: unknown): unknown {
  if (e !== null && typeof e === 'object' && wrapped.has(e)) return e
  const site = throwSite(e)
  const what = isKestrelError(e)
    ? e.message.startsWith(`strategy ${strategyId}: `)
      ? e.message.slice(`strategy ${strategyId}: `.length)
      : e.message
    : e instanceof Error
      ? `${e.name}: ${e.message}`
      : `threw a non-error value ${String(e)}`
  const message = `strategy ${strategyId}: ${hook} threw ${when}${site ? ` at ${site}` : ''}: ${what}`
  const details = { strategy: strategyId, hook, when, ...(site ? { site } : {}) }
  const out = isKestrelError(e)
    ? new KestrelError(e.code, message, { ...e.details, ...details }, { cause: e })
    : new KestrelError('STRATEGY_ERROR', message, details, { cause: e })
  wrapped.add(out)
  return out
}

/** `handlers` with every hook guarded by {@link strategyError}; `now` gives the time for the message. */
export function guardHandlers(strategyId: string, handlers: StrategyHandlers, now: () => EpochMs): StrategyHandlers {
  const out: Record<string, unknown> = { ...handlers }
  for (const hook of HOOKS) {
    const fn = handlers[hook] as ((a?: unknown, b?: unknown) => void) | undefined
    if (typeof fn !== 'function') continue
    // Two fixed arguments (every hook takes at most two): no arguments array per call on the hot path.
    out[hook] = (a?: unknown, b?: unknown): void => {
      try {
        fn.call(handlers, a, b)
      } catch (e) {
        throw strategyError(strategyId, hook, describeWhen(hook, [a, b], now), e)
      }
    }
  }
  return out as StrategyHandlers
}

function describeWhen(hook: (typeof HOOKS)[number], args: readonly unknown[], now: () => EpochMs): string {
  if (hook === 'onStart') return 'before the first bar'
  if (hook === 'onBar') {
    const bar = args[0] as { instrumentId: string; timeframe: string; closeTime: EpochMs }
    return `on the ${bar.instrumentId} ${bar.timeframe} bar closing ${isoUtc(bar.closeTime)}`
  }
  if (hook === 'onTimer') return `on timer ${String(args[0])} at ${isoUtc(args[1] as EpochMs)}`
  const t = now()
  return hook === 'onStop' ? `after the last bar (${isoUtc(t)})` : `at ${isoUtc(t)}`
}
