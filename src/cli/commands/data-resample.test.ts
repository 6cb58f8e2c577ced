import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-resample-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the CLI in a child process (stdout is the test runner's channel here) and captures its output. */
function run(argv: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/kestrel.mjs', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

describe('kestrel data resample', () => {
  it('writes RTH daily bars of SPY_1m that equal the bundled SPY_1d (open, close, volume)', () => {
    const file = join(dir, 'spy_1d.csv')
    const r = run([
      'data',
      'resample',
      'data/bundled/SPY_1m.csv',
      '--to',
      '1d',
      '--session',
      'rth',
      '--out',
      file,
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    const summary = JSON.parse(r.out)
    assert.equal(summary.barsOut, 6)
    assert.equal(summary.outsideSession, 2499)
    assert.match(r.err, /2499 bar\(s\) outside the NYSE sessions were left out/)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    assert.equal(lines[0], 'timestamp,open,high,low,close,volume,close_time,count,expected')
    assert.equal(lines[1], '2013-10-04T13:30:00Z,167.74,169.06,167.53,168.89,84960871,2013-10-04T20:00:00Z,390,390')
    // data/bundled/SPY_1d.csv 2013-10-11: 168.9,170.32,168.77,170.3,88751455
    assert.equal(lines[6], '2013-10-11T13:30:00Z,168.9,170.32,168.77,170.3,88751455,2013-10-11T20:00:00Z,390,390')
  })

  it('resamples SPY_1d to NYSE weeks and months, and refuses the ambiguous 1M', () => {
    const file = join(dir, 'spy_1w.csv')
    const r = run([
      'data',
      'resample',
      'data/bundled/SPY_1d.csv',
      '--to',
      '1w',
      '--session',
      'rth',
      '--out',
      file,
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    const summary = JSON.parse(r.out)
    // 1998-01-02 is a Friday: its week (from Monday 12-29) and the last week (2021-03-29 … 03-31, no 04-01/02 data) are partial.
    assert.deepEqual([summary.to, summary.barsOut, summary.barsWithGaps], ['1w', 1214, 2])
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    // data/bundled/SPY_1d.csv 1998-01-05 … 01-09: open 97.84, max high 98.44, min low 91.91, close 92.47.
    assert.equal(lines[2], '1998-01-05T14:30:00Z,97.84,98.44,91.91,92.47,25327300,1998-01-09T21:00:00Z,1950,1950')
    const m = run(['data', 'resample', 'data/bundled/SPY_1d.csv', '--to', '1mo', '--session', 'rth'])
    assert.equal(m.code, 0, m.err)
    assert.equal(m.out.trim().split('\n').length, 1 + 279)
    const bad = run(['data', 'resample', 'data/bundled/SPY_1d.csv', '--to', '1M'])
    assert.equal(bad.code, 1)
    assert.match(bad.err, /"1M" is ambiguous: write 1mo for months or 1m for minutes/)
  })

  it('writes CSV to stdout when there is no --out', () => {
    const r = run(['data', 'resample', 'data/bundled/BTC-USD_1m.csv', '--to', '1h'])
    assert.equal(r.code, 0, r.err)
    const lines = r.out.trim().split('\n')
    assert.equal(lines[1]!.slice(0, 20), '2018-04-04T00:00:00Z')
    assert.ok(lines.length > 60)
  })

  it('validates its input as an import does: an out-of-order row and a bad row are left out, named by line', async () => {
    const rows = readFileSync('data/bundled/BTC-USD_1m.csv', 'utf8').trim().split('\n')
    // Line 31 (row 30) moved after line 61, and line 81 given a high below its low.
    const moved = rows.splice(30, 1)[0]!
    rows.splice(60, 0, moved)
    const f = rows[80]!.split(',')
    f[2] = String(Number(f[3]) / 2)
    rows[80] = f.join(',')
    const file = join(dir, 'BTC-USD_1m.csv')
    writeFileSync(file, rows.join('\n') + '\n')
    const out = join(dir, 'btc_5m.csv')
    const r = await runCliCaptured(['data', 'resample', file, '--to', '5m', '--out', out, '--json'])
    assert.equal(r.code, 0, r.err)
    const summary = JSON.parse(r.out)
    assert.equal(summary.quarantinedRows, 2)
    assert.equal(summary.barsIn, rows.length - 1 - 2)
    assert.match(
      r.err,
      /2 row\(s\) of .*BTC-USD_1m\.csv failed validation and are not in the output \(first: line 61, /,
    )
  })

  it('exits 2 on an unknown --session and 1 on a missing file', () => {
    const bad = run(['data', 'resample', 'data/bundled/SPY_1m.csv', '--to', '5m', '--session', 'lse'])
    assert.equal(bad.code, 2)
    assert.match(bad.err, /--session "lse"/)
    const missing = run(['data', 'resample', join(dir, 'nope.csv'), '--to', '5m'])
    assert.equal(missing.code, 1)
    assert.match(missing.err, /FILE_NOT_FOUND/)
  })
})

describe('kestrel data synth', () => {
  it('writes one seeded CSV per symbol, identical for the same seed', () => {
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    for (const out of [a, b]) {
      const r = run(['data', 'synth', '--symbols', '3', '--bars', '500', '--seed', '7', '--out', out, '--json'])
      assert.equal(r.code, 0, r.err)
      assert.equal(JSON.parse(r.out).files.length, 3)
    }
    assert.deepEqual(readdirSync(a).sort(), ['SYN0_1m.csv', 'SYN1_1m.csv', 'SYN2_1m.csv'])
    const text = readFileSync(join(a, 'SYN1_1m.csv'), 'utf8')
    assert.equal(text, readFileSync(join(b, 'SYN1_1m.csv'), 'utf8'))
    assert.equal(text.trim().split('\n').length, 501)
  })
})

describe('--session auto', () => {
  it('aligns US equity minutes to the regular session and crypto to 24/7', async () => {
    const { readCsvFile } = await import('../../data/csv/index.ts')
    const { detectSession } = await import('../../app/data-resample.ts')
    assert.equal(detectSession((await readCsvFile('data/bundled/SPY_1m.csv')).series), 'rth')
    assert.equal(detectSession((await readCsvFile('data/bundled/BTC-USD_1m.csv')).series), '24/7')
  })
})
