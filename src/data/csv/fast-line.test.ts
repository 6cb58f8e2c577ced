import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BAR_BASES, REPO } from '../../../test/fuzz/targets.ts'
import { mutateCsv, renderDoc, rng } from '../../../test/fuzz/mutate.ts'
import { CsvBarParser, type CsvOptions } from './csv-bar-parser.ts'

/** Parses `bytes` pushed in pieces of `chunk` bytes; an error is returned as its message. */
function parse(bytes: Uint8Array, opts: CsvOptions, chunk: number): unknown {
  try {
    const p = new CsvBarParser(opts)
    for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk))
    const r = p.finish()
    const s = r.series
    return {
      series: {
        ...s,
        openTime: [...s.openTime],
        closeTime: [...s.closeTime],
        open: [...s.open],
        high: [...s.high],
        low: [...s.low],
        close: [...s.close],
        volume: [...s.volume],
      },
      lines: [...r.lines],
      offsets: [...r.offsets],
      problems: r.problems,
      info: r.info,
    }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

/** The one-pass reader and the general path read `bytes` identically, whole and in small pieces. */
function agree(name: string, bytes: Uint8Array, opts: CsvOptions = {}, pieces = [7, 64]): void {
  const o = { source: name, ...opts }
  const want = parse(bytes, { ...o, generalPathOnly: true }, bytes.length || 1)
  for (const chunk of [bytes.length || 1, ...pieces])
    assert.deepStrictEqual(parse(bytes, o, chunk), want, `${name} (pieces of ${chunk} bytes)`)
}

const enc = new TextEncoder()
const HEAD = 'timestamp,open,high,low,close,volume\n'

describe('the one-pass CSV line reader', () => {
  it('reads every bundled and fixture file as the general path does', () => {
    const dirs = [join(REPO, 'data', 'bundled'), join(REPO, 'test', 'fixtures', 'data')]
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv') && !x.includes('corporate_actions'))) {
        agree(f, readFileSync(join(dir, f)), {}, [4096])
        agree(
          `${f} (New York)`,
          readFileSync(join(dir, f)),
          { timezone: 'America/New_York', stampedAt: 'close' },
          [4096],
        )
      }
    }
  })

  it('reads 1,500 fuzzed bar files (the fuzz corpus mutations) as the general path does', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const base = BAR_BASES[seed % BAR_BASES.length]!
      const { doc } = mutateCsv(base.text, rng(seed))
      agree(
        `${base.name} seed ${seed}`,
        renderDoc(doc),
        { timeframe: base.name.includes('_1d') ? '1d' : '1m' },
        seed % 10 ? [61] : [7],
      )
    }
  })

  it('falls back to the general path on every unusual line, with the same values and problems', () => {
    const rows = [
      '2024-01-02T09:30:00Z,1,2,0.5,1.5,10',
      '2024-01-02T09:31:00Z,1.0,2.00,0.50,1.5,10\r',
      '2024-01-02 09:32:00,"1",2,0.5,1.5,10',
      '2024-01-02T09:33:00Z,1e0,2,0.5,1.5,10',
      '2024-01-02T09:34:00Z,1.2345678901234567,2,0.5,1.5,10',
      '2024-01-02T09:35:00+02:00,1,2,0.5,1.5,10',
      '2024-01-02T09:36:00.250Z,1,2,0.5,1.5,10',
      '2024-01-02T09:37:60Z,1,2,0.5,1.5,10',
      '2024-01-02T24:00:00Z,1,2,0.5,1.5,10',
      '2023-02-29T09:38:00Z,1,2,0.5,1.5,10',
      '2024-02-29T09:39:00Z,1,2,0.5,1.5,10',
      ' 2024-01-02T09:40:00Z ,1,2,0.5,1.5,10',
      '2024-01-02T09:41:00Z, 1,2 ,0.5,1.5,10',
      '2024-01-02T09:42:00Z,1,2,0.5,1.5',
      '2024-01-02T09:43:00Z,1,2,0.5,1.5,10,11',
      '2024-01-02T09:44:00Z,-1,+2,.5,1.,10',
      '2024-01-02T09:45:00Z,1,2,0.5,1.5,',
      '2024-01-02T09:46:00Z,1,2,0.5,1.5,-',
      '2024-01-02t09:47:00z,1,2,0.5,1.5,10',
      '2024/01/02 09:48,1,2,0.5,1.5,10',
      '20240102 09:49:00,1,2,0.5,1.5,10',
      '',
      '   ',
      '\t',
      '2024-01-02T09:50:00Z,0000000000000000001.5,2,0.5,1.5,10',
      '2024-01-02T09:51:00Z,1,2,0.5,1.5,1000000000000000',
      '2024-01-02T09:52:00Z,1,2,0.5,1.5,10\r\r',
      '2024-01-02T09:53:00Z,NaN,2,0.5,1.5,10',
      '2024-01-02T09:54:00Z,Infinity,2,0.5,1.5,10',
      '2024-13-02T09:55:00Z,1,2,0.5,1.5,10',
      '2024-01-02T09:56:00Zjunk,1,2,0.5,1.5,10',
      '2024-01-02T09:57:00Z,1,2,0.5,1.5,1\u00a0',
    ]
    const text = HEAD + rows.join('\n') + '\n'
    for (const tz of ['UTC', 'America/New_York'])
      agree(`edge lines ${tz}`, enc.encode(text), { timeframe: '1m', timezone: tz })
    agree('no final newline', enc.encode(HEAD + rows.slice(0, 3).join('\n')), { timeframe: '1m' })
    agree('CRLF file', enc.encode((HEAD + rows.slice(0, 12).join('\n')).replace(/\n/g, '\r\n')), { timeframe: '1m' })
  })

  it('reads other layouts as the general path does: epochs, other delimiters, columns in another order', () => {
    const epoch = (unit: number) =>
      HEAD +
      Array.from({ length: 40 }, (_, i) => `${(1_700_000_000 + i * 60) * unit},1,2,0.5,1.5,${i}`).join('\n') +
      '\n'
    for (const unit of [1, 1000, 1e6]) agree(`epoch x${unit}`, enc.encode(epoch(unit)))
    agree(
      'epoch with fractions',
      enc.encode(
        HEAD + Array.from({ length: 40 }, (_, i) => `${1_700_000_000.5 + i * 60},1,2,0.5,1.5,1`).join('\n') + '\n',
      ),
    )
    const semi =
      'Date;Volume;Close;Low;High;Open;Extra\n' +
      Array.from(
        { length: 40 },
        (_, i) => `2024-01-${String(2 + (i % 20)).padStart(2, '0')}T0${i % 10}:00:00Z;${i};1.5;0.5;2;1;"x;y"`,
      ).join('\n') +
      '\n'
    agree('semicolons, columns reordered, a quoted extra column', enc.encode(semi), { timeframe: '1h' })
    const split =
      'date,time,open,high,low,close,volume\n' +
      Array.from({ length: 40 }, (_, i) => `2024-01-02,09:${String(10 + i).padStart(2, '0')},1,2,0.5,1.5,1`).join(
        '\n',
      ) +
      '\n'
    agree('date and time in two columns', enc.encode(split))
    agree(
      'no header',
      enc.encode(
        Array.from({ length: 40 }, (_, i) => `2024-01-02 09:${String(10 + i).padStart(2, '0')}:00,1,2,0.5,1.5,1`).join(
          '\n',
        ),
      ),
    )
    agree(
      'UTF-8 BOM',
      enc.encode('\ufeff' + HEAD + '2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n2024-01-02T09:31:00Z,1,2,0.5,1.5,10\n'),
      { timeframe: '1m' },
    )
  })
})
