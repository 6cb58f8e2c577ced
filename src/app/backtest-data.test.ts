import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { z } from 'zod'
import { makeInstrument, type BarSeries } from '../core/index.ts'
import { MemoryStore, type BarStore } from '../data/index.ts'
import { randomBars, runBacktest, type BacktestOptions } from '../engine/index.ts'
import { defineStrategy, smaCross, type StrategyDefinition } from '../strategy/index.ts'
import { backtest } from './backtest.ts'
import { openStoredSeries, storeBarFeed, wholeSeries } from './backtest-data.ts'
import { importFiles } from './data.ts'

const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'crypto' })
const N = 1000
const CHUNK = 64

/** A store whose streams record, for each chunk handed out, how many bars the strategy had seen by then. */
function watched(store: BarStore, seen: () => number): { store: BarStore; pulls: { size: number; seen: number }[] } {
  const pulls: { size: number; seen: number }[] = []
  const proxy = Object.create(store) as BarStore
  proxy.streamBars = async function* (id, tf, range, chunkSize) {
    for await (const c of store.streamBars(id, tf, range, chunkSize)) {
      pulls.push({ size: c.openTime.length, seen: seen() })
      yield c
    }
  }
  return { store: proxy, pulls }
}

function options(feedData: BacktestOptions['feeds'][number], counter: StrategyDefinition): BacktestOptions {
  return {
    instruments: [inst],
    feeds: [feedData],
    strategies: [
      { definition: smaCross as unknown as StrategyDefinition, params: { fast: 5, slow: 20, size: 1 } },
      { definition: counter },
    ],
    account: { cash: 1_000_000, type: 'cash' },
    fees: { type: 'percent', takerRate: 0.001 },
  }
}

describe('store-backed backtest feed', () => {
  it('is consumed chunk by chunk as the run goes, and fills as the whole series does', async () => {
    const series = randomBars(7, N, inst.id)
    const mem = new MemoryStore()
    await mem.init()
    await mem.upsertInstrument(inst)
    await mem.writeBars(series)
    let bars = 0
    const counter = defineStrategy({
      name: 'counter',
      params: z.object({}),
      create: () => ({ onBar: () => void bars++ }),
    }) as unknown as StrategyDefinition
    const { store, pulls } = watched(mem, () => bars)
    const streamed = await runBacktest(options(storeBarFeed(store, inst.id, '1m', {}, CHUNK), counter))
    assert.equal(bars, N)
    assert.equal(pulls.length, Math.ceil(N / CHUNK))
    assert.ok(
      pulls.every((p) => p.size <= CHUNK),
      JSON.stringify(pulls.map((p) => p.size)),
    )
    // Chunk k is read only once the run has gone through the bars before it: never the whole range up front.
    for (const [k, p] of pulls.entries()) assert.ok(p.seen >= (k - 1) * CHUNK, `chunk ${k} pulled after ${p.seen} bars`)
    bars = 0
    const whole = await runBacktest(options({ instrumentId: inst.id, timeframe: '1m', data: series }, counter))
    assert.ok(whole.fills.length > 10)
    assert.equal(JSON.stringify(streamed.fills), JSON.stringify(whole.fills))
    assert.equal(streamed.finalEquity, whole.finalEquity)
  })

  it('streams the range again on every pass (the benchmark run), cut to the range', async () => {
    const series = randomBars(3, 300, inst.id)
    const mem = new MemoryStore()
    await mem.init()
    await mem.upsertInstrument(inst)
    await mem.writeBars(series)
    const range = { from: series.openTime[10]!, to: series.openTime[250]! }
    const loaded = await openStoredSeries(mem, { symbol: 'TEST', range, chunkSize: 16, where: 'memory' })
    assert.equal(loaded.instrument.id, inst.id)
    assert.equal(loaded.timeframe, '1m')
    const a: BarSeries = await wholeSeries(loaded)
    const b: BarSeries = await wholeSeries(loaded)
    assert.equal(a.openTime.length, 240)
    assert.deepEqual([...b.openTime], [...series.openTime.subarray(10, 250)])
    assert.deepEqual([...a.close], [...series.close.subarray(10, 250)])
  })

  it('refuses a chunk size that is not a positive integer', () => {
    assert.throws(() => storeBarFeed(new MemoryStore(), inst.id, '1m', {}, 0), /chunkSize: expected a positive integer/)
  })
})

describe('backtest from a store (app)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-app-store-bt-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the same fills whatever the chunk size, and writes the tearsheet with the stored prices', async () => {
    const db = join(dir, 'k.duckdb')
    await importFiles([resolve('data/bundled/SPY_1d.csv')], { venue: 'XNAS' }, { db, env: {} })
    const run = (chunkSize?: number, report?: string) =>
      backtest(
        {
          data: [],
          store: { db, env: {} },
          symbols: ['SPY'],
          range: { from: Date.UTC(2010, 0, 1), to: Date.UTC(2016, 0, 1) },
          chunkSize,
          strategy: 'sma-cross',
          params: { fast: 10, slow: 30, size: 100 },
          cash: 100_000,
        },
        report ? { report } : {},
      )
    const small = await run(7)
    const html = join(dir, 'r.html')
    const big = await run(undefined, html)
    assert.equal(small.result.stats.bars, 1510)
    assert.equal(small.title, 'sma-cross on SPY')
    assert.ok(small.result.fills.length > 20)
    assert.equal(JSON.stringify(small.result.fills), JSON.stringify(big.result.fills))
    assert.ok(existsSync(html))
    assert.match(readFileSync(html, 'utf8'), /SPY\.XNAS/)
  })
})
