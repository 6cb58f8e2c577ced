import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { csvField } from '../../app/csv-text.ts'
import { runCli } from '../main.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-ind-'))
after(() => rmSync(dir, { recursive: true, force: true }))

interface Talib {
  execute(a: Record<string, unknown>): { begIndex: number; result: Record<string, number[]> }
}
const talib = createRequire(import.meta.url)('talib') as Talib

/** Runs the command capturing stderr (stdout is left alone: the test reporter writes there). */
async function run(argv: string[]): Promise<{ code: number; err: string }> {
  let err = ''
  const ew = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write
  try {
    return { code: await runCli(argv), err }
  } finally {
    process.stderr.write = ew
  }
}

/** Parses our CSV output (quoted header fields only). */
function parseOut(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n')
  const header = lines[0].match(/("([^"]|"")*"|[^,]+)/g)!.map((h) => h.replace(/^"|"$/g, ''))
  return { header, rows: lines.slice(1).map((l) => l.split(',')) }
}

const FILE = 'data/bundled/SPY_1d.csv'

describe('kestrel indicators', () => {
  it('writes the timestamp text and one column per output, agreeing with TA-Lib cell by cell', async () => {
    const outFile = join(dir, 'spy.csv')
    const { code, err } = await run([
      'indicators',
      FILE,
      '--spec',
      'sma(20),macd(12,26,9),bbands(20,2,2)',
      '--out',
      outFile,
    ])
    assert.equal(code, 0, err)
    const { header, rows } = parseOut(readFileSync(outFile, 'utf8'))
    assert.deepEqual(header, [
      'timestamp',
      'sma(20)',
      'macd(12,26,9).macd',
      'macd(12,26,9).macdsignal',
      'macd(12,26,9).macdhist',
      'bbands(20,2,2).upperband',
      'bbands(20,2,2).middleband',
      'bbands(20,2,2).lowerband',
    ])
    const input = readFileSync(FILE, 'utf8').trim().split('\n').slice(1)
    assert.equal(rows.length, input.length)
    assert.deepEqual(
      rows.map((r) => r[0]),
      input.map((l) => l.split(',')[0]),
      'timestamps exactly as in the input',
    )
    const close = input.map((l) => Number(l.split(',')[4]))
    const n = close.length
    const m = talib.execute({
      name: 'MACD',
      startIdx: 0,
      endIdx: n - 1,
      inReal: close,
      optInFastPeriod: 12,
      optInSlowPeriod: 26,
      optInSignalPeriod: 9,
    })
    const b = talib.execute({
      name: 'BBANDS',
      startIdx: 0,
      endIdx: n - 1,
      inReal: close,
      optInTimePeriod: 20,
      optInNbDevUp: 2,
      optInNbDevDn: 2,
      optInMAType: 0,
    })
    assert.equal(m.begIndex, 33)
    assert.equal(rows[32][2], '', 'empty inside the lookback')
    assert.equal(rows[18][1], '')
    for (const i of [33, 100, 2000, n - 1]) {
      assert.equal(Number(rows[i][3]), m.result.outMACDSignal[i - 33], `macdsignal[${i}]`)
      // The middle band is an exactly rounded mean, so it may differ from TA-Lib's running sum in the last bits.
      const upper = b.result.outRealUpperBand[i - b.begIndex]
      assert.ok(Math.abs(Number(rows[i][5]) - upper) <= 1e-12 * Math.abs(upper), `upperband[${i}]`)
    }
  })
  it('prints numbers with full round-trip precision', async () => {
    const outFile = join(dir, 'sma3.csv')
    await run(['indicators', FILE, '--spec', 'sma(3)', '--out', outFile])
    const { rows } = parseOut(readFileSync(outFile, 'utf8'))
    const x = input3()
    assert.equal(rows[2][1], String((x[0] + x[1] + x[2]) / 3))
  })
  it('names the spec item in errors and exits 1', async () => {
    const { code, err } = await run(['indicators', FILE, '--spec', 'sma(20),nosuch(3)'])
    assert.equal(code, 1)
    assert.match(err, /SPEC_INVALID.*spec item 2 "nosuch\(3\)"/)
  })
  it('refuses a file with unreadable rows instead of shifting bars', async () => {
    const p = join(dir, 'bad.csv')
    writeFileSync(
      p,
      'timestamp,open,high,low,close,volume\n2024-01-02T00:00:00Z,1,2,0.5,1.5,10\n2024-01-03T00:00:00Z,1,x,0.5,1.5,10\n' +
        '2024-01-04T00:00:00Z,1,2,0.5,1.5,10\n2024-01-05T00:00:00Z,1,2,0.5,1.5,10\n',
    )
    const { code, err } = await run(['indicators', p, '--spec', 'sma(2)'])
    assert.equal(code, 1)
    assert.match(err, /DATA_BAD_ROW.*line 3/)
  })
  it('refuses a row that fails validation (out of order, high below low), naming its line', async () => {
    const head = 'timestamp,open,high,low,close,volume\n2024-01-02T00:00:00Z,1,2,0.5,1.5,10\n'
    for (const [row, want] of [
      [
        '2024-01-01T00:00:00Z,1,2,0.5,1.5,10',
        /DATA_BAD_ROW\]: .*order\.csv line 3: timestamp 2024-01-01T00:00:00Z is before/,
      ],
      ['2024-01-03T00:00:00Z,1,0.4,0.5,1.5,10', /DATA_BAD_ROW\]: .*order\.csv line 3: .*nothing was computed/],
    ] as const) {
      const p = join(dir, 'order.csv')
      writeFileSync(p, `${head}${row}\n2024-01-04T00:00:00Z,1,2,0.5,1.5,10\n2024-01-05T00:00:00Z,1,2,0.5,1.5,10\n`)
      const { code, err } = await run(['indicators', p, '--spec', 'vwap(),sma(2)'])
      assert.equal(code, 1, err)
      assert.match(err, want)
    }
  })
  it('reports an unwritable --out as an input error (exit 1)', async () => {
    const { code, err } = await run([
      'indicators',
      FILE,
      '--spec',
      'sma(3)',
      '--out',
      join(dir, 'no-such-dir', 'x.csv'),
    ])
    assert.equal(code, 1)
    assert.match(err, /cannot write/)
  })
  it('computes MAVP with the periods column of the file, agreeing with TA-Lib cell by cell', async () => {
    const lines = readFileSync(FILE, 'utf8').trim().split('\n')
    // periods below, inside and above [3, 20], fractional (TA-Lib truncates them)
    const periods = lines.slice(1).map((_, i) => ((i * 7919) % 250) / 10)
    const withPeriods = join(dir, 'spy-periods.csv')
    writeFileSync(
      withPeriods,
      [`${lines[0]},periods`, ...lines.slice(1).map((l, i) => `${l},${periods[i]}`)].join('\n') + '\n',
    )
    const outFile = join(dir, 'mavp.csv')
    const { code, err } = await run(['indicators', withPeriods, '--spec', 'mavp(3,20,1)', '--out', outFile])
    assert.equal(code, 0, err)
    const { header, rows } = parseOut(readFileSync(outFile, 'utf8'))
    assert.deepEqual(header, ['timestamp', 'mavp(3,20,1)'])
    const close = lines.slice(1).map((l) => Number(l.split(',')[4]))
    const want = talib.execute({
      name: 'MAVP',
      startIdx: 0,
      endIdx: close.length - 1,
      inReal: close,
      inPeriods: periods,
      optInMinPeriod: 3,
      optInMaxPeriod: 20,
      optInMAType: 1,
    })
    assert.equal(want.begIndex, 19)
    for (let i = 0; i < close.length; i++) {
      if (i < want.begIndex) assert.equal(rows[i]![1], '', `empty inside the lookback at ${i}`)
      else {
        const got = Number(rows[i]![1])
        const w = want.result.outReal![i - want.begIndex]!
        assert.ok(Math.abs(got - w) <= 1e-9 * Math.max(1, Math.abs(w)), `[${i}]: ${got} vs TA-Lib ${w}`)
      }
    }
  })
  it('refuses MAVP on a file without a periods column, and a periods cell that is not a number, saying where', async () => {
    const r1 = await run(['indicators', FILE, '--spec', 'sma(3),mavp', '--out', join(dir, 'x.csv')])
    assert.equal(r1.code, 1)
    assert.match(
      r1.err,
      /error \[SPEC_INVALID\]: spec item 2 mavp needs the period of each bar: .*SPY_1d\.csv has no periods column/,
    )
    const lines = readFileSync(FILE, 'utf8').trim().split('\n').slice(0, 40)
    const bad = join(dir, 'bad-periods.csv')
    writeFileSync(
      bad,
      [`${lines[0]},periods`, ...lines.slice(1).map((l, i) => `${l},${i === 9 ? 'ten' : 5}`)].join('\n') + '\n',
    )
    const r2 = await run(['indicators', bad, '--spec', 'mavp', '--out', join(dir, 'y.csv')])
    assert.equal(r2.code, 1)
    assert.match(r2.err, /error \[DATA_BAD_ROW\]: .*bad-periods\.csv line 11: periods "ten" is not a number/)
  })
  it('quotes CSV fields holding commas', () => {
    assert.equal(csvField('macd(12,26,9).macd'), '"macd(12,26,9).macd"')
    assert.equal(csvField('rsi(14)'), 'rsi(14)')
  })
})

function input3(): number[] {
  return readFileSync(FILE, 'utf8')
    .split('\n')
    .slice(1, 4)
    .map((l) => Number(l.split(',')[4]))
}
