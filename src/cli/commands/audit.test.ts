import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { FileJournal } from '../../engine/journal/index.ts'
import { runCliCaptured } from '../testing.ts'
import { needService } from '../../../test/helpers/services.ts'

const pgSkip = await needService('postgres')
const PG = 'postgres://postgres@127.0.0.1:5432/postgres'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-audit-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function journal(name: string, n: number): { path: string; last: string } {
  const path = join(dir, name)
  const j = FileJournal.open(path)
  let last = ''
  for (let i = 0; i < n; i++) last = j.append('report', { kind: 'FILL', qty: i + 1 }, 1000 + i).hash
  j.close()
  return { path, last }
}

describe('kestrel audit verify', () => {
  it('exits 0 on an intact journal and prints its record count and last hash', async () => {
    const { path, last } = journal('ok.jsonl', 10)
    const r = await runCliCaptured(['audit', 'verify', path])
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out, `${path}: intact, 10 records, last hash ${last}\n`)
    const j = await runCliCaptured(['audit', 'verify', path, '--json', '--expect', `10:${last}`])
    assert.deepEqual(JSON.parse(j.out), { journal: path, ok: true, records: 10, lastHash: last })
  })

  it('exits 1 naming the first bad record of an edited journal', async () => {
    const { path } = journal('bad.jsonl', 10)
    const lines = readFileSync(path, 'utf8').split('\n')
    lines[6] = lines[6]!.replace('"qty":7', '"qty":70')
    writeFileSync(path, lines.join('\n'))
    const r = await runCliCaptured(['audit', 'verify', path, '--json'])
    assert.equal(r.code, 1)
    const v = JSON.parse(r.out) as { ok: boolean; records: number; firstBad: { record: number; reason: string } }
    assert.equal(v.ok, false)
    assert.equal(v.records, 6)
    assert.equal(v.firstBad.record, 7)
    assert.match(v.firstBad.reason, /hash does not match/)
  })

  it('exits 1 when records were cut off the end since an auditor kept the last hash', async () => {
    const { path, last } = journal('cut.jsonl', 5)
    const lines = readFileSync(path, 'utf8').split('\n')
    writeFileSync(path, `${lines.slice(0, 4).join('\n')}\n`)
    const r = await runCliCaptured(['audit', 'verify', path, '--expect', `5:${last}`])
    assert.equal(r.code, 1)
    assert.match(r.out, /BROKEN at record 5: missing: the journal had 5 records/)
  })

  it('refuses a malformed --expect and a missing file with exit 1', async () => {
    const { path } = journal('x.jsonl', 1)
    const a = await runCliCaptured(['audit', 'verify', path, '--expect', '5:abc'])
    assert.equal(a.code, 1)
    assert.match(a.err, /^error \[PARAM_INVALID\]: --expect/)
    const b = await runCliCaptured(['audit', 'verify', join(dir, 'none.jsonl')])
    assert.equal(b.code, 1)
    assert.match(b.err, /^error \[FILE_NOT_FOUND\]: journal .*none\.jsonl: no such file/)
  })

  it('ships a journal to PostgreSQL and verifies the mirror', { skip: pgSkip }, async () => {
    const { path, last } = journal('pg.jsonl', 30)
    const table = `kja_${process.pid}_${Date.now().toString(36)}`
    const a = await runCliCaptured(['audit', 'ship', path, '--pg', PG, '--node', 'A1', '--table', table, '--json'])
    assert.equal(a.code, 0, a.err)
    assert.deepEqual(JSON.parse(a.out), { journal: path, node: 'A1', table, shipped: 30, records: 30, lastHash: last })
    const v = await runCliCaptured(['audit', 'verify', '--pg', PG, '--node', 'A1', '--table', table])
    assert.equal(v.code, 0, v.err)
    assert.match(v.out, new RegExp(`intact, 30 records, last hash ${last}`))
    const { default: pg } = await import('pg')
    const c = new pg.Client({ connectionString: PG })
    await c.connect()
    try {
      await c.query(`delete from ${table} where seq = 12`)
      const bad = await runCliCaptured(['audit', 'verify', '--pg', PG, '--node', 'A1', '--table', table])
      assert.equal(bad.code, 1)
      assert.match(bad.out, /BROKEN at record 12: seq is 13, expected 12/)
    } finally {
      await c.query(`drop table ${table}`)
      await c.end()
    }
  })
})
