/**
 * Indicator benchmark: every registered indicator (default TA-Lib parameters) on 1,000,000 synthetic bars (a
 * seeded random walk), median of 5 runs, beside the peers that have the same indicator, measured in the same run:
 * npm `talib` (TA-Lib C through its binding; plain arrays, only the call timed), `tulind` (Tulip Indicators C),
 * `trading-signals` v8 (streaming classes, `update(x, false)` per bar) and `technicalindicators` (`calculate`).
 * Each peer cell shows its time and, in parentheses, peer time / Kestrel time (above 1× = Kestrel is faster).
 * Run: node --import tsx --expose-gc bench/indicators.bench.ts [bars] [name-filter,...]
 */
import { createRequire } from 'node:module'
import os from 'node:os'
import { Rng } from '../src/core/index.ts'
import { indicatorRegistry } from '../src/features/index.ts'
import type { IndicatorDef, IndicatorInputs } from '../src/features/index.ts'

const require = createRequire(import.meta.url)
const N = Number(process.argv[2] ?? 1_000_000)
const FILTER = process.argv[3]?.split(',')
const RUNS = 5
/** A peer run longer than this is repeated 3 times instead of 5 (the slow JS peers on 1M bars). */
const SLOW_MS = 1500
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

type Run = () => unknown

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function time(f: Run, runs = RUNS): number {
  const ms: number[] = []
  for (let r = 0; r < runs; r++) {
    gc()
    const t = performance.now()
    f()
    ms.push(performance.now() - t)
    if (r === 0 && ms[0] > SLOW_MS) runs = 3
  }
  return median(ms)
}

// ---- data: a seeded random walk with consistent OHLCV ----
const rng = new Rng(42)
const open = new Float64Array(N)
const high = new Float64Array(N)
const low = new Float64Array(N)
const close = new Float64Array(N)
const volume = new Float64Array(N)
const timeArr = new Float64Array(N)
let px = 100
for (let i = 0; i < N; i++) {
  const o = px
  px = Math.max(1, px * (1 + 0.002 * rng.normal()))
  const c = px
  open[i] = o
  close[i] = c
  high[i] = Math.max(o, c) * (1 + 0.001 * rng.uniform())
  low[i] = Math.min(o, c) * (1 - 0.001 * rng.uniform())
  volume[i] = Math.round(1000 + 9000 * rng.uniform())
  timeArr[i] = 1_700_000_000_000 + i * 60_000
}
const inputs: IndicatorInputs = { open, high, low, close, volume, time: timeArr }
const plain = {
  open: Array.from(open),
  high: Array.from(high),
  low: Array.from(low),
  close: Array.from(close),
  volume: Array.from(volume),
}

// ---- peers ----
interface Talib {
  execute(a: Record<string, unknown>): unknown
  explain(n: string): {
    inputs: { name: string; type: string; flags?: Record<string, string> }[]
    optInputs: { name: string }[]
  }
  functions: { name: string }[]
}
const talib = require('talib') as Talib
const talibNames = new Set(talib.functions.map((f) => f.name))
type TulindFn = (inputs: number[][], options: number[], cb: (err: unknown, res: number[][]) => void) => void
const tulind = (require('tulind') as { indicators: Record<string, { indicator: TulindFn; input_names: string[] }> })
  .indicators
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ts = require('trading-signals') as Record<string, any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ti = require('technicalindicators') as Record<string, any>

function talibRun(def: IndicatorDef, p: readonly number[]): Run | undefined {
  const name = def.name.toUpperCase()
  if (!talibNames.has(name)) return undefined
  const ex = talib.explain(name)
  const args: Record<string, unknown> = { name, startIdx: 0, endIdx: N - 1 }
  let r = 0
  for (const inp of ex.inputs) {
    if (inp.type === 'price') {
      for (const f of Object.values(inp.flags ?? {})) args[f] = plain[f as keyof typeof plain]
    } else {
      const f = def.inputs.filter((x) => !ex.inputs.some((i) => Object.values(i.flags ?? {}).includes(x)))[r++]
      args[inp.name] = plain[f as keyof typeof plain]
    }
  }
  ex.optInputs.forEach((o, i) => (args[o.name] = p[i]))
  return () => talib.execute(args)
}

/** tulind name and options from our (TA-Lib-ordered) params. */
const TULIND: Record<string, [string, (p: readonly number[]) => number[]]> = {
  sma: ['sma', (p) => [p[0]]],
  ema: ['ema', (p) => [p[0]]],
  wma: ['wma', (p) => [p[0]]],
  dema: ['dema', (p) => [p[0]]],
  tema: ['tema', (p) => [p[0]]],
  trima: ['trima', (p) => [p[0]]],
  kama: ['kama', (p) => [p[0]]],
  macd: ['macd', (p) => [p[0], p[1], p[2]]],
  apo: ['apo', (p) => [p[0], p[1]]],
  ppo: ['ppo', (p) => [p[0], p[1]]],
  bbands: ['bbands', (p) => [p[0], p[1]]],
  stddev: ['stddev', (p) => [p[0]]],
  var: ['var', (p) => [p[0]]],
  linearreg: ['linreg', (p) => [p[0]]],
  linearreg_slope: ['linregslope', (p) => [p[0]]],
  linearreg_intercept: ['linregintercept', (p) => [p[0]]],
  tsf: ['tsf', (p) => [p[0]]],
  min: ['min', (p) => [p[0]]],
  max: ['max', (p) => [p[0]]],
  sum: ['sum', (p) => [p[0]]],
  rsi: ['rsi', (p) => [p[0]]],
  cmo: ['cmo', (p) => [p[0]]],
  mom: ['mom', (p) => [p[0]]],
  roc: ['roc', (p) => [p[0]]],
  rocr: ['rocr', (p) => [p[0]]],
  trix: ['trix', (p) => [p[0]]],
  stochrsi: ['stochrsi', (p) => [p[0]]],
  atr: ['atr', (p) => [p[0]]],
  natr: ['natr', (p) => [p[0]]],
  adx: ['adx', (p) => [p[0]]],
  adxr: ['adxr', (p) => [p[0]]],
  dx: ['dx', (p) => [p[0]]],
  cci: ['cci', (p) => [p[0]]],
  willr: ['willr', (p) => [p[0]]],
  mfi: ['mfi', (p) => [p[0]]],
  aroon: ['aroon', (p) => [p[0]]],
  aroonosc: ['aroonosc', (p) => [p[0]]],
  ultosc: ['ultosc', (p) => [p[0], p[1], p[2]]],
  stoch: ['stoch', (p) => [p[0], p[1], p[3]]],
  bop: ['bop', () => []],
  obv: ['obv', () => []],
  ad: ['ad', () => []],
  adosc: ['adosc', (p) => [p[0], p[1]]],
  sar: ['psar', (p) => [p[0], p[1]]],
  trange: ['tr', () => []],
}

function tulindRun(def: IndicatorDef, p: readonly number[]): Run | undefined {
  const m = TULIND[def.name]
  if (!m || !tulind[m[0]]) return undefined
  const ind = tulind[m[0]]
  const ins = ind.input_names.map((n) => plain[(n === 'real' ? 'close' : n) as keyof typeof plain])
  const opts = m[1](p)
  return () => ind.indicator(ins, opts, () => {})
}

/** trading-signals: a fresh streaming object per run, fed every bar. */
const TS: Record<
  string,
  (p: readonly number[]) => [() => { update(x: unknown, r: boolean): unknown }, 'close' | 'bar']
> = {
  sma: (p) => [() => new ts.SMA(p[0]), 'close'],
  ema: (p) => [() => new ts.EMA(p[0]), 'close'],
  wma: (p) => [() => new ts.WMA(p[0]), 'close'],
  dema: (p) => [() => new ts.DEMA(p[0]), 'close'],
  tema: (p) => [() => new ts.TEMA(p[0]), 'close'],
  trima: (p) => [() => new ts.TRIMA(p[0]), 'close'],
  kama: (p) => [() => new ts.KAMA(p[0]), 'close'],
  t3: (p) => [() => new ts.T3(p[0], p[1]), 'close'],
  mama: (p) => [() => new ts.MAMA({ fastLimit: p[0], slowLimit: p[1] }), 'close'],
  ht_trendline: () => [() => new ts.HTTrendline(), 'close'],
  linearreg: (p) => [() => new ts.LinearRegression(p[0]), 'close'],
  macd: (p) => [() => new ts.MACD(new ts.EMA(p[0]), new ts.EMA(p[1]), new ts.EMA(p[2])), 'close'],
  apo: (p) => [() => new ts.APO({ fastPeriod: p[0], slowPeriod: p[1] }), 'close'],
  ppo: (p) => [() => new ts.PPO({ fastPeriod: p[0], slowPeriod: p[1] }), 'close'],
  bbands: (p) => [() => new ts.BollingerBands(p[0], p[1]), 'close'],
  rsi: (p) => [() => new ts.RSI(p[0]), 'close'],
  cmo: (p) => [() => new ts.CMO(p[0]), 'close'],
  mom: (p) => [() => new ts.MOM(p[0]), 'close'],
  roc: (p) => [() => new ts.ROC(p[0]), 'close'],
  trix: (p) => [() => new ts.TRIX(p[0]), 'close'],
  atr: (p) => [() => new ts.ATR(p[0]), 'bar'],
  natr: (p) => [() => new ts.NATR(p[0]), 'bar'],
  adx: (p) => [() => new ts.ADX(p[0]), 'bar'],
  adxr: (p) => [() => new ts.ADXR(p[0]), 'bar'],
  dx: (p) => [() => new ts.DX(p[0]), 'bar'],
  cci: (p) => [() => new ts.CCI(p[0]), 'bar'],
  willr: (p) => [() => new ts.WilliamsR(p[0]), 'bar'],
  trange: () => [() => new ts.TR(), 'bar'],
  stoch: (p) => [() => new ts.StochasticOscillator({ kPeriod: p[0], kSlowingPeriod: p[1], dPeriod: p[3] }), 'bar'],
  aroon: (p) => [() => new ts.Aroon(p[0]), 'bar'],
  mfi: (p) => [() => new ts.MFI(p[0]), 'bar'],
  ultosc: (p) => [() => new ts.UltimateOscillator({ shortPeriod: p[0], mediumPeriod: p[1], longPeriod: p[2] }), 'bar'],
  ad: () => [() => new ts.AD(), 'bar'],
  adosc: (p) => [() => new ts.ADOSC({ fastPeriod: p[0], slowPeriod: p[1] }), 'bar'],
  sar: (p) => [() => new ts.PSAR({ accelerationStep: p[0], accelerationMax: p[1] }), 'bar'],
  bop: () => [() => new ts.BOP(), 'bar'],
}

const ohlcv = plain.close.map((c, i) => ({
  open: plain.open[i],
  high: plain.high[i],
  low: plain.low[i],
  close: c,
  volume: plain.volume[i],
}))

function tsRun(def: IndicatorDef, p: readonly number[]): Run | undefined {
  const m = TS[def.name]
  if (!m) return undefined
  const [make, kind] = m(p)
  const bars = kind === 'bar' ? ohlcv : undefined
  return () => {
    const ind = make()
    if (bars) for (let i = 0; i < N; i++) ind.update(bars[i], false)
    else for (let i = 0; i < N; i++) ind.update(plain.close[i], false)
  }
}

/** technicalindicators: `calculate` over the whole series. */
const TI: Record<string, (p: readonly number[]) => () => unknown> = {
  sma: (p) => () => ti.SMA.calculate({ period: p[0], values: plain.close }),
  ema: (p) => () => ti.EMA.calculate({ period: p[0], values: plain.close }),
  wma: (p) => () => ti.WMA.calculate({ period: p[0], values: plain.close }),
  macd: (p) => () =>
    ti.MACD.calculate({
      values: plain.close,
      fastPeriod: p[0],
      slowPeriod: p[1],
      signalPeriod: p[2],
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    }),
  bbands: (p) => () => ti.BollingerBands.calculate({ period: p[0], stdDev: p[1], values: plain.close }),
  stddev: (p) => () => ti.SD.calculate({ period: p[0], values: plain.close }),
  max: (p) => () => ti.Highest.calculate({ period: p[0], values: plain.close }),
  min: (p) => () => ti.Lowest.calculate({ period: p[0], values: plain.close }),
  sum: (p) => () => ti.Sum.calculate({ period: p[0], values: plain.close }),
  rsi: (p) => () => ti.RSI.calculate({ period: p[0], values: plain.close }),
  roc: (p) => () => ti.ROC.calculate({ period: p[0], values: plain.close }),
  trix: (p) => () => ti.TRIX.calculate({ period: p[0], values: plain.close }),
  atr: (p) => () => ti.ATR.calculate({ period: p[0], high: plain.high, low: plain.low, close: plain.close }),
  adx: (p) => () => ti.ADX.calculate({ period: p[0], high: plain.high, low: plain.low, close: plain.close }),
  cci: (p) => () => ti.CCI.calculate({ period: p[0], high: plain.high, low: plain.low, close: plain.close }),
  willr: (p) => () => ti.WilliamsR.calculate({ period: p[0], high: plain.high, low: plain.low, close: plain.close }),
  mfi: (p) => () =>
    ti.MFI.calculate({ period: p[0], high: plain.high, low: plain.low, close: plain.close, volume: plain.volume }),
  obv: () => () => ti.OBV.calculate({ close: plain.close, volume: plain.volume }),
  ad: () => () => ti.ADL.calculate({ high: plain.high, low: plain.low, close: plain.close, volume: plain.volume }),
  trange: () => () => ti.TrueRange.calculate({ high: plain.high, low: plain.low, close: plain.close }),
  sar: (p) => () => ti.PSAR.calculate({ high: plain.high, low: plain.low, step: p[0], max: p[1] }),
}

// ---- run ----
const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `Workload: every registered indicator, default TA-Lib parameters, ${N.toLocaleString('en-US')} bars (seeded random walk)`,
)
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}; median of ${RUNS} runs (3 when a run exceeds ${SLOW_MS} ms)`,
)
console.log('Cells: milliseconds (peer ms / Kestrel ms; above 1× = Kestrel faster)\n')
const PEERS = ['talib', 'tulind', 'trading-signals', 'technicalindicators'] as const
console.log(`| indicator | kestrel ms | ${PEERS.join(' | ')} |`)
console.log(`|---|---:|${PEERS.map(() => '---:').join('|')}|`)
const slower: string[] = []
const defs = [...indicatorRegistry.values()].filter((d) => !FILTER || FILTER.some((f) => d.name.includes(f)))
for (const def of defs) {
  const p = def.params.map((x) => x.default)
  const ours = time(() => def.compute(inputs, p))
  const cells: string[] = []
  const runs: (Run | undefined)[] = [talibRun(def, p), tulindRun(def, p), tsRun(def, p), TI[def.name]?.(p)]
  runs.forEach((f, k) => {
    if (!f) return cells.push('')
    try {
      const ms = time(f)
      if (ms < ours) slower.push(`${def.name} vs ${PEERS[k]}`)
      cells.push(`${ms.toFixed(1)} (${(ms / ours).toFixed(2)}×)`)
    } catch (e) {
      cells.push(`error: ${(e as Error).message.slice(0, 40)}`)
    }
  })
  console.log(`| ${def.name}(${p.join(',')}) | ${ours.toFixed(1)} | ${cells.join(' | ')} |`)
}
console.log(`\nKestrel slower than a peer: ${slower.length === 0 ? 'none' : slower.join(', ')}`)
