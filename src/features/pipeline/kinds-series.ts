/** Pipeline kinds over series: transforms, fractional differences, regimes, labels, cross-asset. */
import { RollingSum } from '../common/rolling.ts'
import { FracDiff, fracDiff } from '../fracdiff/index.ts'
import { CusumFilter, HmmFilter, TrendRegime, VolatilityRegime, fitHmm, type GaussianHmm } from '../regimes/index.ts'
import { fixedHorizonLabels, tripleBarrier } from '../labels/index.ts'
import { RelativeStrength, RollingBeta, relativeStrength } from '../cross-asset/index.ts'
import { multiKind, runStream, streamKind, type FeatureKind, type NodeStream } from './kind.ts'

const X = { name: 'x', default: 'close' } as const
const WINDOW = { name: 'window', integer: true, min: 2 }

/** Rolling z-score of a series: (x − mean) / sample std over `window` values (NaN while any is NaN). */
function zscoreStream(window: number): (x: number) => number {
  const s = new RollingSum(window)
  return (x) => {
    s.push(x)
    const sd = Math.sqrt(s.variance(1))
    return sd > 0 ? (x - s.mean()) / sd : NaN
  }
}

/** The HMM node: fit on the first `fitBars` bars (finite values), then filter; NaN before bar fitBars − 1. */
function hmmStream(states: number, fitBars: number): NodeStream {
  const head: number[] = []
  let filter: HmmFilter | undefined
  let t = -1
  const out = new Float64Array(states + 1).fill(NaN)
  const emit = (p: Float64Array) => {
    let best = 0
    for (let k = 1; k < states; k++) if (p[k]! > p[best]!) best = k
    out[0] = Number.isNaN(p[0]!) ? NaN : best
    for (let k = 0; k < states; k++) out[k + 1] = p[k]!
  }
  return {
    update(x) {
      t++
      const v = x[0]!
      if (filter) {
        emit(filter.update(v))
        return out
      }
      head.push(v)
      if (t < fitBars - 1) return out
      const model: GaussianHmm = fitHmm(Float64Array.from(head.filter(Number.isFinite)), { states }).model
      filter = new HmmFilter(model)
      for (const h of head) emit(filter.update(h))
      return out
    },
  }
}

/** Kinds reading series (and a few bar columns). */
export const SERIES_KINDS: readonly FeatureKind[] = [
  streamKind({
    name: 'log',
    description: 'natural logarithm',
    bar: [],
    series: [X],
    params: [],
    make: () => (x) => Math.log(x[0]!),
  }),
  streamKind({
    name: 'lag',
    description: 'the value `n` bars ago',
    bar: [],
    series: [X],
    params: [{ name: 'n', default: 1, integer: true, min: 1 }],
    make: (p) => {
      const n = p[0]!
      const buf = new Float64Array(n).fill(NaN)
      let i = 0
      return (x) => {
        const old = buf[i % n]!
        buf[i++ % n] = x[0]!
        return old
      }
    },
  }),
  streamKind({
    name: 'zscore',
    description: 'rolling z-score over `window` values',
    bar: [],
    series: [X],
    params: [WINDOW],
    make: (p) => {
      const z = zscoreStream(p[0]!)
      return (x) => z(x[0]!)
    },
  }),
  streamKind({
    name: 'fracdiff',
    description: 'fixed-width fractional difference of order d (AFML ch. 5)',
    bar: [],
    series: [X],
    params: [
      { name: 'd', min: 0, max: 2 },
      { name: 'threshold', default: 1e-4, min: 1e-8, max: 1 },
    ],
    make: (p) => {
      const s = new FracDiff({ d: p[0]!, threshold: p[1]! })
      return (x) => s.update(x[0]!)
    },
    batch: (inputs, p) => [fracDiff(inputs[0]!, { d: p[0]!, threshold: p[1]! })],
  }),
  {
    name: 'hmm',
    description: 'Gaussian HMM fitted on the first `fitBars` bars, then filtered online: state and p0..pK-1',
    bar: [],
    series: [{ name: 'x' }],
    params: [
      { name: 'states', default: 2, integer: true, min: 1, max: 6 },
      { name: 'fitBars', integer: true, min: 20 },
    ],
    outputs: (p) => ['state', ...Array.from({ length: p[0]! }, (_, k) => `p${k}`)],
    stream: (p) => hmmStream(p[0]!, p[1]!),
    batch: (inputs, p) => runStream(hmmStream(p[0]!, p[1]!), inputs, p[0]! + 1),
  },
  streamKind({
    name: 'volregime',
    description: 'volatility regime 0/1/2 by rank in the trailing `window`',
    bar: [],
    series: [{ name: 'vol' }],
    params: [WINDOW],
    make: (p) => {
      const s = new VolatilityRegime({ window: p[0]! })
      return (x) => s.update(x[0]!)
    },
  }),
  multiKind({
    name: 'trendregime',
    description: 'trend regime -1/0/+1 from the t-ratio of the log-price slope',
    bar: [],
    series: [X],
    params: [
      { name: 'window', integer: true, min: 3 },
      { name: 'threshold', default: 2, min: 0 },
    ],
    outputs: ['label', 'tStat'],
    make: (p) => {
      const s = new TrendRegime(p[0]!, p[1]!)
      return (x) => s.update(x[0]!)
    },
  }),
  streamKind({
    name: 'cusum',
    description: 'symmetric CUSUM events (+1/-1/0) on log changes with threshold h',
    bar: [],
    series: [X],
    params: [{ name: 'h', min: Number.MIN_VALUE }],
    make: (p) => {
      const s = new CusumFilter(p[0]!)
      return (x) => s.update(x[0]!)
    },
  }),
  {
    name: 'triplebarrier',
    description: 'triple-barrier label of every bar: label, t1 (close time of the touch), ret, barrier',
    label: true,
    bar: ['close', 'closeTime'],
    series: [{ name: 'vol' }],
    params: [
      { name: 'profitTake', default: 1, min: 0 },
      { name: 'stopLoss', default: 1, min: 0 },
      { name: 'maxHold', integer: true, min: 1 },
    ],
    timeOutputs: ['t1'],
    outputs: () => ['label', 't1', 'ret', 'barrier'],
    batch: (inputs, p) => {
      const [close, closeTime, vol] = inputs as [Float64Array, Float64Array, Float64Array]
      const r = tripleBarrier(close, vol, { profitTake: p[0]!, stopLoss: p[1]!, maxHold: p[2]! })
      const t1 = r.t1.map((j) => (Number.isNaN(j) ? NaN : closeTime[j]!))
      return [r.label, t1, r.ret, r.barrier]
    },
  },
  {
    name: 'metalabel',
    description:
      'meta-label of a side series (+1/-1, else no bet): 1 if the triple barrier says the side was right, else 0',
    label: true,
    bar: ['close', 'closeTime'],
    series: [{ name: 'side' }, { name: 'vol' }],
    params: [
      { name: 'profitTake', default: 1, min: 0 },
      { name: 'stopLoss', default: 1, min: 0 },
      { name: 'maxHold', integer: true, min: 1 },
    ],
    timeOutputs: ['t1'],
    outputs: () => ['label', 't1', 'ret', 'barrier'],
    batch: (inputs, p) => {
      const [close, closeTime, side, vol] = inputs as [Float64Array, Float64Array, Float64Array, Float64Array]
      const r = tripleBarrier(close, vol, { profitTake: p[0]!, stopLoss: p[1]!, maxHold: p[2]! }, undefined, side)
      const t1 = r.t1.map((j) => (Number.isNaN(j) ? NaN : closeTime[j]!))
      return [r.label, t1, r.ret, r.barrier]
    },
  },
  {
    name: 'fixedhorizon',
    description: 'fixed-horizon label: label, t1 (close time of bar t+h), ret',
    label: true,
    bar: ['closeTime'],
    series: [X],
    params: [
      { name: 'horizon', integer: true, min: 1 },
      { name: 'threshold', default: 0, min: 0 },
    ],
    timeOutputs: ['t1'],
    outputs: () => ['label', 't1', 'ret'],
    batch: (inputs, p) => {
      const [closeTime, x] = inputs as [Float64Array, Float64Array]
      const r = fixedHorizonLabels(x, { horizon: p[0]!, threshold: p[1]! })
      return [r.label, r.t1.map((j) => (Number.isNaN(j) ? NaN : closeTime[j]!)), r.ret]
    },
  },
  ...(['xcorr', 'xbeta'] as const).map((name, k) =>
    streamKind({
      name,
      description:
        k === 0 ? 'rolling correlation of log returns with a benchmark' : 'rolling beta of log returns to a benchmark',
      bar: [],
      series: [X, { name: 'bench' }],
      params: [{ name: 'window', integer: true, min: 3 }],
      make: (p) => {
        const s = new RollingBeta(p[0]!)
        return (x) => s.update(x[0]!, x[1]!)[k]!
      },
    }),
  ),
  streamKind({
    name: 'relstrength',
    description: 'relative strength: window log return of x minus that of the benchmark',
    bar: [],
    series: [X, { name: 'bench' }],
    params: [{ name: 'window', integer: true, min: 1 }],
    make: (p) => {
      const s = new RelativeStrength(p[0]!)
      return (x) => s.update(x[0]!, x[1]!)
    },
    batch: (inputs, p) => [relativeStrength(inputs[0]!, inputs[1]!, p[0]!)],
  }),
]
