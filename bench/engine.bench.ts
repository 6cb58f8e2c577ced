/**
 * Engine benchmark: the event-driven backtest (data engine → simulated exchange → portfolio → indicators →
 * strategy → risk → execution) with an EMA(10)/EMA(30) long-only cross, market orders and 10 bps fees.
 *   1. 1,000,000 one-minute bars of one symbol.
 *   2. 50 symbols × 200,000 bars (10,000,000 bars, one strategy instance per symbol), merged in time order.
 *   3. The order path alone: one market order per bar (buy, then sell), each filled at the next bar's open. The
 *      cost of an order from submit to its fill in the portfolio is the run's CPU time minus that of the same run
 *      with a strategy that does not trade, per order; measured with nothing recorded and with everything.
 *   4. The bar path alone: 1,000,000 bars through a strategy that does not trade (bars per CPU-second).
 *   5. Peak memory of a streamed run of synthetic bars generated on the fly in chunks (default 100,000,000;
 *      in a child process so its peak RSS is its own). Orders, fills and trades are counted, not kept.
 * Peer in the same run: a hand-written loop doing the same EMA cross with no engine (the floor); its final
 * equity must equal the engine's, so both did the same work.
 * Run: node --import tsx --expose-gc bench/engine.bench.ts [streamedBars] [runs]
 */
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { allocBarSeries, makeInstrument, type BarSeries, type Instrument } from '../src/core/index.ts'
import { randomBars, runBacktest, type BacktestOptions } from '../src/engine/index.ts'
import { defineStrategy, emaCross, type StrategyDefinition } from '../src/strategy/index.ts'
import { z } from 'zod'

const FAST = 10
const SLOW = 30
const SIZE = 10
const FEE = 0.001
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`
const rate = (bars: number, ms: number) => `${(((bars / ms) * 1000) / 1e6).toFixed(2)} M bars/s`

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const ema = emaCross as unknown as StrategyDefinition

/** The floor: the same EMA cross, decided at the close, filled at the next open, no engine. Returns final equity. */
function handLoop(s: BarSeries, cash0: number): number {
  const n = s.close.length
  const kf = 2 / (FAST + 1)
  const ks = 2 / (SLOW + 1)
  let f = 0
  let sl = 0
  let sumF = 0
  let sumS = 0
  let prev = NaN
  let cash = cash0
  let pos = 0
  let pending = 0 // +1 buy, -1 sell at the next open
  for (let i = 0; i < n; i++) {
    if (pending !== 0) {
      const px = s.open[i]!
      const q = pending > 0 ? SIZE : pos
      cash -= pending * q * px + q * px * FEE
      pos += pending * q
      pending = 0
    }
    const c = s.close[i]!
    if (i < FAST) sumF += c
    if (i < SLOW) sumS += c
    f = i + 1 < FAST ? NaN : i + 1 === FAST ? sumF / FAST : (c - f) * kf + f
    sl = i + 1 < SLOW ? NaN : i + 1 === SLOW ? sumS / SLOW : (c - sl) * ks + sl
    if (i + 1 < SLOW) continue
    const d = f - sl
    if (!Number.isNaN(prev)) {
      if (prev <= 0 && d > 0 && pos === 0) pending = 1
      else if (prev >= 0 && d < 0 && pos > 0) pending = -1
    }
    prev = d
  }
  return cash + pos * s.close[n - 1]!
}

function options(insts: Instrument[], data: BarSeries[], record?: BacktestOptions['record']): BacktestOptions {
  return {
    instruments: insts,
    feeds: insts.map((i, k) => ({ instrumentId: i.id, timeframe: '1m', data: { ...data[k]!, instrumentId: i.id } })),
    strategies: insts.map((i) => ({
      definition: ema,
      id: `ema-${i.symbol}`,
      instruments: [i.id],
      params: { fast: FAST, slow: SLOW, size: SIZE },
    })),
    account: { cash: 1e6 * insts.length },
    fees: { type: 'percent', takerRate: FEE, makerRate: FEE },
    ...(record ? { record } : {}),
  }
}

async function measure(label: string, bars: number, runs: number, engine: () => Promise<number>, peer: () => number) {
  const e: number[] = []
  const ec: number[] = []
  const p: number[] = []
  let eqE = 0
  let eqP = 0
  for (let r = 0; r < runs; r++) {
    gc()
    let t = performance.now()
    const c0 = process.cpuUsage()
    eqE = await engine()
    e.push(performance.now() - t)
    const c = process.cpuUsage(c0)
    ec.push((c.user + c.system) / 1000)
    gc()
    t = performance.now()
    eqP = peer()
    p.push(performance.now() - t)
  }
  if (Math.abs(eqE - eqP) > 1e-6 * Math.abs(eqP)) throw new Error(`${label}: engine equity ${eqE} != hand loop ${eqP}`)
  const me = median(e)
  const mp = median(p)
  console.log(
    `\n${label}: ${bars.toLocaleString('en-US')} bars, median of ${runs} (final equity ${eqE.toFixed(2)} in both)`,
  )
  const mc = median(ec)
  console.log(
    `  kestrel engine    ${me.toFixed(0).padStart(7)} ms  ${rate(bars, me)}   (process CPU time ${mc.toFixed(0)} ms: ${rate(bars, mc)})`,
  )
  console.log(
    `  hand-written loop ${mp.toFixed(0).padStart(7)} ms  ${rate(bars, mp)}   engine/loop time ratio ${(me / mp).toFixed(1)}x`,
  )
}

/** Records nothing but counts and a daily curve. */
const NOTHING: BacktestOptions['record'] = {
  orders: false,
  fills: false,
  trades: false,
  positions: false,
  curveIntervalMs: 86_400_000,
}

/** One market order of 1 per bar, buy then sell (`trade`), or nothing at all: the same handler otherwise. */
function pingPong(trade: boolean): StrategyDefinition {
  return defineStrategy({
    name: trade ? 'ping-pong' : 'idle',
    params: z.object({}),
    create(ctx) {
      const id = ctx.instruments[0]!.id
      let k = 0
      return {
        onBar() {
          if (trade) ctx.submit(ctx.orders.market(id, (k++ & 1) === 0 ? 'BUY' : 'SELL', 1))
        },
      }
    },
  }) as unknown as StrategyDefinition
}

async function cpuRun(
  inst: Instrument,
  s: BarSeries,
  def: StrategyDefinition,
  record?: BacktestOptions['record'],
): Promise<{ cpu: number; wall: number; orders: number; bars: number }> {
  gc()
  const t = performance.now()
  const c0 = process.cpuUsage()
  const r = await runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: s }],
    strategies: [{ definition: def }],
    account: { cash: 1e9 },
    fees: { type: 'percent', takerRate: FEE },
    ...(record ? { record } : {}),
  })
  const c = process.cpuUsage(c0)
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t, orders: r.stats.orders, bars: r.stats.bars }
}

/** The order path: µs of CPU per order from submit to the fill in the portfolio (trading run − idle run). */
async function orderPath(runs: number): Promise<void> {
  const inst = makeInstrument({ symbol: 'ORD', venue: 'SIM', assetClass: 'equity' })
  const N = 200_000
  const s = randomBars(7, N, inst.id)
  console.log(`\norder path: ${N.toLocaleString('en-US')} bars, one market order of 1 per bar, median of ${runs}`)
  for (const [label, record] of [
    ['nothing recorded', NOTHING],
    ['everything recorded (default)', undefined],
  ] as const) {
    const per: number[] = []
    const cpus: number[] = []
    let orders = 0
    for (let r = 0; r < runs; r++) {
      const idle = await cpuRun(inst, s, pingPong(false), record)
      const busy = await cpuRun(inst, s, pingPong(true), record)
      orders = busy.orders
      cpus.push(busy.cpu)
      per.push(((busy.cpu - idle.cpu) * 1000) / busy.orders)
    }
    console.log(
      `  ${label.padEnd(30)} ${orders.toLocaleString('en-US')} orders in ${median(cpus).toFixed(0)} ms CPU: ${median(per).toFixed(2)} µs per order, submit to fill in the portfolio`,
    )
  }
}

/** The bar path: bars per CPU-second through a strategy that does not trade. */
async function barPath(runs: number): Promise<void> {
  const inst = makeInstrument({ symbol: 'BAR', venue: 'SIM', assetClass: 'equity' })
  const N = 1_000_000
  const s = randomBars(3, N, inst.id)
  const cpu: number[] = []
  const wall: number[] = []
  for (let r = 0; r < runs; r++) {
    const x = await cpuRun(inst, s, pingPong(false))
    if (x.bars !== N) throw new Error(`bar path: ${x.bars} bars of ${N}`)
    cpu.push(x.cpu)
    wall.push(x.wall)
  }
  console.log(`\nbar path: ${N.toLocaleString('en-US')} bars, a strategy that does not trade, median of ${runs}`)
  console.log(
    `  kestrel engine    ${median(wall).toFixed(0).padStart(7)} ms  ${rate(N, median(wall))}   (process CPU time ${median(cpu).toFixed(0)} ms: ${rate(N, median(cpu))})`,
  )
}

/** Child mode: a streamed synthetic run of `n` bars generated in reused 65,536-bar chunks. */
async function streamed(n: number): Promise<void> {
  const inst = makeInstrument({ symbol: 'SYN', venue: 'SIM', assetClass: 'crypto', tickSize: 0.01, lotSize: 1 })
  const CH = 65_536
  const buf = allocBarSeries(inst.id, '1m', CH)
  let peakHeap = 0
  const liveHeap: number[] = []
  function* gen(): Generator<BarSeries> {
    // Log price follows a slowly mean-reverting walk around 100, so a long run never drifts to a stuck price.
    let x = 0
    let p = 100
    let seed = 12345
    const u = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296
    for (let i0 = 0; i0 < n; i0 += CH) {
      const m = Math.min(CH, n - i0)
      for (let j = 0; j < m; j++) {
        const t = (i0 + j) * 60_000
        const o = p
        x = 0.99999 * x + (u() - 0.5) * 0.004
        const c = Math.round(100 * Math.exp(x) * 100) / 100
        buf.openTime[j] = t
        buf.closeTime[j] = t + 60_000
        buf.open[j] = o
        buf.high[j] = Math.max(o, c) + 0.01
        buf.low[j] = Math.min(o, c) - 0.01
        buf.close[j] = c
        buf.volume[j] = 1000
        p = c
      }
      const h = process.memoryUsage().heapUsed
      if (h > peakHeap) peakHeap = h
      if ((i0 / CH) % 128 === 64) {
        gc() // live heap after a full collection, every ~8.4M bars: flat when nothing accumulates
        liveHeap.push(Math.round(process.memoryUsage().heapUsed / 2 ** 20))
      }
      yield m === CH
        ? buf
        : {
            ...buf,
            openTime: buf.openTime.subarray(0, m),
            closeTime: buf.closeTime.subarray(0, m),
            open: buf.open.subarray(0, m),
            high: buf.high.subarray(0, m),
            low: buf.low.subarray(0, m),
            close: buf.close.subarray(0, m),
            volume: buf.volume.subarray(0, m),
          }
    }
  }
  const t = performance.now()
  const r = await runBacktest({
    instruments: [inst],
    feeds: [{ instrumentId: inst.id, timeframe: '1m', data: gen() }],
    strategies: [{ definition: ema, params: { fast: FAST, slow: SLOW, size: SIZE } }],
    account: { cash: 1e9 },
    fees: { type: 'percent', takerRate: FEE },
    record: NOTHING,
  })
  const ms = performance.now() - t
  console.log(
    JSON.stringify({
      bars: r.stats.bars,
      fills: r.stats.fills,
      ms,
      peakRss: process.resourceUsage().maxRSS * 1024,
      peakHeap,
      liveHeap,
      curve: r.equity.time.length,
    }),
  )
}

async function main(): Promise<void> {
  if (process.argv[2] === '--streamed') return streamed(Number(process.argv[3]))
  const big = Number(process.argv[2] ?? 100_000_000)
  const runs = Number(process.argv[3] ?? 3)
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  console.log('Wall-clock rates are only meaningful on an idle machine: compare the load average with the cores.')
  console.log(
    `engine bench — ${cpu}, ${os.cpus().length} cores, Node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  )
  console.log(
    `EMA(${FAST})/EMA(${SLOW}) long-only cross, market orders of ${SIZE}, fees ${FEE * 1e4} bps, 1-minute random-walk bars`,
  )

  const one = makeInstrument({ symbol: 'ONE', venue: 'SIM', assetClass: 'equity' })
  const s1 = randomBars(1, 1_000_000, one.id)
  await measure(
    '1 symbol × 1,000,000 bars',
    1_000_000,
    runs,
    async () => (await runBacktest(options([one], [s1]))).finalEquity,
    () => handLoop(s1, 1e6),
  )

  const SYMS = 50
  const N = 200_000
  const distinct = Array.from({ length: 5 }, (_, k) => randomBars(100 + k, N, 'X'))
  const insts = Array.from({ length: SYMS }, (_, k) =>
    makeInstrument({ symbol: `S${k}`, venue: 'SIM', assetClass: 'equity' }),
  )
  const data = insts.map((_, k) => distinct[k % 5]!)
  await measure(
    `${SYMS} symbols × ${N.toLocaleString('en-US')} bars`,
    SYMS * N,
    runs,
    async () => (await runBacktest(options(insts, data))).finalEquity,
    () => data.reduce((a, s) => a + handLoop(s, 1e6), 0),
  )

  await orderPath(runs)
  await barPath(runs)

  console.log(
    `\nstreamed run: ${big.toLocaleString('en-US')} synthetic bars generated in 65,536-bar chunks (child process)`,
  )
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), '--streamed', String(big)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  )
  if (r.status !== 0) throw new Error(`streamed run failed: ${r.stderr}`)
  const x = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    bars: number
    fills: number
    ms: number
    peakRss: number
    peakHeap: number
    liveHeap: number[]
    curve: number
  }
  console.log(
    `  ${x.bars.toLocaleString('en-US')} bars, ${x.fills.toLocaleString('en-US')} fills in ${(x.ms / 1000).toFixed(1)} s (${rate(x.bars, x.ms)}, generation included); peak RSS ${mb(x.peakRss)}, peak heap ${mb(x.peakHeap)}, ${x.curve} daily curve points`,
  )
  console.log(`  live heap after a full GC every ~8.4M bars (MB): ${x.liveHeap.join(', ')}`)
  console.log('\nNautilusTrader publishes about 0.5–1.1 million events per second for its Rust backtest engine.')
}

await main()
