import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileMd5 } from '../../app/data-snapshot.ts'
import { runCliCaptured } from '../testing.ts'

const SPY = resolve('data/bundled/SPY_1d.csv')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-snapshot-'))
const db = join(dir, 'k.duckdb')
after(() => rmSync(dir, { recursive: true, force: true }))

/** md5sum of a file, as DVC 3 hashes a single file: the md5 of its bytes. */
const md5sum = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex')

interface Report {
  pointer: string
  dataVersion: string
  files: {
    path: string
    file: string
    md5: string
    size: number
    bars: number
    barsHash: string
    dataVersion: string
    ingestions: string[]
  }[]
}

describe('kestrel data snapshot', () => {
  before(async () => {
    const r = await runCliCaptured(['data', 'import', SPY, '--venue', 'SIM', '--db', db])
    assert.equal(r.code, 0, r.err)
  })

  it('hashes a file as DVC 3 does: the md5 of its bytes, CRLF kept', async () => {
    const crlf = join(dir, 'crlf.txt')
    writeFileSync(crlf, 'abc')
    assert.deepEqual(await fileMd5(crlf), { md5: '900150983cd24fb0d6963f7d28e17f72', size: 3 })
    writeFileSync(crlf, 'a\r\nb\r\n')
    const lf = join(dir, 'lf.txt')
    writeFileSync(lf, 'a\nb\n')
    assert.equal((await fileMd5(crlf)).md5, md5sum(crlf))
    assert.notEqual((await fileMd5(crlf)).md5, (await fileMd5(lf)).md5)
  })

  it('writes the stored series beside a DVC pointer with md5, size, hash: md5, path and the data version', async () => {
    const out = join(dir, 'snap', 'spy.dvc')
    const r = await runCliCaptured(['data', 'snapshot', '--db', db, '--symbol', 'SPY', '--out', out, '--json'])
    assert.equal(r.code, 0, r.err)
    const rep = JSON.parse(r.out) as Report
    const data = join(dir, 'snap', 'SPY_1d.csv')
    const [f] = rep.files
    assert.equal(rep.files.length, 1)
    assert.equal(f!.file, data)
    assert.equal(f!.bars, 5849)
    assert.deepEqual(f!.ingestions, ['SPY.SIM/1d/1'])
    assert.equal(rep.dataVersion, f!.dataVersion, 'one series: the snapshot has its version')
    const md5 = md5sum(data)
    const size = statSync(data).size
    assert.deepEqual([f!.md5, f!.size], [md5, size])
    assert.equal(readFileSync(data, 'utf8').split('\n')[0], 'timestamp,open,high,low,close,volume')
    assert.equal(
      readFileSync(out, 'utf8'),
      [
        'outs:',
        `- md5: ${md5}`,
        `  size: ${size}`,
        '  hash: md5',
        '  path: SPY_1d.csv',
        'meta:',
        '  kestrel:',
        `    dataVersion: ${rep.dataVersion}`,
        '    files:',
        '    - path: SPY_1d.csv',
        '      instrumentId: SPY.SIM',
        '      timeframe: 1d',
        '      bars: 5849',
        `      barsHash: ${f!.barsHash}`,
        `      dataVersion: ${f!.dataVersion}`,
        '      ingestions:',
        '      - SPY.SIM/1d/1',
        '',
      ].join('\n'),
    )
    // the same bytes as data export writes, and a re-run writes the same pointer
    const exported = join(dir, 'export.csv')
    const e = await runCliCaptured(['data', 'export', 'SPY', '--timeframe', '1d', '--db', db, '--out', exported])
    assert.equal(e.code, 0, e.err)
    assert.equal(md5sum(exported), md5)
    const before = readFileSync(out, 'utf8')
    assert.equal((await runCliCaptured(['data', 'snapshot', '--db', db, '--out', out])).code, 0)
    assert.equal(readFileSync(out, 'utf8'), before)
  })

  it('gives the same data version as a backtest and a feature build over the same stored bars', async () => {
    const snap = await runCliCaptured(['data', 'snapshot', '--db', db, '--out', join(dir, 'v', 'all.dvc'), '--json'])
    assert.equal(snap.code, 0, snap.err)
    const version = (JSON.parse(snap.out) as Report).dataVersion
    const bt = await runCliCaptured(['backtest', '--db', db, '--symbol', 'SPY', '--timeframe', '1d', '--json'])
    assert.equal(bt.code, 0, bt.err)
    assert.equal((JSON.parse(bt.out) as { settings: { dataVersion: string } }).settings.dataVersion, version)
    const spec = join(dir, 'v', 'spec.yaml')
    writeFileSync(spec, 'name: t\nfeatures:\n  ret: logret(close, 1)\noutput: [ret]\n')
    const args = ['features', 'build', spec, '--db', db, '--instrument', 'SPY', '--timeframe', '1d']
    const fb = await runCliCaptured([...args, '--out', join(dir, 'v', 'f.csv'), '--json'])
    assert.equal(fb.code, 0, fb.err)
    assert.equal((JSON.parse(fb.out) as { dataVersion: string }).dataVersion, version)
  })

  it('points at a bar file as it is, with the bars hash of the same bars from the store', async () => {
    const copy = join(dir, 'files', 'SPY_1d.csv')
    mkdirSync(join(dir, 'files'))
    copyFileSync(SPY, copy)
    const r = await runCliCaptured(['data', 'snapshot', copy, '--venue', 'SIM', '--json'])
    assert.equal(r.code, 0, r.err)
    const rep = JSON.parse(r.out) as Report
    assert.equal(rep.pointer, `${copy}.dvc`)
    assert.deepEqual([rep.files[0]!.md5, rep.files[0]!.size], [md5sum(SPY), statSync(SPY).size])
    assert.match(
      readFileSync(`${copy}.dvc`, 'utf8'),
      /^outs:\n- md5: [0-9a-f]{32}\n {2}size: \d+\n {2}hash: md5\n {2}path: SPY_1d.csv\n/,
    )
    const s = await runCliCaptured(['data', 'snapshot', '--db', db, '--out', join(dir, 'snap2', 'x.dvc'), '--json'])
    const stored = JSON.parse(s.out) as Report
    assert.equal(rep.files[0]!.barsHash, stored.files[0]!.barsHash)
    assert.deepEqual(rep.files[0]!.ingestions, [])
    assert.notEqual(rep.files[0]!.dataVersion, stored.files[0]!.dataVersion)
  })

  it('takes the stored series positionally with --db, as every data command does', async () => {
    const a = await runCliCaptured([
      'data',
      'snapshot',
      'SPY',
      '--db',
      db,
      '--out',
      join(dir, 'pos', 'a.dvc'),
      '--json',
    ])
    const b = await runCliCaptured([
      'data',
      'snapshot',
      '--db',
      db,
      '--symbol',
      'SPY',
      '--out',
      join(dir, 'pos', 'b.dvc'),
      '--json',
    ])
    assert.equal(a.code, 0, a.err)
    const ra = JSON.parse(a.out) as Report
    const rb = JSON.parse(b.out) as Report
    assert.equal(ra.dataVersion, rb.dataVersion)
    assert.deepEqual(
      ra.files.map((f) => f.md5),
      rb.files.map((f) => f.md5),
    )
  })

  it('refuses a pointer name without .dvc, files and --db together, and an unknown symbol', async () => {
    const a = await runCliCaptured(['data', 'snapshot', '--db', db, '--out', join(dir, 'x.yaml')])
    assert.equal(a.code, 2)
    assert.match(a.err, /ends in \.dvc/)
    // With --db a positional name is a stored series: a file path is none.
    const f = await runCliCaptured(['data', 'snapshot', SPY, '--db', db, '--out', join(dir, 'f.dvc')])
    assert.equal(f.code, 1, f.err)
    const c = await runCliCaptured(['data', 'snapshot', '--db', db, '--symbol', 'NOPE', '--out', join(dir, 'n.dvc')])
    assert.notEqual(c.code, 0)
  })
})
