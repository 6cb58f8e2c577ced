/**
 * How an indicator is defined. {@link defineIndicator} turns a batch kernel and a streaming twin into the
 * {@link IndicatorDef} the registry holds; parameters are completed with TA-Lib's defaults and validated (one
 * checker, `checks.ts`) before every call, and input series are checked by name.
 *
 * A streaming twin is either a class of its own (`stream`) or a step state (`make`, `feed`, `read`): a small object whose
 * `feed` consumes one bar. The batch kernel may loop the very same `feed`, so kernel and twin agree by
 * construction; where a straight array pass is much faster (window extremes, the MOM/ROC family) or TA-Lib itself
 * chains batch kernels (STOCH's moving averages, TRIX's EMAs, Keltner), the kernel works over arrays with the
 * same formulas and the tests hold the two to 1e-9. {@link Stepper} wraps a step state: `update(x, true)` replaces
 * the last bar by restoring the state saved before it ({@link Snapshot}: scalar fields and small typed arrays are
 * copied, each {@link Ring} undoes its one write), so a replace costs O(size of the state), independent of the
 * period.
 */
import { Ring } from '../../core/index.ts'
import { requireInputs, resolveParams } from './checks.ts'
import type { BarInput, IndicatorDef, InputName, ParamDef, StreamingIndicator } from './types.ts'

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

/**
 * Holds another streaming indicator (e.g. a moving average) inside a step state so that the state's
 * {@link Snapshot} can replace the last bar: after a restore, the next {@link StreamSlot.feed} is passed on as
 * `update(x, true)` when the inner indicator had been fed during the replaced step.
 */
export class StreamSlot {
  private fed = 0
  private savedFed = 0
  private replaceNext = false

  constructor(private readonly inner: StreamingIndicator<number, number>) {}

  /** Feeds one value; returns the inner output or NaN inside its lookback. */
  feed(x: number): number {
    const v = this.inner.update(x, this.replaceNext)
    if (!this.replaceNext) this.fed++
    this.replaceNext = false
    return v === undefined ? NaN : v
  }

  /** Called by {@link Snapshot.save}. */
  save(): void {
    this.savedFed = this.fed
    this.replaceNext = false
  }

  /** Called by {@link Snapshot.restore}. */
  restore(): void {
    this.replaceNext = this.fed > this.savedFed
    this.fed = this.savedFed
  }
}

/**
 * Saves and restores a state object: its number and boolean fields, its typed arrays (copied: keep them small),
 * its rings (one undo), stream slots, and nested state objects recursively.
 */
export class Snapshot {
  private readonly keys: string[] = []
  private readonly values: unknown[] = []
  private readonly rings: Ring[] = []
  private readonly arrays: Float64Array[] = []
  private readonly copies: Float64Array[] = []
  private readonly nested: Snapshot[] = []
  private readonly slots: StreamSlot[] = []
  /** Straight-line copies of the scalar fields, generated once so each property access stays monomorphic. */
  private readonly copyOut: (s: object, v: unknown[]) => void
  private readonly copyIn: (s: object, v: unknown[]) => void

  constructor(private readonly state: object) {
    for (const [k, v] of Object.entries(state)) {
      if (v instanceof Ring) this.rings.push(v)
      else if (v instanceof StreamSlot) this.slots.push(v)
      else if (v instanceof Float64Array) {
        this.arrays.push(v)
        this.copies.push(v.slice())
      } else if (typeof v === 'number' || typeof v === 'boolean') this.keys.push(k)
      else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v)) {
        this.nested.push(new Snapshot(v))
      }
    }
    // the keys are our own state classes' field names; JSON.stringify quotes them safely
    const fields = this.keys.map((k, i) => [i, JSON.stringify(k)] as const)
    this.copyOut = new Function('s', 'v', fields.map(([i, k]) => `v[${i}] = s[${k}];`).join('\n')) as (
      s: object,
      v: unknown[],
    ) => void
    this.copyIn = new Function('s', 'v', fields.map(([i, k]) => `s[${k}] = v[${i}];`).join('\n')) as (
      s: object,
      v: unknown[],
    ) => void
    this.copyOut(state, this.values)
  }

  /** Remembers the current state. */
  save(): void {
    this.copyOut(this.state, this.values)
    for (let i = 0; i < this.arrays.length; i++) this.copies[i]!.set(this.arrays[i]!)
    for (let i = 0; i < this.rings.length; i++) this.rings[i]!.mark()
    for (let i = 0; i < this.nested.length; i++) this.nested[i]!.save()
    for (let i = 0; i < this.slots.length; i++) this.slots[i]!.save()
  }

  /** Returns to the state of the last {@link Snapshot.save}. */
  restore(): void {
    this.copyIn(this.state, this.values)
    for (let i = 0; i < this.arrays.length; i++) this.arrays[i]!.set(this.copies[i]!)
    for (let i = 0; i < this.rings.length; i++) this.rings[i]!.undo()
    for (let i = 0; i < this.nested.length; i++) this.nested[i]!.restore()
    for (let i = 0; i < this.slots.length; i++) this.slots[i]!.restore()
  }
}

/**
 * A streaming indicator around a step state: O(1) per update (plus whatever the step itself costs), `value`
 * undefined inside the lookback, `update(x, true)` replaces the last input.
 */
export class Stepper<S extends object, TIn, TOut> implements StreamingIndicator<TIn, TOut> {
  private state: S
  private snapshot: Snapshot
  private count = 0
  private current: TOut | undefined = undefined

  constructor(
    private readonly make: () => S,
    /** Number of leading inputs that give no output (TA-Lib's lookback). */
    readonly lookback: number,
    private readonly feed: (state: S, input: TIn) => void,
    private readonly read: (state: S) => TOut,
  ) {
    this.state = make()
    this.snapshot = new Snapshot(this.state)
  }

  /** Feeds one input; with `replace` the input replaces the last one instead of following it. */
  update(input: TIn, replace = false): TOut | undefined {
    if (replace && this.count > 0) this.snapshot.restore()
    else {
      this.snapshot.save()
      this.count++
    }
    this.feed(this.state, input)
    this.current = this.count > this.lookback ? this.read(this.state) : undefined
    return this.current
  }

  /** True once the output equals what the batch kernel gives at the same bar. */
  get isStable(): boolean {
    return this.count > this.lookback
  }

  /** The last output, or undefined inside the lookback. */
  get value(): TOut | undefined {
    return this.current
  }

  /** Number of inputs seen (a replace does not count). */
  get length(): number {
    return this.count
  }

  /** Forgets everything seen so far. */
  reset(): void {
    this.state = this.make()
    this.snapshot = new Snapshot(this.state)
    this.count = 0
    this.current = undefined
  }
}

/** A streaming twin as a step state; {@link defineIndicator} wraps it in a {@link Stepper}. */
export interface StepSpec<S extends object> {
  /** A fresh state for resolved params. */
  make(p: readonly number[]): S
  /** Feeds one bar to the state. */
  feed(s: S, bar: BarInput): void
  /** The outputs after the last feed, in `outputs` order. */
  read(s: S): number[]
}

/** A streaming twin as a class of its own. */
export interface StreamSpec<TIn> {
  /** Streaming twin for resolved params. */
  stream(p: readonly number[]): StreamingIndicator<TIn, number | number[]>
  /** How the streaming twin reads a bar (default: the single input's field). */
  pick?: (bar: BarInput) => TIn
}

/** What every indicator definition has: names, inputs, parameters, outputs, lookback and the batch kernel. */
export interface KernelSpec {
  name: string
  description: string
  inputs: readonly InputName[]
  params: readonly ParamDef[]
  outputs: readonly string[]
  /** Lookback for resolved (validated, complete) params. */
  lookback(p: readonly number[]): number
  /** Batch over the input series in `inputs` order, resolved params; returns one array per output. */
  compute(series: Float64Array[], p: readonly number[]): Float64Array[]
  /** Non-default parameter sets the oracle and streaming tests also run. */
  testParams?: readonly (readonly number[])[]
}

/** What {@link defineIndicator} needs: the kernel, and the streaming twin as a class or as a step state. */
export type IndicatorSpec<TIn = number, S extends object = object> = KernelSpec &
  ((StreamSpec<TIn> & { make?: undefined }) | (StepSpec<S> & { stream?: undefined }))

/** Builds an {@link IndicatorDef}: params are completed with defaults and validated before every call. */
export function defineIndicator<TIn = number, S extends object = object>(spec: IndicatorSpec<TIn, S>): IndicatorDef {
  const resolve = (given: readonly number[]) => resolveParams(spec.name, spec.params, given)
  let stream: (p: number[]) => StreamingIndicator<BarInput, number[]>
  if (spec.make !== undefined) {
    const { make, feed, read } = spec
    stream = (p) => new Stepper<S, BarInput, number[]>(() => make(p), spec.lookback(p), feed, read)
  } else {
    const pick = spec.pick ?? (barField(spec.inputs[0]!) as unknown as (bar: BarInput) => TIn)
    const twin = spec.stream
    stream = (p) => new BarStream(twin(p), pick)
  }
  return {
    name: spec.name,
    description: spec.description,
    inputs: spec.inputs,
    params: spec.params,
    outputs: spec.outputs,
    testParams: spec.testParams,
    lookback: (given) => spec.lookback(resolve(given)),
    compute: (inputs, given) => spec.compute(requireInputs(spec.name, inputs, spec.inputs), resolve(given)),
    stream: (given) => stream(resolve(given)),
  }
}
