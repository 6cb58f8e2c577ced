/**
 * TA-Lib's math transforms (ACOS … TANH: one function of each value) and math operators (ADD, SUB, MULT, DIV: one
 * function of two series, TA-Lib's `real0` and `real1`, read as high and low like CORREL). Lookback 0; each output
 * depends on its own bar only. The batch kernel and the streaming twin call the same one-line function, so they
 * agree by construction; NaN and infinities follow IEEE arithmetic as in TA-Lib's C.
 */
import type { IndicatorDef } from '../types.ts'
import { checkInputs, outArray } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** The one-value transforms, by TA-Lib name in lower case. */
export const MATH_TRANSFORMS = {
  acos: Math.acos,
  asin: Math.asin,
  atan: Math.atan,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  exp: Math.exp,
  floor: Math.floor,
  ln: Math.log,
  log10: Math.log10,
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  tan: Math.tan,
  tanh: Math.tanh,
} as const satisfies Record<string, (x: number) => number>

/** Name of a math transform. */
export type MathTransformName = keyof typeof MATH_TRANSFORMS

/** The two-series operators, by TA-Lib name in lower case. */
export const MATH_OPERATORS = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mult: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
} as const satisfies Record<string, (a: number, b: number) => number>

/** Name of a math operator. */
export type MathOperatorName = keyof typeof MATH_OPERATORS

/** Applies the transform `name` to every value (TA-Lib ACOS, ASIN, … TANH). */
export function mathTransform(name: MathTransformName, values: Float64Array, out?: Float64Array): Float64Array {
  const f = MATH_TRANSFORMS[name]
  const n = checkInputs(name, ['real', values])
  const o = outArray(name, n, out)
  for (let i = 0; i < n; i++) o[i] = f(values[i]!)
  return o
}

/** Applies the operator `name` bar by bar: `real0 op real1` (TA-Lib ADD, SUB, MULT, DIV). */
export function mathOperator(
  name: MathOperatorName,
  real0: Float64Array,
  real1: Float64Array,
  out?: Float64Array,
): Float64Array {
  const f = MATH_OPERATORS[name]
  const n = checkInputs(name, ['real0', real0], ['real1', real1])
  const o = outArray(name, n, out)
  for (let i = 0; i < n; i++) o[i] = f(real0[i]!, real1[i]!)
  return o
}

/** The state of a per-bar map: the last output. */
class MapState {
  value = NaN
}

const TRANSFORM_TEXT: Record<MathTransformName, string> = {
  acos: 'Vector trigonometric ACos',
  asin: 'Vector trigonometric ASin',
  atan: 'Vector trigonometric ATan',
  ceil: 'Vector ceil',
  cos: 'Vector trigonometric Cos',
  cosh: 'Vector trigonometric Cosh',
  exp: 'Vector arithmetic Exp',
  floor: 'Vector floor',
  ln: 'Vector log natural',
  log10: 'Vector log10',
  sin: 'Vector trigonometric Sin',
  sinh: 'Vector trigonometric Sinh',
  sqrt: 'Vector square root',
  tan: 'Vector trigonometric Tan',
  tanh: 'Vector trigonometric Tanh',
}

const OPERATOR_TEXT: Record<MathOperatorName, string> = {
  add: 'Vector arithmetic add (real0 + real1)',
  sub: 'Vector arithmetic subtraction (real0 − real1)',
  mult: 'Vector arithmetic multiply (real0 · real1)',
  div: 'Vector arithmetic divide (real0 / real1)',
}

function transformDef(name: MathTransformName): IndicatorDef {
  const f = MATH_TRANSFORMS[name]
  return defineIndicator({
    name,
    description: TRANSFORM_TEXT[name],
    inputs: ['close'],
    params: [],
    outputs: ['real'],
    lookback: () => 0,
    make: () => new MapState(),
    feed: (s, b) => {
      s.value = f(b.close)
    },
    read: (s) => [s.value],
    compute: ([x]) => [mathTransform(name, x!)],
  })
}

function operatorDef(name: MathOperatorName): IndicatorDef {
  const f = MATH_OPERATORS[name]
  return defineIndicator({
    name,
    description: OPERATOR_TEXT[name],
    inputs: ['high', 'low'],
    params: [],
    outputs: ['real'],
    lookback: () => 0,
    make: () => new MapState(),
    feed: (s, b) => {
      s.value = f(b.high, b.low)
    },
    read: (s) => [s.value],
    compute: ([a, b]) => [mathOperator(name, a!, b!)],
  })
}

/** Registry entries of the math transforms, in TA-Lib's order. */
export const mathTransformDefs: readonly IndicatorDef[] = (Object.keys(MATH_TRANSFORMS) as MathTransformName[]).map(
  transformDef,
)

/** Registry entries of the math operators ADD, SUB, MULT, DIV. */
export const mathOperatorDefs: readonly IndicatorDef[] = (Object.keys(MATH_OPERATORS) as MathOperatorName[]).map(
  operatorDef,
)
