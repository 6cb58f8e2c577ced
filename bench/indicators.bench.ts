/**
 * Indicator benchmark: every registered indicator (default TA-Lib parameters) on 1,000,000 synthetic bars (a
 * seeded random walk), timed by process CPU (process.cpuUsage around each run, after a gc; the minimum and the
 * median of the runs are kept; the table shows the minimum, the least disturbed by other load on a shared
 * machine). Beside it, the peers that have the same indicator, measured in the same run on the same bars:
 * TA-Lib C itself (bench/talib-c: TA-Lib's C source as the `talib` package ships it, gcc -O2, timed in C by
 * CLOCK_PROCESS_CPUTIME_ID), npm `talib` (the same C through its binding; plain arrays, only the call timed),
 * `tulind` (Tulip Indicators C), `trading-signals` v8 (streaming classes, `update(x, false)` per bar) and
 * `technicalindicators` (`calculate`). A native peer that is not built is skipped with a notice (`npm run bench`
 * builds them offline first: scripts/build-native.mjs).
 * Run: node --import tsx --expose-gc bench/indicators.bench.ts [bars] [name-filter,...] [--peers=talib-c,talib,...]
 *      [--runs=5] [--json=out.json]
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join } from 'node:path'
import { Rng } from '../src/core/index.ts'
import { indicatorRegistry } from '../src/features/index.ts'
import type { IndicatorDef, IndicatorInputs } from '../src/features/index.ts'

const require = createRequire(import.meta.url)
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const N = Number(positional[0] ?? 1_000_000)
const FILTER = positional[1]?.split(',')
const RUNS = Number(option('runs') ?? 5)
const PEERS = ['talib-c', 'talib', 'tulind', 'trading-signals', 'technicalindicators'] as const
type Peer = (typeof PEERS)[number]
const WANT = new Set<string>(option('peers')?.split(',') ?? PEERS)
/** A peer run costing more CPU than this is repeated 3 times instead of RUNS (the slow JS peers on 1M bars). */
const SLOW_MS = 1500
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const BUILD = join(import.meta.dirname, '..', '.bench-build')

type Run = () => unknown

/** A full collection, then a pause for V8's background threads to finish it, before an indicator's runs. */
async function settle(): Promise<void> {
  gc()
  await new Promise((r) => setTimeout(r, 100))
}

interface Timing {
  min: number
  median: number
  runs: number[]
  /** TA-Lib C only: the same call into output arrays it wrote before (no fresh pages). */
  reuse?: Timing
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function timing(ms: number[]): Timing {
  return { min: Math.min(...ms), median: median(ms), runs: ms }
}

/**
 * Process CPU milliseconds (user + system, all threads) of each run of `f`. No gc() between runs: a forced full
 * collection leaves V8's background threads sweeping into the next timed run (on this 2-core box it doubled
 * or tripled a cheap kernel's CPU); {@link settle} collects once before each indicator instead.
 */
function cpuTime(f: Run, runs = RUNS): Timing {
  const ms: number[] = []
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage()
    f()
    const d = process.cpuUsage(c)
    ms.push((d.user + d.system) / 1000)
    if (r === 0 && ms[0] > SLOW_MS) runs = Math.min(runs, 3)
  }
  return timing(ms)
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
// MAVP's periods: a seeded series over [−3, 45), below, inside and above its default [2, 30]
const periods = Float64Array.from({ length: N }, () => rng.uniform() * 48 - 3)
const inputs: IndicatorInputs = { open, high, low, close, volume, time: timeArr, periods }
/** Plain arrays for the JS peers and the bindings (only built when one of them runs: they grow the heap). */
const JS_PEERS = ['talib', 'tulind', 'trading-signals', 'technicalindicators'].some((p) => WANT.has(p))
const asArray = (a: Float64Array): number[] => (JS_PEERS ? Array.from(a) : [])
const plain = {
  open: asArray(open),
  high: asArray(high),
  low: asArray(low),
  close: asArray(close),
  volume: asArray(volume),
  periods: asArray(periods),
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
/** Loads an optional peer; a peer that is not built is skipped with a notice. */
function load<T>(peer: Peer, name: string): T | undefined {
  if (!WANT.has(peer)) return undefined
  try {
    return require(name) as T
  } catch (e) {
    console.error(`bench: skipping ${peer}: ${(e as Error).message.split('\n')[0]} (npm run bench builds it)`)
    return undefined
  }
}
const talib = load<Talib>('talib', 'talib')
const talibNames = new Set(talib?.functions.map((f) => f.name) ?? [])
type TulindFn = (inputs: number[][], options: number[], cb: (err: unknown, res: number[][]) => void) => void
const tulind =
  load<{ indicators: Record<string, { indicator: TulindFn; input_names: string[] }> }>('tulind', 'tulind')
    ?.indicators ?? {}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ts = (WANT.has('trading-signals') ? require('trading-signals') : {}) as Record<string, any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ti = (WANT.has('technicalindicators') ? require('technicalindicators') : {}) as Record<string, any>

function talibRun(def: IndicatorDef, p: readonly number[]): Run | undefined {
  const name = def.name.toUpperCase()
  if (!talib || !talibNames.has(name)) return undefined
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

const ohlcv = (WANT.has('trading-signals') ? plain.close : []).map((c, i) => ({
  open: plain.open[i],
  high: plain.high[i],
  low: plain.low[i],
  close: c,
  volume: plain.volume[i],
}))

function tsRun(def: IndicatorDef, p: readonly number[]): Run | undefined {
  const m = WANT.has('trading-signals') ? TS[def.name] : undefined
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

// ---- TA-Lib C (bench/talib-c): one short process per indicator, run right before Kestrel's runs ----
const talibExe = join(BUILD, 'talib-c', 'talib-bench')
const barsFile = join(BUILD, `bars-${N}.f64`)
let haveTalibC = false
if (WANT.has('talib-c')) {
  if (!existsSync(talibExe)) {
    console.error(`bench: skipping TA-Lib C: ${talibExe} is not built (npm run bench builds it with make)`)
  } else {
    mkdirSync(BUILD, { recursive: true })
    const bytes = new Float64Array(1 + 5 * N)
    bytes[0] = N
    ;[open, high, low, close, volume].forEach((c, k) => bytes.set(c, 1 + k * N))
    writeFileSync(barsFile, bytes)
    haveTalibC = true
  }
}

/** TA-Lib C's CPU times for `def` on the same bars, or undefined when TA-Lib has no such function. */
function talibC(def: IndicatorDef, p: readonly number[]): Timing | undefined {
  if (!haveTalibC || (talib && !talibNames.has(def.name.toUpperCase()))) return undefined
  // the C harness reads the OHLCV columns only
  if (def.inputs.includes('periods')) return undefined
  const job = `${def.name.toUpperCase()} ${def.inputs.join(' ')} -- ${p.join(' ')}\n`
  const out = execFileSync(talibExe, [barsFile, String(RUNS)], { input: job })
  const r = JSON.parse(out.toString()) as { ms?: number[]; reuse?: number[]; error?: string }
  return r.ms ? { ...timing(r.ms), reuse: timing(r.reuse ?? r.ms) } : undefined
}

function gccVersion(): string {
  try {
    return execFileSync('gcc', ['--version']).toString().split('\n')[0]!
  } catch {
    return 'gcc not found'
  }
}

// ---- run ----
const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const defs = [...indicatorRegistry.values()].filter((d) => !FILTER || FILTER.some((f) => d.name.includes(f)))
const load0 = os.loadavg()
console.log(
  `Workload: every registered indicator, default TA-Lib parameters, ${N.toLocaleString('en-US')} bars (seeded random walk)`,
)
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${gccVersion()} (TA-Lib C at -O2); load average ${load0.map((x) => x.toFixed(1)).join(' ')}`,
)
console.log(
  `Both sides write fresh output arrays each call (TA-Lib C: malloc'd per run; "C, reused out": into arrays it wrote before).\n` +
    `Process CPU ms, minimum of ${RUNS} runs (3 when a run exceeds ${SLOW_MS} ms). kestrel ÷ C: above 1× = Kestrel slower than TA-Lib C; other peers: peer ÷ Kestrel, above 1× = Kestrel faster\n`,
)
const shown = PEERS.filter((p) => WANT.has(p) && (p !== 'talib-c' || haveTalibC))
const others = shown.filter((p) => p !== 'talib-c')
console.log(
  `| indicator | kestrel ms |${haveTalibC ? ' TA-Lib C ms | kestrel ÷ C | C, reused out ms |' : ''} ${others.join(' | ')}${others.length ? ' |' : ''}`,
)
console.log(
  `|---|---:|${haveTalibC ? '---:|---:|---:|' : ''}${others.map(() => '---:').join('|')}${others.length ? '|' : ''}`,
)
const results: Record<string, unknown>[] = []
for (const def of defs) {
  const p = def.params.map((x) => x.default)
  const c = talibC(def, p)
  await settle()
  const ours = cpuTime(() => def.compute(inputs, p))
  const row: Record<string, unknown> = { name: def.name, params: p, kestrel: ours }
  const cells: string[] = []
  if (haveTalibC) {
    row['talib-c'] = c
    cells.push(
      c ? c.min.toFixed(1) : '',
      c ? `${(ours.min / c.min).toFixed(2)}×` : '',
      c?.reuse ? c.reuse.min.toFixed(1) : '',
    )
  }
  const runs: Record<string, Run | undefined> = {
    talib: talibRun(def, p),
    tulind: tulindRun(def, p),
    'trading-signals': tsRun(def, p),
    technicalindicators: WANT.has('technicalindicators') ? TI[def.name]?.(p) : undefined,
  }
  for (const peer of others) {
    const f = runs[peer]
    if (!f) {
      cells.push('')
      continue
    }
    try {
      await settle()
      const t = cpuTime(f)
      row[peer] = t
      cells.push(`${t.min.toFixed(1)} (${(t.min / ours.min).toFixed(2)}×)`)
    } catch (e) {
      cells.push(`error: ${(e as Error).message.slice(0, 40)}`)
    }
  }
  results.push(row)
  console.log(`| ${def.name}(${p.join(',')}) | ${ours.min.toFixed(1)} | ${cells.join(' | ')} |`)
}
const load1 = os.loadavg()
console.log(`\nload average at the end: ${load1.map((x) => x.toFixed(1)).join(' ')}`)
if (haveTalibC) {
  const ratios = results
    .filter((r) => r['talib-c'])
    .map((r) => ({ name: r.name as string, x: (r.kestrel as Timing).min / (r['talib-c'] as Timing).min }))
    .sort((a, b) => b.x - a.x)
  const over = ratios.filter((r) => r.x > 1.5)
  console.log(
    `Kestrel above 1.5× TA-Lib C: ${over.length === 0 ? 'none' : over.map((r) => `${r.name} ${r.x.toFixed(2)}×`).join(', ')}`,
  )
}
const json = option('json')
if (json) {
  writeFileSync(
    json,
    JSON.stringify({ bars: N, runs: RUNS, cpu, node: process.version, load0, load1, results }, null, 1),
  )
}
