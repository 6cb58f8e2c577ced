/**
 * Runs a plan: in batch over a BarSeries (or a stored symbol), or in streaming mode one bar at a time with
 * each node's streaming twin. Both give the same numbers (tested to 1e-9); labels and features computed
 * from labels read the future and exist in batch only (NaN in streaming).
 */
import { KestrelError, type Bar, type BarSeries, type NewsItem } from '../../core/index.ts'
import { dataVersion, fxSessionsAt, seriesIngestionIds, type BarStore, type TimeRange } from '../../data/index.ts'
import type { SessionsAt } from '../price-action/index.ts'
import { newsTimeline, type NewsTimeline } from '../sentiment/index.ts'
import type { Plan, PlanNode } from './graph.ts'
import type { BarColumn, KindContext, NodeStream } from './kind.ts'

/** Options of {@link computeFeatures} and {@link FeatureStreamer}. */
export interface ComputeOptions {
  /** External series named in the spec's `extra`, aligned with the bars. */
  readonly extra?: Readonly<Record<string, Float64Array>>
  /** FX sessions for `sessions()`; default the data layer's `fxSessionsAt`. */
  readonly sessionsAt?: SessionsAt
  /**
   * News of the instrument for `sentiment()`: items (scored by their `sentiment`, else VADER on the
   * headline) or a prepared timeline. Only items published up to a bar's close affect that bar.
   */
  readonly news?: readonly NewsItem[] | NewsTimeline
  /** Called after each node with (done, total). */
  readonly onProgress?: (done: number, total: number) => void
}

/** Computed features: one column per plan column, aligned with the bars. */
export interface FeatureFrame {
  readonly instrumentId: string
  readonly timeframe: string
  /** Bar open times. */
  readonly time: Float64Array
  readonly columns: readonly string[]
  readonly values: readonly Float64Array[]
}

function barColumn(s: BarSeries, c: BarColumn): Float64Array {
  return c === 'time' ? s.openTime : s[c]
}

function context(opts: ComputeOptions): KindContext {
  const news = opts.news === undefined ? undefined : 'score' in opts.news ? opts.news : newsTimeline(opts.news)
  return { sessionsAt: opts.sessionsAt ?? fxSessionsAt, ...(news && { news }) }
}

function checkExtra(plan: Plan, n: number, extra: Readonly<Record<string, ArrayLike<number>>> | undefined): void {
  for (const name of plan.spec.extra) {
    const x = extra?.[name]
    if (x === undefined)
      throw new KestrelError('SPEC_INVALID', `extra.${name}: the spec needs the series ${name}, none was given`, {
        name,
      })
    if (n >= 0 && x.length !== n)
      throw new KestrelError('SPEC_INVALID', `extra.${name}: has ${x.length} values for ${n} bars`, { name })
  }
}

/** Computes every node of the plan in batch over `series`. */
export function computeFeatures(plan: Plan, series: BarSeries, opts: ComputeOptions = {}): FeatureFrame {
  const n = series.close.length
  checkExtra(plan, n, opts.extra)
  const ctx = context(opts)
  const outs = new Map<string, Float64Array[]>()
  plan.nodes.forEach((node, k) => {
    const inputs = node.inputs.map((r) =>
      r.type === 'bar'
        ? barColumn(series, r.column)
        : r.type === 'extra'
          ? opts.extra![r.name]!
          : outs.get(r.id)![r.output]!,
    )
    try {
      outs.set(node.id, node.kind.batch(inputs, node.params, ctx))
    } catch (e) {
      throw wrap(e, node)
    }
    opts.onProgress?.(k + 1, plan.nodes.length)
  })
  return {
    instrumentId: series.instrumentId,
    timeframe: series.timeframe,
    time: series.openTime,
    columns: plan.columns.map((c) => c.name),
    values: plan.columns.map((c) => outs.get(c.node)![c.output]!),
  }
}

function wrap(e: unknown, node: PlanNode): unknown {
  if (e instanceof KestrelError && !e.message.startsWith(node.where))
    return new KestrelError(e.code, `${node.where} (${node.id}): ${e.message}`, { ...e.details, where: node.where })
  return e
}

/** Reads a stored symbol and computes the plan over it; `dataVersion` is the bars' (see the data layer's `dataVersion`). */
export async function computeFromStore(
  plan: Plan,
  store: Pick<BarStore, 'readBars' | 'ingestions'>,
  instrumentId: string,
  timeframe: string,
  range?: TimeRange,
  opts: ComputeOptions = {},
): Promise<{ frame: FeatureFrame; dataVersion: string }> {
  const series = await store.readBars(instrumentId, timeframe, range)
  if (series.close.length === 0)
    throw new KestrelError('DATA_NOT_FOUND', `no ${timeframe} bars stored for ${instrumentId}`, {
      instrumentId,
      timeframe,
    })
  const ingestions = await seriesIngestionIds(store, instrumentId, timeframe)
  return { frame: computeFeatures(plan, series, opts), dataVersion: dataVersion([series], ingestions).dataVersion }
}

/**
 * Streaming mode: feed bars one at a time; `update` returns the plan's columns for that bar (a reused
 * array). O(1) per node per bar for most kinds, O(window) for a few (documented on each kernel).
 */
export class FeatureStreamer {
  private readonly streams: (NodeStream | undefined)[]
  private readonly values = new Map<string, ArrayLike<number>>()
  private readonly rows: Float64Array[]
  private readonly out: Float64Array
  private readonly nan: Float64Array[]

  constructor(
    readonly plan: Plan,
    opts: ComputeOptions = {},
  ) {
    checkExtra(plan, -1, Object.fromEntries(plan.spec.extra.map((e) => [e, [] as number[]])))
    const ctx = context(opts)
    this.streams = plan.nodes.map((n) => (n.forward ? undefined : n.kind.stream?.(n.params, ctx)))
    this.rows = plan.nodes.map((n) => new Float64Array(n.inputs.length))
    this.nan = plan.nodes.map((n) => new Float64Array(n.outputs.length).fill(NaN))
    this.out = new Float64Array(plan.columns.length)
  }

  /** Column names, in the order of `update`'s result. */
  get columns(): string[] {
    return this.plan.columns.map((c) => c.name)
  }

  /** Adds one bar (with this bar's value of each extra series); returns the columns. */
  update(bar: Omit<Bar, 'instrumentId' | 'timeframe'>, extra: Readonly<Record<string, number>> = {}): Float64Array {
    const nodes = this.plan.nodes
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[k]!
      const row = this.rows[k]!
      for (let i = 0; i < node.inputs.length; i++) {
        const r = node.inputs[i]!
        row[i] =
          r.type === 'bar'
            ? r.column === 'time'
              ? bar.openTime
              : bar[r.column]
            : r.type === 'extra'
              ? (extra[r.name] ?? NaN)
              : this.values.get(r.id)![r.output]!
      }
      const s = this.streams[k]
      this.values.set(node.id, s ? s.update(row) : this.nan[k]!)
    }
    this.plan.columns.forEach((c, i) => (this.out[i] = this.values.get(c.node)![c.output]!))
    return this.out
  }
}
