import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-fill-'))
const db = join(dir, 'k.duckdb')
after(() => rmSync(dir, { recursive: true, force: true }))

// Monday 2020-03-02 on NYSE (opens 14:30Z): 14:32 and 14:33 are missing
const CSV = [
  'timestamp,open,high,low,close,volume',
  '2020-03-02T14:30:00Z,10,10.5,9.5,10.25,100',
  '2020-03-02T14:31:00Z,10.25,11,10,10.75,200',
  '2020-03-02T14:34:00Z,10.75,11.5,10.5,11,300',
  '',
].join('\n')

describe('kestrel data export --fill-gaps', () => {
  before(async () => {
    const file = join(dir, 'TEST_1m.csv')
    writeFileSync(file, CSV)
    const r = await runCliCaptured(['data', 'import', file, '--venue', 'ARCA', '--db', db])
    assert.equal(r.code, 0, r.err)
  })

  it('inserts the missing session minutes, forward-filled with volume 0 and flagged, and says how many', async () => {
    const out = join(dir, 'filled.csv')
    const r = await runCliCaptured([
      'data',
      'export',
      'TEST',
      '--timeframe',
      '1m',
      '--db',
      db,
      '--fill-gaps',
      'ffill',
      '--out',
      out,
    ])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /wrote 5 1m bars of TEST\.ARCA .*, 2 of them filled by ffill on the NYSE calendar/)
    assert.equal(
      readFileSync(out, 'utf8'),
      [
        'timestamp,open,high,low,close,volume,filled',
        '2020-03-02T14:30:00Z,10.0,10.5,9.5,10.25,100.0,0',
        '2020-03-02T14:31:00Z,10.25,11.0,10.0,10.75,200.0,0',
        '2020-03-02T14:32:00Z,10.75,10.75,10.75,10.75,0.0,1',
        '2020-03-02T14:33:00Z,10.75,10.75,10.75,10.75,0.0,1',
        '2020-03-02T14:34:00Z,10.75,11.5,10.5,11.0,300.0,0',
        '',
      ].join('\n'),
    )
  })

  it('never fills unless asked: no filled column and only the stored bars', async () => {
    const out = join(dir, 'plain.csv')
    const r = await runCliCaptured(['data', 'export', 'TEST', '--timeframe', '1m', '--db', db, '--out', out])
    assert.equal(r.code, 0, r.err)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    assert.equal(lines[0], 'timestamp,open,high,low,close,volume')
    assert.equal(lines.length, 4)
  })

  it('refuses an unknown method', async () => {
    const r = await runCliCaptured([
      'data',
      'export',
      'TEST',
      '--timeframe',
      '1m',
      '--db',
      db,
      '--fill-gaps',
      'linear',
      '--out',
      join(dir, 'x.csv'),
    ])
    assert.equal(r.code, 2)
    assert.match(r.err, /--fill-gaps "linear": expected one of ffill/)
  })
})

describe('kestrel data resample --fill-gaps', () => {
  it('inserts the 5-minute buckets with no input, count 0 and flagged; the rest as without the flag', async () => {
    // 14:30–14:34 and 14:45–14:49 on 2020-03-02: the 14:35 and 14:40 buckets have no minute at all
    const lines = ['timestamp,open,high,low,close,volume']
    for (const m of [30, 31, 32, 33, 34, 45, 46, 47, 48, 49]) lines.push(`2020-03-02T14:${m}:00Z,10,30,9,${m / 2},1`)
    const file = join(dir, 'GAPPY_1m.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    const out = join(dir, 'gappy_5m.csv')
    const r = await runCliCaptured([
      'data',
      'resample',
      file,
      '--to',
      '5m',
      '--session',
      'rth',
      '--fill-gaps',
      'ffill',
      '--out',
      out,
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    assert.equal((JSON.parse(r.out) as { filledBars: number }).filledBars, 2)
    assert.match(r.err, /2 bar\(s\) with no input were filled by ffill/)
    assert.equal(
      readFileSync(out, 'utf8'),
      [
        'timestamp,open,high,low,close,volume,close_time,count,expected,filled',
        '2020-03-02T14:30:00Z,10,30,9,17,5,2020-03-02T14:35:00Z,5,5,0',
        '2020-03-02T14:35:00Z,17,17,17,17,0,2020-03-02T14:40:00Z,0,5,1',
        '2020-03-02T14:40:00Z,17,17,17,17,0,2020-03-02T14:45:00Z,0,5,1',
        '2020-03-02T14:45:00Z,10,30,9,24.5,5,2020-03-02T14:50:00Z,5,5,0',
        '',
      ].join('\n'),
    )
    const plain = await runCliCaptured([
      'data',
      'resample',
      file,
      '--to',
      '5m',
      '--session',
      'rth',
      '--out',
      join(dir, 'p.csv'),
    ])
    assert.equal(plain.code, 0, plain.err)
    assert.equal(readFileSync(join(dir, 'p.csv'), 'utf8').split('\n').length, 4)
  })

  it('refuses --fill-gaps for daily and longer targets', async () => {
    const r = await runCliCaptured([
      'data',
      'resample',
      'data/bundled/SPY_1m.csv',
      '--to',
      '1d',
      '--fill-gaps',
      'ffill',
    ])
    assert.equal(r.code, 2)
    assert.match(r.err, /intraday targets only/)
  })
})

describe('kestrel data ls: quality score', () => {
  it('scores a series with known missing bars and quarantined rows exactly, in the table and in --json', async () => {
    const qdb = join(dir, 'q.duckdb')
    // 14:32 and 14:33 missing (one run); the 14:35 row has high < low and is quarantined
    const file = join(dir, 'QUAL_1m.csv')
    writeFileSync(file, `${CSV}2020-03-02T14:35:00Z,11,10,12,11,100\n`)
    const imp = await runCliCaptured(['data', 'import', file, '--venue', 'ARCA', '--db', qdb])
    assert.equal(imp.code, 0, imp.err)
    const r = await runCliCaptured(['data', 'ls', '--db', qdb, '--json'])
    assert.equal(r.code, 0, r.err)
    const [s] = JSON.parse(r.out) as { rows: number; quarantined: number; quality: Record<string, number> }[]
    assert.deepEqual([s!.rows, s!.quarantined], [3, 1])
    // coverage 3/5, quarantine 1/4 of the rows read, 1 gap run over 5 expected bars: 0.6 × 0.75 × 0.8
    assert.deepEqual(s!.quality, {
      score: 0.36,
      coverage: 0.6,
      missing: 2,
      gaps: 1,
      quarantineRate: 0.25,
      quarantined: 1,
      rowsSeen: 4,
    })
    const t = await runCliCaptured(['data', 'ls', '--db', qdb])
    assert.match(t.out.split('\n')[0]!, /quality$/)
    assert.match(t.out, /QUAL\.ARCA .* 0\.3600\n/)
  })
})
