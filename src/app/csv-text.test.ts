import assert from 'node:assert/strict'
import { PassThrough, Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { allocBarSeries } from '../core/index.ts'
import { csvField, splitCsvLine, writeBarsCsv, writeText } from './csv-text.ts'

describe('CSV text', () => {
  it('splits on the delimiter outside quotes and unescapes doubled quotes', () => {
    assert.deepEqual(splitCsvLine('a,"b,c","say ""hi""",'), ['a', 'b,c', 'say "hi"', ''])
    assert.deepEqual(splitCsvLine('1;"2;3"', ';'), ['1', '2;3'])
  })

  it('quotes a field only when it holds a comma, quote or line break, and splitting undoes it', () => {
    for (const s of ['rsi(14)', 'macd(12,26,9).macd', 'a "b"', 'x\ny']) assert.deepEqual(splitCsvLine(csvField(s)), [s])
    assert.equal(csvField('rsi(14)'), 'rsi(14)')
  })

  it('returns at once instead of waiting for a reader that has gone', async () => {
    const gone = new Writable({ write: (_c, _e, done) => done() })
    gone.destroy()
    await writeText(gone, 'x'.repeat(1 << 20))
  })

  it('writes bars in the bundled format, a header first', async () => {
    const s = allocBarSeries('X', '1m', 2)
    s.openTime.set([0, 60_000])
    s.open.set([1, 2])
    s.high.set([1, 2])
    s.low.set([1, 2])
    s.close.set([1, 2])
    s.volume.set([5, 6])
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    await writeBarsCsv(out, s)
    assert.equal(
      Buffer.concat(chunks).toString(),
      'timestamp,open,high,low,close,volume\n1970-01-01T00:00:00Z,1,1,1,1,5\n1970-01-01T00:01:00Z,2,2,2,2,6\n',
    )
  })
})
