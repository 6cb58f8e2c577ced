/**
 * Signals and targets: the values that flow between the framework's stages (LEAN's insights and portfolio
 * targets). A strategy, a model or a policy emits {@link Signal}s; a portfolio construction model turns the
 * active ones into {@link Target}s; risk trims the targets; an execution model turns the difference between
 * targets and positions into orders. Both are plain frozen data so any stage can keep them.
 */
import { KestrelError } from './errors.ts'
import type { EpochMs } from './time.ts'

/** Which way a signal expects the instrument to move. `FLAT` asks for no position. */
export type SignalDirection = 'LONG' | 'SHORT' | 'FLAT'

/** What a signal source hands the framework. `source` and `time` are stamped by the engine. */
export interface SignalInput {
  readonly instrumentId: string
  readonly direction: SignalDirection
  /** How strongly the source means it, in [0, 1] (default 1): constructions that scale by conviction read it. */
  readonly strength?: number
  /** Probability the source is right, in [0, 1] (default 1). */
  readonly confidence?: number
  /** Expected return over the horizon as a fraction (0.01 = 1 %); constructions that need views read it. */
  readonly magnitude?: number
  /** How long the signal stays active, in ms; default: until the source replaces it. */
  readonly horizonMs?: number
  /** Exit instructions carried to execution: stop and take-profit distances in price units from the entry. */
  readonly stopDistance?: number
  readonly takeProfitDistance?: number
}

/** A signal as the framework keeps it: the input plus who emitted it and when. */
export interface Signal extends SignalInput {
  /** The emitting strategy's (or model's) id. */
  readonly source: string
  readonly time: EpochMs
}

/** What the portfolio should hold of one instrument: a signed quantity (positive long). */
export interface Target {
  readonly instrumentId: string
  readonly quantity: number
  /** The weight of equity the quantity came from, when the construction worked in weights. */
  readonly weight?: number
  /** Why the quantity is what it is when a stage changed it (`maxPosition`, `cooldown`, …). */
  readonly reason?: string
  /** Set by a stage that held the target back for now (a minimum hold, a cooldown): the framework asks again. */
  readonly deferred?: boolean
}

const DIRECTIONS: ReadonlySet<string> = new Set(['LONG', 'SHORT', 'FLAT'])

/** +1 for LONG, −1 for SHORT, 0 for FLAT. */
export function signalSign(s: Pick<SignalInput, 'direction'>): -1 | 0 | 1 {
  return s.direction === 'LONG' ? 1 : s.direction === 'SHORT' ? -1 : 0
}

/**
 * Checks a signal from user code and returns a frozen {@link Signal} stamped with `source` and `time`.
 * Throws SIGNAL_INVALID naming the field and the accepted form.
 */
export function makeSignal(input: SignalInput, source: string, time: EpochMs): Signal {
  const where = `signal from ${source}`
  const bad = (field: string, expected: string, got: unknown) =>
    new KestrelError('SIGNAL_INVALID', `${where}: ${field} must be ${expected}, got ${JSON.stringify(got)}`, {
      source,
      field,
    })
  if (input === null || typeof input !== 'object') throw bad('the signal', 'an object', input)
  if (typeof input.instrumentId !== 'string' || input.instrumentId.length === 0)
    throw bad('instrumentId', 'a non-empty string', input.instrumentId)
  if (!DIRECTIONS.has(input.direction)) throw bad('direction', 'LONG, SHORT or FLAT', input.direction)
  const unit = (k: 'strength' | 'confidence') => {
    const v = input[k]
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw bad(k, 'a number in [0, 1]', v)
  }
  unit('strength')
  unit('confidence')
  const m = input.magnitude
  if (m !== undefined && !(typeof m === 'number' && Number.isFinite(m) && m > -1))
    throw bad('magnitude', 'a finite return above -1', m)
  for (const k of ['horizonMs', 'stopDistance', 'takeProfitDistance'] as const) {
    const v = input[k]
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
      throw bad(k, 'a positive finite number', v)
  }
  const out: Record<string, unknown> = { instrumentId: input.instrumentId, direction: input.direction }
  for (const k of ['strength', 'confidence', 'magnitude', 'horizonMs', 'stopDistance', 'takeProfitDistance'] as const)
    if (input[k] !== undefined) out[k] = input[k]
  out.source = source
  out.time = time
  return Object.freeze(out) as unknown as Signal
}

/** True while a signal is active at `now` (no horizon: until replaced). */
export function signalActive(s: Signal, now: EpochMs): boolean {
  return s.horizonMs === undefined || now < s.time + s.horizonMs
}
