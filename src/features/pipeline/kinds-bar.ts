/** Pipeline kinds over bars: price action, volatility, microstructure, support/resistance. */
import {
  CandleFeatures,
  CANDLE_OUTPUTS,
  CALENDAR_OUTPUTS,
  calendarAt,
  LogReturn,
  logReturns,
} from '../price-action/index.ts'
import { SESSION_OUTPUTS, sessionFlagsAt } from '../price-action/index.ts'
import { EwmaVol, RollingVol, type VolEstimator } from '../volatility/index.ts'
import { Amihud, CorwinSchultz, KyleLambda, RollSpread, Vpin } from '../microstructure/index.ts'
import { FractalPivots, SR_OUTPUTS, SupportResistance, levelHeatmap, type Pivot } from '../levels/index.ts'
import { multiKind, runStream, streamKind, type FeatureKind, type NodeStream } from './kind.ts'

const PPY = { name: 'periodsPerYear', default: 1, min: Number.MIN_VALUE }
const WINDOW = { name: 'window', integer: true, min: 2 }

function volKind(name: string, kind: VolEstimator, description: string): FeatureKind {
  return streamKind({
    name,
    description,
    bar: ['open', 'high', 'low', 'close'],
    series: [],
    params: [WINDOW, PPY],
    make: (p) => {
      const s = new RollingVol(kind, { window: p[0]!, periodsPerYear: p[1]! })
      const bar = { open: 0, high: 0, low: 0, close: 0 }
      return (x) => {
        bar.open = x[0]!
        bar.high = x[1]!
        bar.low = x[2]!
        bar.close = x[3]!
        return s.update(bar)
      }
    },
  })
}

/** Heat map of pivot density on `bins` cells from close·(1 − rangePct) to close·(1 + rangePct). */
function heatmapStream(p: readonly number[]): NodeStream {
  const pivots = new FractalPivots(p[0]!)
  const lookback = p[1]!
  const bins = p[2]!
  const live: Pivot[] = []
  const out = new Float64Array(bins)
  let t = -1
  return {
    update(x) {
      t++
      for (const q of pivots.update(x[0]!, x[1]!)) live.push(q)
      while (live.length > 0 && live[0]!.index <= t - lookback) live.shift()
      if (live.length === 0) return out.fill(NaN)
      const prices = live.map((q) => q.price)
      out.set(levelHeatmap(prices, x[2]!, { bins, rangePct: p[3]!, bandwidth: (p[3]! * x[2]!) / bins }).density)
      return out
    },
  }
}

/** Kinds reading bar columns. */
export const BAR_KINDS: readonly FeatureKind[] = [
  streamKind({
    name: 'logret',
    description: 'log return over `horizon` bars: ln(x_t / x_{t-h})',
    bar: [],
    series: [{ name: 'x', default: 'close' }],
    params: [{ name: 'horizon', default: 1, integer: true, min: 1 }],
    make: (p) => {
      const s = new LogReturn(p[0]!)
      return (x) => s.update(x[0]!)
    },
    batch: (inputs, p) => [logReturns(inputs[0]!, p[0]!)],
  }),
  multiKind({
    name: 'candle',
    description: 'range, rangePct, trueRangeNorm, upperWick, lowerWick, body, gap',
    bar: ['open', 'high', 'low', 'close'],
    series: [],
    params: [],
    outputs: CANDLE_OUTPUTS,
    make: () => {
      const s = new CandleFeatures()
      return (x) => s.update(x[0]!, x[1]!, x[2]!, x[3]!)
    },
  }),
  multiKind({
    name: 'calendar',
    description: 'UTC day of week and time of day of the bar open, with sin/cos encodings',
    bar: ['time'],
    series: [],
    params: [],
    outputs: CALENDAR_OUTPUTS,
    make: () => {
      const out = new Float64Array(CALENDAR_OUTPUTS.length)
      return (x) => calendarAt(x[0]!, out)
    },
  }),
  multiKind({
    name: 'sessions',
    description: 'FX session flags (asia, london, newYork) at the bar open',
    bar: ['time'],
    series: [],
    params: [],
    outputs: SESSION_OUTPUTS,
    make: (_p, ctx) => {
      const out = new Float64Array(3)
      return (x) => sessionFlagsAt(x[0]!, ctx.sessionsAt, out)
    },
  }),
  volKind('ccvol', 'closeToClose', 'close-to-close volatility over `window` returns'),
  volKind('parkinson', 'parkinson', 'Parkinson high-low volatility'),
  volKind('garmanklass', 'garmanKlass', 'Garman-Klass OHLC volatility'),
  volKind('rogerssatchell', 'rogersSatchell', 'Rogers-Satchell volatility'),
  volKind('yangzhang', 'yangZhang', 'Yang-Zhang volatility'),
  streamKind({
    name: 'ewmavol',
    description: 'RiskMetrics EWMA volatility of a return series',
    bar: [],
    series: [{ name: 'returns' }],
    params: [{ name: 'lambda', default: 0.94, min: 0, max: 1 }, PPY],
    make: (p) => {
      const s = new EwmaVol({ lambda: p[0]!, periodsPerYear: p[1]! })
      return (x) => s.update(x[0]!)
    },
  }),
  streamKind({
    name: 'kyle',
    description: "Kyle's lambda over `window` price changes",
    bar: ['close', 'volume'],
    series: [],
    params: [{ ...WINDOW, min: 3 }],
    make: (p) => {
      const s = new KyleLambda(p[0]!)
      return (x) => s.update(x[0]!, x[1]!)
    },
  }),
  streamKind({
    name: 'amihud',
    description: 'Amihud illiquidity over `window` returns',
    bar: ['close', 'volume'],
    series: [],
    params: [{ ...WINDOW, min: 1 }],
    make: (p) => {
      const s = new Amihud(p[0]!)
      return (x) => s.update(x[0]!, x[1]!)
    },
  }),
  streamKind({
    name: 'roll',
    description: 'Roll spread over `window` pairs of price changes',
    bar: ['close'],
    series: [],
    params: [{ ...WINDOW, min: 3 }],
    make: (p) => {
      const s = new RollSpread(p[0]!)
      return (x) => s.update(x[0]!)
    },
  }),
  streamKind({
    name: 'corwinschultz',
    description: 'Corwin-Schultz spread averaged over `window` two-bar estimates',
    bar: ['high', 'low'],
    series: [],
    params: [{ ...WINDOW, min: 1 }],
    make: (p) => {
      const s = new CorwinSchultz(p[0]!)
      return (x) => s.update(x[0]!, x[1]!)
    },
  }),
  streamKind({
    name: 'vpin',
    description: 'VPIN with bulk volume classification',
    bar: ['close', 'volume'],
    series: [],
    params: [
      { name: 'bucketVolume', min: Number.MIN_VALUE },
      { name: 'buckets', default: 50, integer: true, min: 1 },
      { name: 'sigmaWindow', default: 100, integer: true, min: 2 },
    ],
    make: (p) => {
      const s = new Vpin({ bucketVolume: p[0]!, buckets: p[1]!, sigmaWindow: p[2]! })
      return (x) => s.update(x[0]!, x[1]!)
    },
  }),
  multiKind({
    name: 'levels',
    description: 'distance to the nearest KDE support/resistance level above and below, and their strengths',
    bar: ['high', 'low', 'close'],
    series: [],
    params: [
      { name: 'n', default: 2, integer: true, min: 1 },
      { name: 'lookback', default: 500, integer: true, min: 3 },
      { name: 'bandwidthPct', default: 0, min: 0, max: 1 },
    ],
    outputs: SR_OUTPUTS,
    make: (p) => {
      const s = new SupportResistance({ n: p[0]!, lookback: p[1]!, bandwidthPct: p[2]! > 0 ? p[2]! : undefined })
      return (x) => s.update(x[0]!, x[1]!, x[2]!)
    },
  }),
  {
    name: 'levelheat',
    description: 'pivot-level density on `bins` price cells around the close (h0 lowest … centre = close)',
    bar: ['high', 'low', 'close'],
    series: [],
    params: [
      { name: 'n', default: 2, integer: true, min: 1 },
      { name: 'lookback', default: 500, integer: true, min: 3 },
      { name: 'bins', default: 11, integer: true, min: 2, max: 101 },
      { name: 'rangePct', default: 0.02, min: 1e-6, max: 1 },
    ],
    outputs: (p) => Array.from({ length: p[2]! }, (_, k) => `h${k}`),
    stream: (p) => heatmapStream(p),
    batch: (inputs, p) => runStream(heatmapStream(p), inputs, p[2]!),
  },
]
