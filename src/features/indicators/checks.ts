/**
 * The one place that checks what an indicator is given: parameters against TA-Lib's ranges (PARAM_INVALID naming
 * the indicator and the parameter: `rsi(timeperiod): expected integer ≥ 2, got 0`), input series (present, one
 * length), and output arrays (long enough). Kernels, streaming twins and {@link defineIndicator} all call these.
 */
import { KestrelError, formatValue } from '../../core/index.ts'
import type { IndicatorInputs, InputName, ParamDef } from './types.ts'

/** TA-Lib's upper bound for periods. */
export const MAX_PERIOD = 100000

/** The PARAM_INVALID error for `ind(name)`. */
export function paramError(ind: string, name: string, expected: string, got: unknown): KestrelError {
  return new KestrelError('PARAM_INVALID', `${ind}(${name}): expected ${expected}, got ${formatValue(got)}`, {
    indicator: ind,
    param: name,
    expected,
    got,
  })
}

/** Throws PARAM_INVALID unless `v` is an integer in [min, max]: `rsi(timeperiod): expected integer ≥ 2, got 0`. */
export function intParam(ind: string, name: string, v: number, min: number, max = MAX_PERIOD): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    const expected = max >= MAX_PERIOD ? `integer ≥ ${min}` : `integer in [${min}, ${max}]`
    throw paramError(ind, name, expected, v)
  }
  return v
}

/** Throws PARAM_INVALID unless `v` is a finite number in [min, max]. */
export function realParam(ind: string, name: string, v: number, min: number, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw paramError(ind, name, max === Infinity ? `number ≥ ${min}` : `number in [${min}, ${max}]`, v)
  }
  return v
}

/** An integer parameter definition (TA-Lib `integer_range`). */
export function pInt(name: string, def: number, min: number, max = MAX_PERIOD): ParamDef {
  return { name, default: def, min, max, integer: true }
}

/** A real parameter definition (TA-Lib `real_range`). */
export function pReal(name: string, def: number, min: number, max: number): ParamDef {
  return { name, default: def, min, max, integer: false }
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

/** Throws PARAM_INVALID unless every named series is a Float64Array and all have one length; returns it. */
export function checkInputs(ind: string, ...series: readonly (readonly [string, Float64Array | undefined])[]): number {
  let n = -1
  for (const [name, s] of series) {
    if (!(s instanceof Float64Array)) {
      throw new KestrelError('PARAM_INVALID', `${ind}: input ${name} is missing (expected a Float64Array)`, {
        indicator: ind,
        input: name,
      })
    }
    if (n < 0) n = s.length
    else if (s.length !== n) {
      throw new KestrelError(
        'PARAM_INVALID',
        `${ind}: input ${name} has length ${s.length}, expected ${n} like ${series[0]![0]}`,
        { indicator: ind, input: name, length: s.length, expected: n },
      )
    }
  }
  return n
}

/** The named input series of a batch call, checked by {@link checkInputs}, in `names` order. */
export function requireInputs(ind: string, inputs: IndicatorInputs, names: readonly InputName[]): Float64Array[] {
  checkInputs(ind, ...names.map((name) => [name, inputs[name]] as const))
  return names.map((name) => inputs[name]!)
}

/** Returns `out` if it is long enough, else a new array of length `n`. Throws PARAM_INVALID when too short. */
export function outArray(ind: string, n: number, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(n)
  if (out.length < n) throw paramError(ind, 'out', `Float64Array of length ≥ ${n}`, out.length)
  return out
}

/** Fills `out[from, to)` with NaN. */
export function nanFill(out: Float64Array, from: number, to: number): void {
  if (to > from) out.fill(NaN, from, Math.min(to, out.length))
}
