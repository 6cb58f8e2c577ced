/** Test fixtures: the bundled real data sets as columnar Float64Arrays (tests only; not exported). */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BarInput, IndicatorInputs } from './types.ts'

/** One bundled file as columns. */
export interface Bundled extends IndicatorInputs {
  readonly name: string
  readonly length: number
  readonly timestamp: string[]
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly volume: Float64Array
  readonly time: Float64Array
  /** MAVP's periods: a seeded series in [−3, 45), below, inside and above the period ranges tested. */
  readonly periods: Float64Array
}

const cache = new Map<string, Bundled>()

/** Reads `data/bundled/<name>.csv` (timestamp,open,high,low,close,volume). */
export function loadBundled(name: string): Bundled {
  const hit = cache.get(name)
  if (hit) return hit
  const url = new URL(`../../../data/bundled/${name}.csv`, import.meta.url)
  const lines = readFileSync(fileURLToPath(url), 'utf8').trim().split(/\r?\n/)
  const n = lines.length - 1
  const cols = Array.from({ length: 5 }, () => new Float64Array(n))
  const time = new Float64Array(n)
  const timestamp: string[] = []
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',')
    timestamp.push(f[0])
    time[i] = Date.parse(f[0])
    for (let c = 0; c < 5; c++) cols[c][i] = Number(f[c + 1])
  }
  const [open, high, low, close, volume] = cols
  const b: Bundled = { name, length: n, timestamp, open, high, low, close, volume, time, periods: testPeriods(n, 7) }
  cache.set(name, b)
  return b
}

/** Seeded MAVP periods in [−3, 45), fractional (C truncates them), for `n` bars. */
export function testPeriods(n: number, seed: number): Float64Array {
  let s = seed
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = (s / 4294967296) * 48 - 3
  }
  return out
}

/** Bar `i` of a bundled file as a streaming input. */
export function barAt(b: Bundled, i: number): BarInput {
  return {
    open: b.open[i],
    high: b.high[i],
    low: b.low[i],
    close: b.close[i],
    volume: b.volume[i],
    time: b.time[i],
    periods: b.periods[i],
  }
}

/** The data sets every indicator is checked on. */
export const ORACLE_FILES = ['SPY_1d', 'AAPL_1d', 'SPY_1m', 'BTC-USD_1m'] as const

/** |a - b| ≤ 1e-9 · max(1, |b|), with NaN only equal to NaN and an infinity only equal to itself. */
export function close(a: number, b: number, tol = 1e-9): boolean {
  if (a === b) return true
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))
}

/** Registered indicators that TA-Lib does not have (Kestrel's own): no TA-Lib oracle for them. */
export const NOT_IN_TALIB: ReadonlySet<string> = new Set(['vwap', 'keltner', 'donchian', 'ichimoku', 'supertrend'])
