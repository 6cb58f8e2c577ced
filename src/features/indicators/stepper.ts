/**
 * Shared machinery of group B's indicators. Each indicator keeps its recurrence in a small state class with a
 * `step` method over plain numbers; the batch kernel calls `step` once per bar into a preallocated
 * Float64Array, and the streaming twin ({@link Stepper}) calls the very same `step`, so the two agree by
 * construction. Where a straight array pass is much faster (window extremes, the MOM/ROC family) or TA-Lib itself
 * chains batch kernels (STOCH's moving averages, TRIX's EMAs, Keltner), the batch kernel works over arrays with
 * the same formulas and the tests hold the two to 1e-9. `update(x, true)` replaces the last bar by restoring the state saved before it
 * ({@link Snapshot}): scalar fields are copied and each {@link Ring} undoes its one write, so a replace costs
 * O(number of fields), independent of the period.
 */
import { KestrelError, requireParam } from '../../core/index.ts'
import type { BarInput, IndicatorDef, IndicatorInputs, InputName, ParamDef, StreamingIndicator } from './types.ts'

/** The last `size` values pushed, with a one-step undo (for replacing a still-forming bar). */
export class Ring {
  readonly buf: Float64Array
  /** Total number of values ever pushed. */
  count = 0
  private markCount = -1
  private undoValue = NaN

  constructor(readonly size: number) {
    this.buf = new Float64Array(Math.max(1, size)).fill(NaN)
  }

  /** Appends `x`, overwriting the value pushed `size` pushes ago. */
  push(x: number): void {
    const i = this.count % this.buf.length
    if (this.count === this.markCount) this.undoValue = this.buf[i]!
    this.buf[i] = x
    this.count++
  }

  /** The value pushed `k` pushes ago (0 = the latest); `k` must be < size. */
  ago(k: number): number {
    return this.buf[(this.count - 1 - k) % this.buf.length]!
  }

  /** The value of push number `abs` (0-based, counted since the start); must be one of the last `size`. */
  at(abs: number): number {
    return this.buf[abs % this.buf.length]!
  }

  /** Remembers the current position so that {@link undo} can roll back the next push. */
  mark(): void {
    this.markCount = this.count
  }

  /** Rolls back to the position of the last {@link mark}, restoring the overwritten value. */
  undo(): void {
    if (this.count > this.markCount && this.markCount >= 0) {
      this.count = this.markCount
      this.buf[this.count % this.buf.length] = this.undoValue
    }
  }
}

/**
 * Holds another streaming indicator (e.g. a moving average from ma.ts) inside a step state so that the state's
 * {@link Snapshot} can replace the last bar: after a restore, the next {@link feed} is passed on as
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

/** Saves and restores every scalar field of a state object (recursing into nested states, undoing rings). */
export class Snapshot {
  private readonly keys: string[] = []
  private readonly values: unknown[] = []
  private readonly rings: Ring[] = []
  private readonly nested: Snapshot[] = []
  private readonly slots: StreamSlot[] = []
  /** Straight-line copies of the scalar fields, generated once so each property access stays monomorphic. */
  private readonly copyOut: (s: object, v: unknown[]) => void
  private readonly copyIn: (s: object, v: unknown[]) => void

  constructor(private readonly state: object) {
    for (const [k, v] of Object.entries(state)) {
      if (v instanceof Ring) this.rings.push(v)
      else if (v instanceof StreamSlot) this.slots.push(v)
      else if (typeof v === 'number' || typeof v === 'boolean') this.keys.push(k)
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
    for (let i = 0; i < this.rings.length; i++) this.rings[i]!.mark()
    for (let i = 0; i < this.nested.length; i++) this.nested[i]!.save()
    for (let i = 0; i < this.slots.length; i++) this.slots[i]!.save()
  }

  /** Returns to the state of the last {@link save}. */
  restore(): void {
    this.copyIn(this.state, this.values)
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

/** Throws PARAM_INVALID unless `v` is an integer in [min, max]; `where` reads `rsi(timeperiod)`. */
export function checkInt(v: number, where: string, min: number, max = 100000): number {
  requireParam(
    Number.isInteger(v) && v >= min && v <= max,
    where,
    `integer ≥ ${min}${max < 100000 ? ` and ≤ ${max}` : ''}`,
    v,
  )
  return v
}

/** Throws PARAM_INVALID unless `v` is a finite number ≥ min. */
export function checkReal(v: number, where: string, min: number): number {
  requireParam(Number.isFinite(v) && v >= min, where, `number ≥ ${min}`, v)
  return v
}

/** Throws PARAM_INVALID unless the named input series exist and have one length; returns that length. */
export function checkInputs(where: string, ...series: readonly [string, Float64Array | undefined][]): number {
  let n = -1
  for (const [name, s] of series) {
    if (!(s instanceof Float64Array)) {
      throw new KestrelError('PARAM_INVALID', `${where}: input ${name} is missing (expected a Float64Array)`, {
        where,
        input: name,
      })
    }
    if (n < 0) n = s.length
    else if (s.length !== n) {
      throw new KestrelError('PARAM_INVALID', `${where}: input ${name} has length ${s.length}, expected ${n}`, {
        where,
        input: name,
        length: s.length,
        expected: n,
      })
    }
  }
  return n
}

/** What {@link defineStep} needs to build an IndicatorDef around a step state. */
export interface StepDef<S extends object> {
  readonly name: string
  readonly description: string
  readonly inputs: readonly InputName[]
  readonly params: readonly ParamDef[]
  readonly outputs: readonly string[]
  /** Lookback for a full parameter list (defaults already filled in). */
  lookback(p: readonly number[]): number
  /** A fresh state; validates the parameters (throws PARAM_INVALID). */
  make(p: readonly number[]): S
  /** Feeds one bar to the state. */
  feed(s: S, b: BarInput): void
  /** The outputs after the last feed, in `outputs` order. */
  read(s: S): number[]
  /** The batch kernel. */
  compute(inputs: IndicatorInputs, p: readonly number[]): Float64Array[]
}

/** Builds a registry entry whose `stream` is a {@link Stepper} over the same state as the batch kernel. */
export function defineStep<S extends object>(d: StepDef<S>): IndicatorDef {
  const full = (p: readonly number[]): number[] => d.params.map((q, i) => p[i] ?? q.default)
  return {
    name: d.name,
    description: d.description,
    inputs: d.inputs,
    params: d.params,
    outputs: d.outputs,
    lookback: (p) => d.lookback(full(p)),
    compute: (inputs, p) => d.compute(inputs, full(p)),
    stream: (p) => {
      const q = full(p)
      d.make(q)
      return new Stepper(
        () => d.make(q),
        d.lookback(q),
        (s, b: BarInput) => d.feed(s, b),
        (s) => d.read(s),
      )
    },
  }
}
