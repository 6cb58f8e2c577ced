/**
 * Risk benchmark.
 *   1. Pre-trade check latency per order with every check on (collar, quantity, notional, position, gross, net,
 *      leverage, open orders, throttle per second and minute, duplicates, restricted list, short sale, trading
 *      hours, participation), over N orders (default 200,000) on a 500-instrument book that fills as it goes.
 *      Each check is timed alone with process.hrtime.bigint; p50 / p99 / max.
 *   2. VaR/ES of a 500-position book over 1,000 scenarios: a full recompute (setValues + historical), an
 *      incremental one-position move (setValue + historical), parametric, Cornish-Fisher, Monte Carlo (1,000 paths).
 * Peers in the same run: (1) the same checks done naively — exposure by scanning every position and open
 *   order, the throttle by filtering a list of timestamps — which must give the same verdicts; (2) scenario
 *   P&L recomputed from scratch on every move.
 * Run: node --import tsx --expose-gc bench/risk.bench.ts [orders] [runs]
 */
import os from 'node:os'
import { EventBus, Rng, makeInstrument, type Instrument, type OrderRequest } from '../src/core/index.ts'
import { BookRisk, LimitsRiskEngine, monteCarloVar, type RiskState } from '../src/risk/index.ts'

const N_ORDERS = Number(process.argv[2] ?? 200_000)
const RUNS = Number(process.argv[3] ?? 5)
const N_INST = 500
const SCEN = 1000
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
function pct(s: Float64Array, p: number): number {
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}

const instruments: Instrument[] = Array.from({ length: N_INST }, (_, i) =>
  makeInstrument({ symbol: `S${i}`, venue: i % 2 ? 'V1' : 'V2', assetClass: 'equity' }),
)
const T0 = Date.UTC(2024, 0, 2, 15, 0)
const LIMITS = {
  maxOrderQuantity: 400,
  maxOrderNotional: 60_000,
  maxPosition: 1000,
  maxGross: 60_000_000,
  maxNet: 20_000_000,
  maxLeverage: 40,
  maxOpenOrders: 2000,
  perSecond: 1000,
  perMinute: 40_000,
  dupMs: 50,
  collar: 0.05,
}
const config = {
  checks: {
    priceCollar: { maxDeviation: LIMITS.collar },
    maxOrderQuantity: LIMITS.maxOrderQuantity,
    maxOrderNotional: LIMITS.maxOrderNotional,
    maxPosition: { default: LIMITS.maxPosition },
    maxGrossExposure: LIMITS.maxGross,
    maxNetExposure: LIMITS.maxNet,
    maxLeverage: LIMITS.maxLeverage,
    maxOpenOrders: LIMITS.maxOpenOrders,
    throttle: { perSecond: LIMITS.perSecond, perMinute: LIMITS.perMinute },
    duplicateWindowMs: LIMITS.dupMs,
    restricted: ['S13', 'S77'],
    shortSale: { allowed: true, requireLocate: true },
    tradingHours: { calendars: { equity: 'NYSE' } },
    maxParticipation: { fraction: 0.05, adv: Object.fromEntries(instruments.map((i) => [i.id, 10_000])) },
  },
}

/** The workload: orders, prices and which accepted orders fill, all from one seed. */
function workload(seed: number) {
  const rng = new Rng(seed)
  const orders: OrderRequest[] = []
  for (let k = 0; k < N_ORDERS; k++) {
    const i = Math.floor(rng.uniform() * N_INST)
    const limit = rng.uniform() < 0.7
    const base = 50 + (i % 50)
    orders.push({
      clientOrderId: `O${k}`,
      strategyId: 's',
      instrumentId: instruments[i]!.id,
      side: rng.uniform() < 0.5 ? 'BUY' : 'SELL',
      type: limit ? 'LIMIT' : 'MARKET',
      quantity: 1 + Math.floor(rng.uniform() * 420),
      limitPrice: limit ? Math.round(base * (1 + 0.06 * (rng.uniform() - 0.5)) * 100) / 100 : undefined,
      timeInForce: 'GTC',
      reduceOnly: false,
      postOnly: false,
      tags: rng.uniform() < 0.8 ? ['locate'] : undefined,
    })
  }
  return orders
}

class State implements RiskState {
  time = T0
  pos = new Float64Array(N_INST)
  idx = new Map(instruments.map((x, i) => [x.id, i]))
  open = 0
  get account() {
    return {
      accountId: 'a',
      currency: 'USD',
      time: this.time,
      cash: 0,
      equity: 2e6,
      marginUsed: 0,
      marginAvailable: 0,
      leverage: 0,
    }
  }
  netQuantity(id: string) {
    return this.pos[this.idx.get(id)!]!
  }
  position() {
    return {
      instrumentId: '',
      quantity: 0,
      avgPrice: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      lastPrice: 0,
      openedAt: 0,
      updatedAt: 0,
    }
  }
  lastPrice(id: string) {
    return 50 + (this.idx.get(id)! % 50)
  }
  openOrderCount() {
    return this.open
  }
  equity() {
    return 2e6
  }
}

/** Runs the engine over the workload; every 2nd accepted order fills at once, every 3rd is canceled later. */
function runEngine(orders: OrderRequest[]): {
  lat: Float64Array
  verdicts: Uint8Array
  counters: Record<string, number>
} {
  const bus = new EventBus({ historySize: 0 })
  const risk = new LimitsRiskEngine(config, { instruments, bus, publishAccepted: false, log: () => {} })
  const st = new State()
  const lat = new Float64Array(orders.length)
  const verdicts = new Uint8Array(orders.length)
  const openIds: string[] = []
  let acc = 0
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!
    st.time = T0 + k * 2 // 500 orders/s
    const t0 = process.hrtime.bigint()
    const d = risk.check(o, st)
    lat[k] = Number(process.hrtime.bigint() - t0)
    verdicts[k] = d.accept ? 1 : 0
    if (!d.accept) continue
    acc++
    if (acc % 2 === 0) {
      const i = st.idx.get(o.instrumentId)!
      st.pos[i]! += o.side === 'BUY' ? o.quantity : -o.quantity
      risk.onFill(
        {
          fillId: 'f',
          clientOrderId: o.clientOrderId,
          strategyId: 's',
          instrumentId: o.instrumentId,
          side: o.side,
          quantity: o.quantity,
          price: st.lastPrice(o.instrumentId),
          fee: 0,
          feeCurrency: 'USD',
          liquidity: 'TAKER',
          time: st.time,
        },
        st,
      )
    } else {
      openIds.push(o.clientOrderId)
      st.open++
      if (openIds.length > 500) {
        const id = openIds.shift()!
        st.open--
        bus.publish('order.canceled', { kind: 'CANCELED', time: st.time, order: { clientOrderId: id, createdAt: 0 } })
      }
    }
  }
  return { lat, verdicts, counters: { ...risk.status().counters } }
}

/** The naive peer: the same rules, exposure by scanning positions and open orders, throttle by filtering. */
function runNaive(orders: OrderRequest[]): { lat: Float64Array; verdicts: Uint8Array } {
  const st = new State()
  const open: { id: string; i: number; side: string; q: number }[] = []
  const sent = new Map<string, number[]>()
  const dup = new Map<string, number>()
  const restricted = ['S13', 'S77']
  const lat = new Float64Array(orders.length)
  const verdicts = new Uint8Array(orders.length)
  let acc = 0
  const L = LIMITS
  const cal = {
    open: (t: number) => {
      const d = new Date(t)
      const m = d.getUTCHours() * 60 + d.getUTCMinutes()
      return m >= 14 * 60 + 30 && m < 21 * 60
    },
  }
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!
    st.time = T0 + k * 2
    const t0 = process.hrtime.bigint()
    let ok = true
    const i = st.idx.get(o.instrumentId)!
    const inst = instruments[i]!
    const last = st.lastPrice(o.instrumentId)
    const px = o.limitPrice ?? last
    const buy = o.side === 'BUY'
    if (restricted.includes(inst.symbol) || !cal.open(st.time)) ok = false
    if (ok && o.quantity > L.maxOrderQuantity) ok = false
    if (ok && o.limitPrice !== undefined && Math.abs(o.limitPrice / last - 1) > L.collar + 1e-12) ok = false
    if (ok && o.quantity * px > L.maxOrderNotional) ok = false
    if (ok && o.quantity / 10_000 > 0.05) ok = false
    let B = 0
    let S = 0
    let gross = 0
    let netL = 0
    let netS = 0
    for (let j = 0; j < N_INST; j++) {
      let b = 0
      let s = 0
      for (const x of open) {
        if (x.i !== j) continue
        if (x.side === 'BUY') b += x.q
        else s += x.q
      }
      if (j === i) [B, S] = [b, s]
      const p = st.lastPrice(instruments[j]!.id)
      const q = st.pos[j]!
      gross += Math.max(Math.abs((q + b) * p), Math.abs((q - s) * p))
      netL += (q + b) * p
      netS += (q - s) * p
      if (!ok) break
    }
    if (ok) {
      const q = st.pos[i]!
      const before = buy ? q + B : q - S
      const after = buy ? before + o.quantity : before - o.quantity
      if (!buy && after < 0 && !o.tags?.includes('locate')) ok = false
      if (ok && Math.abs(after) > L.maxPosition && Math.abs(after) > Math.abs(before)) ok = false
      const p = last
      const other = buy ? Math.abs((q - S) * p) : Math.abs((q + B) * p)
      const mine = Math.max(Math.abs((q + B) * p), Math.abs((q - S) * p))
      const g2 = gross - mine + Math.max(Math.abs(after * p), other)
      if (ok && g2 > gross + 1e-9 && (g2 > L.maxGross || g2 / 2e6 > L.maxLeverage)) ok = false
      const nb = buy ? netL : netS
      const na = nb + (buy ? o.quantity * p : -o.quantity * p)
      if (ok && Math.abs(na) > L.maxNet && Math.abs(na) > Math.abs(nb)) ok = false
      if (ok && st.open >= L.maxOpenOrders) ok = false
      const key = `s|${o.instrumentId}|${o.side}|${o.quantity}|${o.limitPrice ?? NaN}`
      const prev = dup.get(key)
      if (ok && prev !== undefined && st.time - prev < L.dupMs) ok = false
      const ts = sent.get(inst.venue) ?? []
      if (ok && ts.filter((t) => st.time - t < 1000).length >= L.perSecond) ok = false
      if (ok && ts.filter((t) => st.time - t < 60_000).length >= L.perMinute) ok = false
      if (ok) {
        dup.set(key, st.time)
        ts.push(st.time)
        sent.set(inst.venue, ts.length > L.perMinute ? ts.slice(-L.perMinute) : ts)
      }
    }
    lat[k] = Number(process.hrtime.bigint() - t0)
    verdicts[k] = ok ? 1 : 0
    if (!ok) continue
    acc++
    if (acc % 2 === 0) st.pos[i]! += buy ? o.quantity : -o.quantity
    else {
      open.push({ id: o.clientOrderId, i, side: o.side, q: o.quantity })
      st.open++
      if (open.length > 500) {
        open.shift()
        st.open--
      }
    }
  }
  return { lat, verdicts }
}

function summary(lat: Float64Array) {
  const s = Float64Array.from(lat).sort()
  return { p50: pct(s, 0.5) / 1000, p99: pct(s, 0.99) / 1000, max: s[s.length - 1]! / 1000 }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
console.log(`machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}`)
console.log(
  `workload 1: ${N_ORDERS.toLocaleString()} orders on ${N_INST} instruments, every check on, ${RUNS} runs (median of per-run percentiles)`,
)
const orders = workload(1)
const eng: { p50: number; p99: number; max: number }[] = []
const nai: { p50: number; p99: number; max: number }[] = []
let agree = true
let accepted = 0
let counters: Record<string, number> = {}
for (let r = 0; r < RUNS; r++) {
  gc()
  const a = runEngine(orders)
  gc()
  const b = runNaive(orders.slice(0, Math.min(orders.length, 20_000)))
  for (let k = 0; k < b.verdicts.length; k++)
    if (a.verdicts[k] !== b.verdicts[k]) {
      if (agree)
        console.log(`  first disagreement at order ${k}: engine ${a.verdicts[k]}, naive ${b.verdicts[k]}`, orders[k])
      agree = false
    }
  accepted = a.verdicts.reduce((s, v) => s + v, 0)
  counters = a.counters
  eng.push(summary(a.lat))
  nai.push(summary(b.lat))
}
const med = (xs: { p50: number; p99: number; max: number }[], k: 'p50' | 'p99' | 'max') => median(xs.map((x) => x[k]))
const e50 = med(eng, 'p50')
const e99 = med(eng, 'p99')
const n50 = med(nai, 'p50')
const n99 = med(nai, 'p99')
console.log(
  `  accepted ${accepted.toLocaleString()} of ${N_ORDERS.toLocaleString()}; naive peer (first 20,000 orders) gives the same verdicts: ${agree}`,
)
console.log(
  `  rejections: ${Object.entries(counters)
    .filter(([k]) => k.startsWith('risk.check.rejected.'))
    .map(([k, v]) => `${k.slice(20)} ${v}`)
    .join(', ')}`,
)
console.log(
  `  limits engine : p50 ${e50.toFixed(2)} µs  p99 ${e99.toFixed(2)} µs  max ${med(eng, 'max').toFixed(1)} µs  (aim p99 < 20 µs: ${e99 < 20 ? 'met' : 'missed'})`,
)
console.log(
  `  naive scan    : p50 ${n50.toFixed(2)} µs  p99 ${n99.toFixed(2)} µs  → engine is ${(n50 / e50).toFixed(0)}x faster at p50, ${(n99 / e99).toFixed(0)}x at p99`,
)

// Workload 2: VaR/ES of 500 positions over 1,000 scenarios.
const rng = new Rng(2)
const scen = new Float64Array(SCEN * N_INST)
for (let k = 0; k < scen.length; k++) scen[k] = 0.02 * rng.normal()
const values = Float64Array.from({ length: N_INST }, () => 10_000 * (rng.uniform() - 0.3))
const cov: number[][] = Array.from({ length: N_INST }, (_, i) =>
  Array.from({ length: N_INST }, (_, j) => (i === j ? 0.0004 : 0.0001)),
)
function time(fn: () => void, reps: number): number {
  const xs: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint()
    for (let k = 0; k < reps; k++) fn()
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6 / reps)
  }
  return median(xs)
}
const br = new BookRisk(scen, N_INST)
br.setValues(values)
let j = 0
const full = time(() => {
  br.setValues(values)
  br.historical(0.99)
}, 20)
const inc = time(() => {
  br.setValue(j % N_INST, values[j % N_INST]! * (1 + 0.01 * ((j++ % 7) - 3)))
  br.historical(0.99)
}, 200)
const naive = time(() => {
  const pnl = new Float64Array(SCEN)
  for (let s = 0; s < SCEN; s++) {
    let a = 0
    for (let i = 0; i < N_INST; i++) a += values[i]! * scen[s * N_INST + i]!
    pnl[s] = a
  }
  pnl.sort()
}, 20)
const par = time(() => void br.parametric(0.99), 200)
const cf = time(() => void br.cornishFisher(0.99), 200)
const mc = time(() => void monteCarloVar(values, cov, 0.99, 1000, 7), 3)
console.log(
  `workload 2: VaR/ES of ${N_INST} positions over ${SCEN.toLocaleString()} scenarios (median of ${RUNS} runs)`,
)
console.log(`  historical, full recompute (setValues + sort) : ${full.toFixed(3)} ms`)
console.log(
  `  historical, one position moved (setValue)      : ${inc.toFixed(3)} ms  (naive full scenario P&L + sort ${naive.toFixed(3)} ms → ${(naive / inc).toFixed(1)}x)`,
)
console.log(
  `  parametric ${par.toFixed(3)} ms, Cornish-Fisher ${cf.toFixed(3)} ms, Monte Carlo 1,000 paths incl. Cholesky ${mc.toFixed(1)} ms`,
)
