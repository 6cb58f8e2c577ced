/**
 * The indicator contract. Every indicator has a batch kernel over Float64Array (TA-Lib semantics: NaN inside
 * the lookback) and a streaming twin with O(1) updates that shares the same step function.
 */

/** One bar's worth of input for a streaming indicator. Single-input indicators read `close` (TA-Lib's `real`). */
export interface BarInput {
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  /** Bar open time, epoch ms (session-anchored indicators such as VWAP need it). */
  readonly time: number
  /** MAVP's period for this bar (its second input series); NaN or absent counts as MAVP's minimum period. */
  readonly periods?: number
}

/** A live indicator: O(1) per update; `replace` recomputes the last value (a still-forming bar). */
export interface StreamingIndicator<TIn = number, TOut = number> {
  update(input: TIn, replace?: boolean): TOut | undefined
  /** True once the output equals what the batch kernel gives at the same bar. */
  readonly isStable: boolean
  /** The last output, or undefined inside the lookback. */
  readonly value: TOut | undefined
  reset(): void
}

/** Input series of a batch call, by TA-Lib input name. */
export interface IndicatorInputs {
  readonly open?: Float64Array
  readonly high?: Float64Array
  readonly low?: Float64Array
  readonly close?: Float64Array
  readonly volume?: Float64Array
  /** Bar open times, epoch ms. */
  readonly time?: Float64Array
  /** A second series for two-input indicators (CORREL, BETA): `real0` is close, `real1` is this. */
  readonly real1?: Float64Array
  /** MAVP's period of each bar (TA-Lib's `periods` input). */
  readonly periods?: Float64Array
}

/** Name of an input series (a key of {@link IndicatorInputs}). */
export type InputName = 'open' | 'high' | 'low' | 'close' | 'volume' | 'time' | 'real1' | 'periods'

/** One parameter of an indicator, with TA-Lib's name, default and range. */
export interface ParamDef {
  /** TA-Lib's parameter name, e.g. `timeperiod`, `fastperiod`, `nbdevup`, `matype`. */
  readonly name: string
  readonly default: number
  readonly min?: number
  readonly max?: number
  readonly integer: boolean
}

/** What the registry knows about an indicator: enough for the CLI spec parser, the feature pipeline and tests. */
export interface IndicatorDef {
  /** TA-Lib function name in lower case (`rsi`, `macd`, `bbands`); Kestrel extras too (`vwap`, `supertrend`). */
  readonly name: string
  readonly description: string
  readonly inputs: readonly InputName[]
  /** Parameters in TA-Lib's order. */
  readonly params: readonly ParamDef[]
  /** Output names as in TA-Lib's Python abstract API (`real` for single-output indicators). */
  readonly outputs: readonly string[]
  /** Number of leading NaN outputs for these params (TA-Lib's lookback). */
  lookback(params: readonly number[]): number
  /** Batch kernel: one Float64Array per output, same length as the input. */
  compute(inputs: IndicatorInputs, params: readonly number[]): Float64Array[]
  /** Streaming twin: outputs in the same order as `outputs`. */
  stream(params: readonly number[]): StreamingIndicator<BarInput, number[]>
  /** Non-default parameter sets the oracle and streaming tests also run (optional; TA-Lib order, full length). */
  readonly testParams?: readonly (readonly number[])[]
}
