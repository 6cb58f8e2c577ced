import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { allocBarSeries, sliceSeries, type BarSeries } from '../../core/index.ts'
import { readCsvFile } from '../csv/index.ts'
import { importCsvFile } from '../ingest/index.ts'
import { MemoryStore } from '../store/memory.ts'
import { BarHasher, barsHash, dataVersion, dataVersionOf, ingestionId, storedDataVersion } from './data-version.ts'

const SPY = 'data/bundled/SPY_1d.csv'

/** The next double above `x` (one ulp up, for positive finite x). */
function nextUp(x: number): number {
  const v = new DataView(new ArrayBuffer(8))
  v.setFloat64(0, x)
  v.setBigUint64(0, v.getBigUint64(0) + 1n)
  return v.getFloat64(0)
}

function copy(s: BarSeries): BarSeries {
  const out = allocBarSeries(s.instrumentId, s.timeframe, s.openTime.length)
  for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) out[k].set(s[k])
  return out
}

function oneBar(close: number, volume = 10): BarSeries {
  const s = allocBarSeries('X.SIM', '1m', 1)
  s.openTime[0] = 60_000
  s.closeTime[0] = 120_000
  s.open[0] = 1
  s.high[0] = 2
  s.low[0] = 0.5
  s.close[0] = close
  s.volume[0] = volume
  return s
}

describe('data version', () => {
  it('hashes the documented canonical bytes: magic, series header, six float64 LE per bar', () => {
    const head = Buffer.alloc(9 + 5 + 2)
    head.writeUInt32LE(5, 1)
    head.write('X.SIM', 5, 'utf8')
    head.writeUInt32LE(2, 10)
    head.write('1m', 14, 'utf8')
    const bar = Buffer.alloc(48)
    ;[60_000, 1, 2, 0.5, 1.5, 10].forEach((v, k) => bar.writeDoubleLE(v, 8 * k))
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('kestrel-bars/1\n'), head, bar]))
      .digest('hex')
    assert.equal(barsHash(oneBar(1.5)), expected)
    const v = dataVersion([oneBar(1.5)], ['b/1m/2', 'a/1m/1'])
    assert.deepEqual(v.ingestions, ['a/1m/1', 'b/1m/2'])
    assert.equal(
      v.dataVersion,
      createHash('sha256').update(`kestrel-data/1\n${expected}\na/1m/1\nb/1m/2`).digest('hex'),
    )
  })

  it('gives the same bars hash for the bars of a CSV file and the same bars read back from a store', async () => {
    const csv = (await readCsvFile(SPY)).series
    const store = new MemoryStore()
    await importCsvFile(store, SPY, { venue: 'SIM' })
    const stored = await store.readBars('SPY.SIM', '1d')
    assert.equal(stored.close.length, 5849)
    const fromFile = dataVersion([{ ...csv, instrumentId: 'SPY.SIM' }])
    const fromStore = await storedDataVersion(store, 'SPY.SIM', '1d')
    assert.equal(fromStore.barsHash, fromFile.barsHash)
    assert.equal(fromStore.bars, 5849)
    assert.deepEqual(fromStore.ingestions, ['SPY.SIM/1d/1'])
    assert.deepEqual(fromFile.ingestions, [])
    assert.notEqual(fromStore.dataVersion, fromFile.dataVersion, 'the ingestions are part of the version')
    assert.equal(fromStore.dataVersion, dataVersionOf(fromFile.barsHash, ['SPY.SIM/1d/1']).dataVersion)
  })

  it("changes when one bar's close moves by one ulp", async () => {
    const s = { ...(await readCsvFile(SPY)).series, instrumentId: 'SPY.SIM' }
    const t = copy(s)
    t.close[2000] = nextUp(t.close[2000]!)
    assert.notEqual(t.close[2000], s.close[2000])
    assert.notEqual(barsHash(t), barsHash(s))
    assert.equal(barsHash(copy(s)), barsHash(s))
  })

  it('does not depend on chunk boundaries, and reads -0 as 0', async () => {
    const s = { ...(await readCsvFile(SPY)).series, instrumentId: 'SPY.SIM' }
    const h = new BarHasher()
    for (let at = 0; at < s.openTime.length; at += 777)
      h.update(sliceSeries(s, at, Math.min(s.openTime.length, at + 777)))
    assert.equal(h.bars, s.openTime.length)
    assert.equal(h.digest(), barsHash(s))
    assert.equal(barsHash(oneBar(1.5, -0)), barsHash(oneBar(1.5, 0)))
    assert.notEqual(barsHash(oneBar(1.5)), barsHash({ ...oneBar(1.5), instrumentId: 'Y.SIM' }))
  })

  it('names an ingestion by instrument, timeframe and number', () => {
    assert.equal(ingestionId({ instrumentId: 'SPY.ARCA', timeframe: '1d', ingestion: 2 }), 'SPY.ARCA/1d/2')
  })
})
