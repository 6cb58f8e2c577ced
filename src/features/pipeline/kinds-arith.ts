/**
 * Arithmetic between features (`close - sma(close, 20)`, Bollinger %b): element-wise `+ - * /` of two
 * series or of a series and a number, and negation. NaN in gives NaN out (warm-up propagates); division by
 * zero gives NaN. Internal kinds: the spec writes operators, not these names.
 */
import { arith, type ArithOp } from './expr.ts'
import type { FeatureKind, NodeStream } from './kind.ts'

/** How the operands of an arithmetic node are laid out: two series, series op number, number op series, -x. */
export type ArithShape = 'xy' | 'xc' | 'cx' | 'neg'

const cache = new Map<string, FeatureKind>()

/** The kind computing `op` in `shape` (the number, when there is one, is the node's only parameter). */
export function arithKind(op: ArithOp, shape: ArithShape): FeatureKind {
  const key = `${op}${shape}`
  const hit = cache.get(key)
  if (hit) return hit
  const f: (x: number, y: number, c: number) => number =
    shape === 'xy'
      ? (x, y) => arith(op, x, y)
      : shape === 'xc'
        ? (x, _y, c) => arith(op, x, c)
        : shape === 'cx'
          ? (x, _y, c) => arith(op, c, x)
          : (x) => -x
  const kind: FeatureKind = {
    name: shape === 'neg' ? 'neg' : `arith${op}`,
    description: shape === 'neg' ? 'negation' : `element-wise ${op}`,
    bar: [],
    series: shape === 'xy' ? [{ name: 'x' }, { name: 'y' }] : [{ name: 'x' }],
    params: shape === 'xc' || shape === 'cx' ? [{ name: 'c' }] : [],
    outputs: () => ['value'],
    batch: (inputs, p) => {
      const x = inputs[0]!
      const y = inputs[1] ?? x
      const c = p[0] ?? 0
      const out = new Float64Array(x.length)
      for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, y[i]!, c)
      return [out]
    },
    stream: (p): NodeStream => {
      const c = p[0] ?? 0
      const out = new Float64Array(1)
      return {
        update: (v) => {
          out[0] = f(v[0]!, v[1] ?? NaN, c)
          return out
        },
      }
    },
  }
  cache.set(key, kind)
  return kind
}
