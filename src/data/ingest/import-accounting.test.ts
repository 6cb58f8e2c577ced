import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isKestrelError, mulberry32 } from '../../core/index.ts'
import { DuckDbStore } from '../store/duckdb/index.ts'
import { importCsvFile } from './index.ts'

const T0 = Date.UTC(2024, 0, 1)

/** A seeded 1-minute random walk, rows `from..to-1`, as CSV lines (no header). */
function rows(from: number, to: number, seed = 7): string[] {
  const u = mulberry32(seed)
  let p = 100
  const out: string[] = []
  for (let i = 0; i < to; i++) {
    const o = p
    const c = o * (1 + (u() - 0.5) * 0.002)
    const h = Math.max(o, c) * (1 + u() * 0.0005)
    const l = Math.min(o, c) * (1 - u() * 0.0005)
    const v = Math.floor(u() * 1000) + 1
    p = c
    if (i >= from)
      out.push(
        `${new Date(T0 + i * 60_000).toISOString()},${o.toFixed(4)},${h.toFixed(4)},${l.toFixed(4)},${c.toFixed(4)},${v}`,
      )
  }
  return out
}

/** 3000 rows with one of each kind of bad row planted (parse errors, OHLC errors, time order, a bad tick). */
function plantedFile(): string {
  const r = rows(0, 3000)
  r[10] = r[10]!.replace(/,[^,]*$/, ',-5') // negative volume
  r[20] = r[19]! // duplicate timestamp (same row twice)
  r[30] = `${r[30]!.split(',')[0]},abc,1,1,1,1` // not a number
  r[40] = r[40]!.split(',').slice(0, 4).join(',') // too few columns
  const f = r[50]!.split(',') // high below low, followed by a good row with the same time: the good one stays
  r[50] = `${f[0]},100,90,110,100,5`
  r.splice(51, 0, f.join(','))
  r[60] = r[58]! // an exact repeat of an earlier row, out of order: a duplicate of line 60
  r[70] = 'not-a-time,1,2,0.5,1,1' // bad timestamp
  const g = r[80]!.split(',') // bad tick: an absurd range
  r[80] = [g[0], g[1], String(Number(g[1]) * 50), g[3], g[4], g[5]].join(',')
  r[2999] = r[2999]!.replace(/,[^,]*,[^,]*$/, ',NaN,1') // non-finite close
  return ['timestamp,open,high,low,close,volume', ...r].join('\n') + '\n'
}

describe('importCsvFile row accounting and overlaps (DuckDB store)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kestrel-import-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  for (const primaryKey of [true, false]) {
    it(`quarantines exactly the planted bad rows, each with its line, reason and raw text (primaryKey ${primaryKey})`, async () => {
      const file = join(dir, 'PLANT_1m.csv')
      const text = plantedFile()
      await writeFile(file, text)
      const store = new DuckDbStore(join(dir, `plant-${primaryKey}.duckdb`), { primaryKey })
      await store.init()
      const r = await importCsvFile(store, file)
      assert.deepEqual([r.rowsRead, r.rowsAccepted, r.rowsInserted, r.rowsQuarantined], [3001, 2992, 2992, 9])
      const q = await store.quarantine({ source: file })
      const lines = text.split('\n')
      assert.deepEqual(
        q.map((x) => [x.line, x.reason]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        [
          [12, 'NEGATIVE_VOLUME'],
          [22, 'DUPLICATE_TIMESTAMP'],
          [32, 'NOT_A_NUMBER'],
          [42, 'BAD_COLUMN_COUNT'],
          [52, 'HIGH_BELOW_LOW'],
          [62, 'DUPLICATE_TIMESTAMP'],
          [72, 'BAD_TIMESTAMP'],
          [82, 'OUTLIER_RANGE'],
          [3001, 'NOT_A_NUMBER'],
        ],
      )
      for (const x of q) assert.equal(x.raw, lines[x.line! - 1])
      // The good row after the rejected one with the same time (line 53) is the one stored.
      const bars = await store.readBars(r.instrumentId, '1m')
      assert.equal(bars.openTime.length, 2992)
      const t50 = Date.parse(lines[52]!.split(',')[0]!)
      assert.equal(bars.close[bars.openTime.indexOf(t50)], Number(lines[52]!.split(',')[4]))
      await store.close()
    })
  }

  it('never duplicates a bar when files overlap, whether newer, older or inside the stored range', async () => {
    for (const primaryKey of [true, false]) {
      const store = new DuckDbStore(join(dir, `overlap-${primaryKey}.duckdb`), { primaryKey })
      await store.init()
      const put = async (name: string, from: number, to: number) => {
        await mkdir(join(dir, name), { recursive: true })
        const f = join(dir, name, 'OVL_1m.csv')
        await writeFile(f, ['timestamp,open,high,low,close,volume', ...rows(from, to)].join('\n'))
        return (await importCsvFile(store, f)).rowsInserted
      }
      assert.equal(await put(`a${primaryKey}`, 1000, 2000), 1000)
      assert.equal(await put(`b${primaryKey}`, 1500, 2500), 500)
      assert.equal(await put(`c${primaryKey}`, 0, 1200), 1000)
      assert.equal(await put(`d${primaryKey}`, 100, 2600), 100)
      const c = await store.connection()
      const dup = await c.runAndReadAll(
        `SELECT count(*)::INTEGER FROM (SELECT open_time FROM bars GROUP BY ALL HAVING count(*) > 1)`,
      )
      assert.equal(dup.getRows()[0]![0], 0)
      const bars = await store.readBars('OVL.CSV', '1m')
      assert.equal(bars.openTime.length, 2600)
      assert.equal(bars.close[2599], Number(rows(2599, 2600)[0]!.split(',')[4]))
      await store.close()
    }
  })

  it('leaves the store usable after a missing or empty file', async () => {
    const store = new DuckDbStore(join(dir, 'err.duckdb'))
    await store.init()
    await assert.rejects(importCsvFile(store, join(dir, 'MISSING_1m.csv')), (e) => isKestrelError(e, 'FILE_NOT_FOUND'))
    await writeFile(join(dir, 'EMPTY_1m.csv'), '')
    await assert.rejects(importCsvFile(store, join(dir, 'EMPTY_1m.csv')), (e) => isKestrelError(e, 'DATA_BAD_FILE'))
    await mkdir(join(dir, 'late'), { recursive: true })
    await writeFile(
      join(dir, 'late', 'LATE_1m.csv'),
      ['timestamp,open,high,low,close,volume', ...rows(0, 10)].join('\n'),
    )
    assert.equal((await importCsvFile(store, join(dir, 'late', 'LATE_1m.csv'))).rowsInserted, 10)
    await store.close()
  })
})
