/**
 * What the pipeline knows about a feature kind: its implicit bar inputs, series arguments, numeric
 * parameters, outputs, a batch kernel and a streaming twin. Labels look forward and have no twin.
 */
import type { SessionsAt } from '../price-action/index.ts'
import type { NewsTimeline } from '../sentiment/index.ts'

/** Bar columns a node can read. `time` is the bar's open time, `closeTime` its close time. */
export const BAR_COLUMNS = ['open', 'high', 'low', 'close', 'volume', 'time', 'closeTime'] as const
/** One of {@link BAR_COLUMNS}. */
export type BarColumn = (typeof BAR_COLUMNS)[number]

/** A numeric parameter. */
export interface ParamSpec {
  readonly name: string
  /** Omitted trailing parameters take this; no default means required. */
  readonly default?: number
  readonly integer?: boolean
  readonly min?: number
  readonly max?: number
}

/** A series argument; `default` is used when the expression omits it. */
export interface SeriesSlot {
  readonly name: string
  readonly default?: BarColumn
}

/** Per-run context a kind may need. */
export interface KindContext {
  /** FX session lookup for `sessions()`. */
  readonly sessionsAt: SessionsAt
  /** Scored news of the instrument for `sentiment()`; absent when the caller gave none. */
  readonly news?: NewsTimeline
}

/** A node's streaming twin: `update` takes this bar's inputs (bar columns, then series) and returns outputs. */
export interface NodeStream {
  update(inputs: Float64Array): ArrayLike<number>
}

/** A feature kind. */
export interface FeatureKind {
  readonly name: string
  readonly description: string
  readonly bar: readonly BarColumn[]
  readonly series: readonly SeriesSlot[]
  readonly params: readonly ParamSpec[]
  /** Output names for these parameters (one output named `value` is referenced by the node name alone). */
  outputs(p: readonly number[]): string[]
  /** Outputs that hold times (epoch ms, NaN for none), written as times: `t1` of the labels. */
  readonly timeOutputs?: readonly string[]
  /** True for labels: they read the future by design (t1 records how far); batch only. */
  readonly label?: boolean
  /** Batch kernel: inputs are the bar columns then the series; one array per output. */
  batch(inputs: readonly Float64Array[], p: readonly number[], ctx: KindContext): Float64Array[]
  /** Streaming twin (absent for labels). */
  stream?(p: readonly number[], ctx: KindContext): NodeStream
}

/** Runs a streaming twin over whole columns (the batch form of kinds whose kernel is the twin). */
export function runStream(s: NodeStream, inputs: readonly Float64Array[], outputs: number): Float64Array[] {
  const n = inputs[0]?.length ?? 0
  const cols = Array.from({ length: outputs }, () => new Float64Array(n))
  const row = new Float64Array(inputs.length)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) row[k] = inputs[k]![i]!
    const v = s.update(row)
    for (let k = 0; k < outputs; k++) cols[k]![i] = v[k]!
  }
  return cols
}

/** A single-output kind whose batch form is its streaming twin run over the columns. */
export function streamKind(
  def: Omit<FeatureKind, 'outputs' | 'batch' | 'stream'> & {
    make(p: readonly number[], ctx: KindContext): (x: Float64Array) => number
    outputs?: readonly string[]
    batch?: FeatureKind['batch']
  },
): FeatureKind {
  const outs = def.outputs ?? ['value']
  const stream = (p: readonly number[], ctx: KindContext): NodeStream => {
    const f = def.make(p, ctx)
    const out = new Float64Array(1)
    return {
      update: (x) => {
        out[0] = f(x)
        return out
      },
    }
  }
  return {
    ...def,
    outputs: () => [...outs],
    stream,
    batch: def.batch ?? ((inputs, p, ctx) => runStream(stream(p, ctx), inputs, 1)),
  }
}

/** A multi-output kind built from a streaming class returning an array per bar. */
export function multiKind(
  def: Omit<FeatureKind, 'outputs' | 'batch' | 'stream'> & {
    outputs: readonly string[]
    make(p: readonly number[], ctx: KindContext): (x: Float64Array) => ArrayLike<number>
  },
): FeatureKind {
  const stream = (p: readonly number[], ctx: KindContext): NodeStream => ({ update: def.make(p, ctx) })
  return {
    ...def,
    outputs: () => [...def.outputs],
    stream,
    batch: (inputs, p, ctx) => runStream(stream(p, ctx), inputs, def.outputs.length),
  }
}
