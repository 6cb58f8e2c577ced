/** Adapts a TA-Lib indicator from the registry to a pipeline kind: its inputs become series arguments. */
import type { BarInput, IndicatorDef, IndicatorInputs } from '../indicators/index.ts'
import type { BarColumn, FeatureKind, NodeStream } from './kind.ts'

/** The kind for an indicator: `rsi(close, 14)` or `rsi(14)` (inputs default to the bar columns it reads). */
export function indicatorKind(def: IndicatorDef): FeatureKind {
  const single = def.outputs.length === 1
  return {
    name: def.name,
    description: def.description,
    bar: [],
    series: def.inputs.map((name) => ({
      name,
      // real1 and MAVP's periods are series of their own: the spec passes them
      default: name === 'real1' || name === 'periods' ? undefined : (name as BarColumn),
    })),
    params: def.params.map((p) => ({ name: p.name, default: p.default, integer: p.integer, min: p.min, max: p.max })),
    outputs: () => (single ? ['value'] : [...def.outputs]),
    batch: (inputs, p) => {
      const named: Record<string, Float64Array> = {}
      def.inputs.forEach((name, k) => (named[name] = inputs[k]!))
      return def.compute(named as IndicatorInputs, p)
    },
    stream: (p): NodeStream => {
      const s = def.stream(p)
      const bar: Record<keyof BarInput, number> = {
        open: NaN,
        high: NaN,
        low: NaN,
        close: NaN,
        volume: NaN,
        time: NaN,
        periods: NaN,
      }
      const out = new Float64Array(def.outputs.length).fill(NaN)
      return {
        update(x) {
          def.inputs.forEach((name, k) => {
            if (name !== 'real1') bar[name] = x[k]!
          })
          const v = s.update(bar as BarInput)
          for (let k = 0; k < out.length; k++) out[k] = v === undefined ? NaN : (v[k] ?? NaN)
          return out
        },
      }
    },
  }
}
