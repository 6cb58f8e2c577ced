import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MS, Rng, isKestrelError, makeInstrument, seriesLength } from '../../core/index.ts'
import { ALPACA_KEY, ALPACA_SECRET, alpacaHandler } from '../../../test/fixtures/providers/alpaca.ts'
import { bundledBars } from '../../../test/fixtures/providers/bundled.ts'
import { startProviderServer } from '../../../test/fixtures/providers/server.ts'
import type { ProviderServer } from '../../../test/fixtures/providers/server.ts'
import { MemoryStore } from '../store/memory.ts'
import { AlpacaSource } from './alpaca.ts'
import { loadCheckpoint } from './checkpoint.ts'
import { fetchIntoStore } from './fetch-into-store.ts'

// All bundled AAPL minutes: they include the corrupt first bar of 2014-06-09 (low 92.23 against ~645).
const BARS = bundledBars('AAPL_1m')
const REQ = { symbol: 'AAPL', timeframe: '1m', from: BARS[0]!.t, to: BARS.at(-1)!.t + MS.minute }
const AAPL = makeInstrument({ symbol: 'AAPL', venue: 'NASDAQ', assetClass: 'equity' })
const CORRUPT = Date.parse('2014-06-09T08:00:00Z')

describe('fetchIntoStore (Alpaca → validation → store)', () => {
  let srv: ProviderServer
  let dir: string
  before(async () => {
    srv = await startProviderServer(alpacaHandler('AAPL', BARS))
    dir = mkdtempSync(join(tmpdir(), 'kestrel-fetch-'))
  })
  after(async () => {
    await srv.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const source = (maxAttempts = 3) => {
    const rng = new Rng(5)
    return new AlpacaSource({
      keyId: ALPACA_KEY,
      secretKey: ALPACA_SECRET,
      baseUrl: srv.baseUrl,
      pageLimit: 1000,
      retry: {
        maxAttempts,
        baseDelayMs: 1,
        maxDelayMs: 4,
        timeoutMs: 5000,
        random: () => rng.uniform(),
        sleep: async () => {},
      },
    })
  }

  it('stores every good bar, quarantines the corrupt one with its reason, and logs the download', async () => {
    const store = new MemoryStore()
    const r = await fetchIntoStore(source(), REQ, store, { instrument: AAPL })
    assert.equal(r.rowsRead, BARS.length)
    assert.equal(r.rowsInserted + r.rowsQuarantined, BARS.length)
    assert.ok(r.rowsQuarantined >= 1)
    const q = await store.quarantine({ instrumentId: AAPL.id })
    assert.equal(q.length, r.rowsQuarantined)
    assert.ok(
      q.some((x) => x.timestamp === CORRUPT),
      'the corrupt 2014-06-09 08:00Z bar is quarantined',
    )
    const stored = await store.readBars(AAPL.id, '1m')
    assert.equal(seriesLength(stored), r.rowsInserted)
    assert.ok(![...stored.openTime].includes(CORRUPT))
    const [log] = await store.ingestions()
    assert.equal(log!.fileHash, r.contentHash)
    assert.equal(log!.rowsAccepted, r.rowsInserted)
    assert.equal(log!.ingestion, 1)
    assert.deepEqual(await store.getInstrument(AAPL.id), AAPL)
    // the same download again adds nothing and keeps the ingestion number
    const again = await fetchIntoStore(source(), REQ, store, { instrument: AAPL })
    assert.equal(again.rowsInserted, 0)
    assert.equal(again.contentHash, r.contentHash)
    assert.equal(again.ingestion, 1)
  })

  it('keeps a checkpoint after each stored page, so an interrupted download resumes without loss or duplicates', async () => {
    const store = new MemoryStore()
    const cp = join(dir, 'aapl.json')
    srv.requests.length = 0
    // page 1 answers; page 2 fails twice (every attempt of a 2-attempt policy)
    let served = 0
    const handler = alpacaHandler('AAPL', BARS)
    const flaky = await startProviderServer((req) =>
      ++served === 2 || served === 3 ? { status: 503, json: {} } : handler(req),
    )
    try {
      const rng = new Rng(1)
      const src = new AlpacaSource({
        keyId: ALPACA_KEY,
        secretKey: ALPACA_SECRET,
        baseUrl: flaky.baseUrl,
        pageLimit: 1000,
        retry: { maxAttempts: 2, baseDelayMs: 1, random: () => rng.uniform(), sleep: async () => {} },
      })
      await assert.rejects(
        () => fetchIntoStore(src, REQ, store, { instrument: AAPL, checkpointPath: cp }),
        (e) => isKestrelError(e, 'PROVIDER_ERROR') && e.details.attempts === 2,
      )
      const state = loadCheckpoint(cp)
      assert.ok(state)
      assert.equal(state.nextFrom, BARS[999]!.t + MS.minute)
      const partial = seriesLength(await store.readBars(AAPL.id, '1m'))
      assert.ok(partial > 990 && partial <= 1000)
      const r = await fetchIntoStore(src, REQ, store, { instrument: AAPL, checkpointPath: cp, resume: state })
      assert.equal(r.resumedFrom, state.nextFrom)
      assert.equal(existsSync(cp), false, 'checkpoint removed once complete')
      const all = await store.readBars(AAPL.id, '1m')
      const q = await store.quarantine({ instrumentId: AAPL.id })
      assert.equal(seriesLength(all) + q.length, BARS.length)
      assert.equal(new Set(all.openTime).size, seriesLength(all))
    } finally {
      await flaky.close()
    }
  })
})
