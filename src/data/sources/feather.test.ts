import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { readFeatherBars } from './feather.ts'
import { writeFeather, type Candle } from './feather-testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-feather-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.UTC(2024, 0, 2)
const STEP = 300_000
/** 600 five-minute candles (enough for LZ4 to shrink the buffers), written out of order at rows 10 and 11. */
const rows: Candle[] = Array.from({ length: 600 }, (_, i) => {
  const c = +(0.05 + 0.002 * Math.sin(i / 6)).toFixed(6)
  return [T0 + i * STEP, c, c + 0.0001, c - 0.0001, c, 10 + (i % 7)] as const
})
;[rows[10], rows[11]] = [rows[11]!, rows[10]!]

const read = (p: string) => readFeatherBars(p, { instrumentId: 'ETH/BTC.CSV' })
const refused = (p: string, msg: RegExp) =>
  assert.rejects(
    read(p),
    (e: unknown) => isKestrelError(e, 'DATA_BAD_FILE') && e.message.includes(p) && msg.test(e.message),
  )

describe('readFeatherBars', () => {
  it('reads an uncompressed Feather v2 file: bars in time order, row numbers, timeframe from the spacing', async () => {
    const r = await read(writeFeather(join(dir, 'ETH_BTC-5m.feather'), rows))
    assert.equal(r.rowsRead, 600)
    assert.equal(r.bars.timeframe, '5m')
    assert.equal(r.timeKind, 'timestamp')
    assert.deepEqual(r.columns, {
      time: 'date',
      open: 'open',
      high: 'high',
      low: 'low',
      close: 'close',
      volume: 'volume',
    })
    const sorted = [...rows].sort((a, b) => a[0] - b[0])
    assert.deepEqual(
      Array.from(r.bars.openTime),
      sorted.map((x) => x[0]),
    )
    assert.deepEqual(
      Array.from(r.bars.closeTime),
      sorted.map((x) => x[0] + STEP),
    )
    assert.deepEqual(
      Array.from(r.bars.close),
      sorted.map((x) => x[4]),
    )
    assert.deepEqual(
      Array.from(r.bars.volume),
      sorted.map((x) => x[5]),
    )
    assert.deepEqual([r.rows[10], r.rows[11], r.rows[599]], [12, 11, 600])
  })

  it('reads the LZ4-frame compressed file as the same bars, from fewer bytes', async () => {
    const plain = writeFeather(join(dir, 'plain.feather'), rows)
    const lz4 = writeFeather(join(dir, 'lz4.feather'), rows, { compression: 'lz4' })
    assert.ok(statSync(lz4).size < statSync(plain).size * 0.9, `${statSync(lz4).size} vs ${statSync(plain).size}`)
    const [a, b] = [await read(plain), await read(lz4)]
    for (const k of ['openTime', 'open', 'high', 'low', 'close', 'volume'] as const)
      assert.deepEqual(b.bars[k], a.bars[k], k)
  })

  it('returns a row with a null as rejected, with its reason, row and raw values', async () => {
    const r = await read(writeFeather(join(dir, 'nulls.feather'), rows, { nulls: { column: 4, rows: [5] } }))
    assert.equal(r.bars.openTime.length, 599)
    assert.deepEqual(
      r.rejected.map((q) => [q.line, q.reason, q.field, q.timestamp, q.message]),
      [[6, 'NULL_VALUE', 'close', T0 + 5 * STEP, `${join(dir, 'nulls.feather')} row 6: close is null`]],
    )
    assert.equal(JSON.parse(r.rejected[0]!.raw!).close, null)
  })

  it('refuses ZSTD-compressed buffers, saying how to write the file instead', async () => {
    await refused(
      writeFeather(join(dir, 'zstd.feather'), rows, { compression: 'zstd' }),
      /ZSTD-compressed.*compression="lz4"/,
    )
  })

  it('refuses a file that is not Arrow IPC, a truncated one and a Feather v1 file, naming the file', async () => {
    const good = readFileSync(writeFeather(join(dir, 'good.feather'), rows))
    const bad = (name: string, bytes: Uint8Array) => {
      const p = join(dir, name)
      writeFileSync(p, bytes)
      return p
    }
    await refused(bad('text.feather', Buffer.from('date,open\n1,2\n')), /not a Feather v2 \/ Arrow IPC file/)
    await refused(bad('cut.feather', good.subarray(0, 3000)), /truncated/)
    await refused(bad('v1.feather', Buffer.concat([Buffer.from('FEA1'), good.subarray(4)])), /Feather v1/)
    // a footer that says ARROW1 but a body of zeros
    await refused(
      bad('zeros.feather', Buffer.concat([Buffer.from('ARROW1\0\0'), Buffer.alloc(64), Buffer.from('ARROW1')])),
      /not a readable/,
    )
  })

  it('names the missing column', async () => {
    const p = writeFeather(join(dir, 'cols.feather'), rows, {
      names: ['date', 'open', 'high', 'low', 'close', 'amount'],
    })
    await refused(p, /no column for volume \(columns: date, open, high, low, close, amount\)/)
    await assert.rejects(read(join(dir, 'missing.feather')), (e: unknown) => isKestrelError(e, 'FILE_NOT_FOUND'))
  })
})
