/**
 * Shared plumbing of the indicator kernels: parameter validation with TA-Lib's ranges (PARAM_INVALID naming the
 * indicator and the parameter), input checks, NaN fill, a ring buffer with one-step undo for `replace`, and
 * {@link defineIndicator}, which turns a kernel and a streaming class into an {@link IndicatorDef}.
 */
import { KestrelError, formatValue } from '../../core/index.ts'
import type { BarInput, IndicatorDef, IndicatorInputs, InputName, ParamDef, StreamingIndicator } from './types.ts'

/** TA-Lib's upper bound for periods. */
export const MAX_PERIOD = 100000

/** Throws PARAM_INVALID unless `v` is an integer in [min, max]: `rsi(timeperiod): expected integer ≥ 2, got 0`. */
export function intParam(ind: string, name: string, v: number, min: number, max = MAX_PERIOD): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    const expected = max >= MAX_PERIOD ? `integer ≥ ${min}` : `integer in [${min}, ${max}]`
    throw paramError(ind, name, expected, v)
  }
  return v
}

/** Throws PARAM_INVALID unless `v` is a finite number in [min, max]. */
export function realParam(ind: string, name: string, v: number, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw paramError(ind, name, `number in [${min}, ${max}]`, v)
  }
  return v
}

/** The PARAM_INVALID error for `ind(name)`. */
export function paramError(ind: string, name: string, expected: string, got: unknown): KestrelError {
  const where = `${ind}(${name})`
  return new KestrelError('PARAM_INVALID', `${where}: expected ${expected}, got ${formatValue(got)}`, {
    indicator: ind,
    param: name,
    expected,
    got,
  })
}

/** An integer parameter definition (TA-Lib `integer_range`). */
export function pInt(name: string, def: number, min: number, max = MAX_PERIOD): ParamDef {
  return { name, default: def, min, max, integer: true }
}

/** A real parameter definition (TA-Lib `real_range`). */
export function pReal(name: string, def: number, min: number, max: number): ParamDef {
  return { name, default: def, min, max, integer: false }
}

/** Fills `out[from, to)` with NaN. */
export function nanFill(out: Float64Array, from: number, to: number): void {
  if (to > from) out.fill(NaN, from, Math.min(to, out.length))
}

/** Returns `out` if it is long enough, else a new array of length `n`. Throws PARAM_INVALID when too short. */
export function outArray(ind: string, n: number, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(n)
  if (out.length < n) throw paramError(ind, 'out', `Float64Array of length ≥ ${n}`, out.length)
  return out
}

/** Fetches the named input series of a batch call and checks they all have the same length. */
export function requireInputs(ind: string, inputs: IndicatorInputs, names: readonly InputName[]): Float64Array[] {
  const arrays: Float64Array[] = []
  for (const name of names) {
    const a = inputs[name]
    if (!(a instanceof Float64Array)) {
      throw new KestrelError('PARAM_INVALID', `${ind}: input ${name} is missing (needs ${names.join(', ')})`, {
        indicator: ind,
        input: name,
      })
    }
    if (arrays.length > 0 && a.length !== arrays[0].length) {
      throw new KestrelError(
        'PARAM_INVALID',
        `${ind}: input ${name} has length ${a.length}, expected ${arrays[0].length} like ${names[0]}`,
        { indicator: ind, input: name },
      )
    }
    arrays.push(a)
  }
  return arrays
}

/**
 * Completes and validates a parameter list against `params`: omitted trailing values take TA-Lib's defaults;
 * every value is range-checked. Throws PARAM_INVALID naming the indicator and parameter.
 */
export function resolveParams(ind: string, params: readonly ParamDef[], given: readonly number[]): number[] {
  if (given.length > params.length) {
    throw new KestrelError(
      'PARAM_INVALID',
      `${ind}: expected at most ${params.length} parameter${params.length === 1 ? '' : 's'} (${params.map((p) => p.name).join(', ')}), got ${given.length}`,
      { indicator: ind, got: given.length },
    )
  }
  return params.map((p, i) => {
    const v = i < given.length ? given[i] : p.default
    const min = p.min ?? -Infinity
    const max = p.max ?? Infinity
    if (p.integer) return intParam(ind, p.name, v, min, max)
    return realParam(ind, p.name, v, min, max)
  })
}

/**
 * A fixed-capacity ring buffer of the last `capacity` values with a one-step {@link undo}, so that a streaming
 * indicator can replace its last input in O(1).
 */
export class Window {
  readonly buf: Float64Array
  /** Next write position. */
  head = 0
  /** Number of values held (≤ capacity). */
  length = 0
  private uHead = 0
  private uLength = 0
  private uOld = NaN

  constructor(readonly capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity))
  }

  /** Appends `x`; returns the value it pushed out, or NaN while not yet full. */
  push(x: number): number {
    const cap = this.buf.length
    this.uHead = this.head
    this.uLength = this.length
    const old = this.buf[this.head]
    this.uOld = old
    this.buf[this.head] = x
    this.head = this.head + 1 === cap ? 0 : this.head + 1
    if (this.length < cap) {
      this.length++
      return NaN
    }
    return old
  }

  /** Reverts the last {@link push}. */
  undo(): void {
    this.head = this.uHead
    this.length = this.uLength
    this.buf[this.head] = this.uOld
  }

  /** The value `k` steps back from the newest (k = 0 is the newest). */
  back(k: number): number {
    const cap = this.buf.length
    let i = this.head - 1 - k
    if (i < 0) i += cap
    return this.buf[i]
  }

  /** The i-th oldest value held (i = 0 is the oldest). */
  at(i: number): number {
    return this.back(this.length - 1 - i)
  }

  /** Empties the window. */
  clear(): void {
    this.head = 0
    this.length = 0
  }
}

/** A single-input streaming indicator (reads one number per bar). */
export type ScalarStream = StreamingIndicator<number, number>

/** A single-input streaming indicator with several outputs. */
export type MultiStream = StreamingIndicator<number, number[]>

/** Picks one input series from a bar. */
export function barField(name: InputName): (bar: BarInput) => number {
  switch (name) {
    case 'open':
      return (b) => b.open
    case 'high':
      return (b) => b.high
    case 'low':
      return (b) => b.low
    case 'volume':
      return (b) => b.volume
    case 'time':
      return (b) => b.time
    default:
      return (b) => b.close
  }
}

/** Adapts a per-bar streaming indicator that yields a number, or number[], to the def's `number[]` shape. */
export class BarStream<TIn> implements StreamingIndicator<BarInput, number[]> {
  constructor(
    private readonly inner: StreamingIndicator<TIn, number | number[]>,
    private readonly pick: (bar: BarInput) => TIn,
  ) {}

  update(bar: BarInput, replace = false): number[] | undefined {
    const v = this.inner.update(this.pick(bar), replace)
    if (v === undefined) return undefined
    return typeof v === 'number' ? [v] : v
  }

  get isStable(): boolean {
    return this.inner.isStable
  }

  get value(): number[] | undefined {
    const v = this.inner.value
    if (v === undefined) return undefined
    return typeof v === 'number' ? [v] : v
  }

  reset(): void {
    this.inner.reset()
  }
}

/** What {@link defineIndicator} needs. */
export interface IndicatorSpec<TIn> {
  name: string
  description: string
  inputs: readonly InputName[]
  params: readonly ParamDef[]
  outputs: readonly string[]
  /** Lookback for resolved (validated, complete) params. */
  lookback(p: readonly number[]): number
  /** Batch over the input series in `inputs` order; returns one array per output. */
  compute(series: Float64Array[], p: readonly number[]): Float64Array[]
  /** Streaming twin for resolved params. */
  stream(p: readonly number[]): StreamingIndicator<TIn, number | number[]>
  /** How the streaming twin reads a bar (default: the single input's field). */
  pick?: (bar: BarInput) => TIn
  testParams?: readonly (readonly number[])[]
}

/** Builds an {@link IndicatorDef}: params are completed with defaults and validated before every call. */
export function defineIndicator<TIn = number>(spec: IndicatorSpec<TIn>): IndicatorDef {
  const pick = spec.pick ?? (barField(spec.inputs[0]) as unknown as (bar: BarInput) => TIn)
  const resolve = (given: readonly number[]) => resolveParams(spec.name, spec.params, given)
  return {
    name: spec.name,
    description: spec.description,
    inputs: spec.inputs,
    params: spec.params,
    outputs: spec.outputs,
    testParams: spec.testParams,
    lookback: (given) => spec.lookback(resolve(given)),
    compute: (inputs, given) => spec.compute(requireInputs(spec.name, inputs, spec.inputs), resolve(given)),
    stream: (given) => new BarStream(spec.stream(resolve(given)), pick),
  }
}

/**
 * A recurrence held in plain fields: `step(x)` consumes one input and writes the outputs into `out` (NaN inside
 * the lookback). The batch kernel loops `step`; {@link StepStream} calls the same `step`, so they agree exactly.
 */
export interface StepState<S> {
  readonly out: Float64Array
  step(x: number): void
  /** Copies every field of `other` into this (used to save and restore for `replace`). */
  copyFrom(other: S): void
}

/**
 * Streaming wrapper over a {@link StepState}: keeps a copy of the state before the last update so that
 * `update(x, true)` restores it and steps again. A copy costs O(size of the state), independent of the data.
 */
export class StepStream<S extends StepState<S>> implements StreamingIndicator<number, number | number[]> {
  private count = 0
  private lastOut: number | number[] | undefined
  private savedOut: number | number[] | undefined

  constructor(
    private readonly cur: S,
    private readonly saved: S,
    private readonly fresh: S,
    private readonly lookback: number,
  ) {
    this.saved.copyFrom(cur)
  }

  update(x: number, replace = false): number | number[] | undefined {
    if (replace && this.count > 0) {
      this.cur.copyFrom(this.saved)
      this.count--
      this.lastOut = this.savedOut
    } else {
      this.saved.copyFrom(this.cur)
      this.savedOut = this.lastOut
    }
    this.cur.step(x)
    this.count++
    const o = this.cur.out
    if (this.count <= this.lookback) this.lastOut = undefined
    else this.lastOut = o.length === 1 ? o[0] : Array.from(o)
    return this.lastOut
  }

  get isStable(): boolean {
    return this.count > this.lookback
  }

  get value(): number | number[] | undefined {
    return this.lastOut
  }

  reset(): void {
    this.cur.copyFrom(this.fresh)
    this.count = 0
    this.lastOut = undefined
  }
}

/** Streaming identity (what TA-Lib's MA gives for period 1). */
export class Identity implements StreamingIndicator {
  private last: number | undefined
  update(x: number): number {
    this.last = x
    return x
  }
  get isStable(): boolean {
    return this.last !== undefined
  }
  get value(): number | undefined {
    return this.last
  }
  reset(): void {
    this.last = undefined
  }
}
