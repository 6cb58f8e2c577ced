import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { KestrelError } from '../../core/index.ts'
import { needService } from '../../../test/helpers/services.ts'
import { FileJournal, PgJournalMirror, verifyJournal } from './index.ts'

const skip = await needService('postgres')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-pgj-'))
const table = `kj_${process.pid}_${Date.now().toString(36)}`
let client: pg.Client

describe('the journal mirrored into PostgreSQL', { skip }, () => {
  before(async () => {
    client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' })
    await client.connect()
  })
  after(async () => {
    await client.query(`drop table if exists ${table}`)
    await client.end()
    rmSync(dir, { recursive: true, force: true })
  })

  it('copies each record once, byte for byte, continues after more appends, and verifies from the table alone', async () => {
    const path = join(dir, 'a.journal')
    const j = FileJournal.open(path)
    for (let i = 0; i < 700; i++)
      j.append('venue.report', { kind: 'FILL', n: i, px: 100 + i / 8, note: 'é "q"' }, 1000 + i)
    const m = new PgJournalMirror(client, 'N1', table)
    await m.init()
    assert.equal(await m.ship(path, 256), 700)
    assert.equal(await m.ship(path), 0, 'nothing twice')
    for (let i = 0; i < 5; i++) j.append('md.bar', { i }, 2000 + i)
    j.close()
    assert.equal(await m.ship(path), 5)
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean)
    const rows = (await client.query(`select line from ${table} where node_id = 'N1' order by seq`)).rows.map(
      (r) => r.line as string,
    )
    assert.deepEqual(rows, lines)
    const file = verifyJournal(path)
    assert.deepEqual(await m.verify(), { ok: true, records: 705, lastHash: file.lastHash })
  })

  it('finds a row edited in the table and refuses to ship a file of another history', async () => {
    const path = join(dir, 'b.journal')
    const j = FileJournal.open(path)
    for (let i = 0; i < 10; i++) j.append('cmd.submit', { i }, i)
    j.close()
    const m = new PgJournalMirror(client, 'N2', table)
    await m.init()
    await m.ship(path)
    await client.query(`update ${table} set line = replace(line, '"i":4', '"i":40') where node_id = 'N2' and seq = 5`)
    const v = await m.verify()
    assert.equal(v.ok, false)
    assert.deepEqual(v.firstBad?.record, 5)
    const other = join(dir, 'c.journal')
    const k = FileJournal.open(other)
    for (let i = 0; i < 12; i++) k.append('cmd.submit', { i: i + 100 }, i)
    k.close()
    await assert.rejects(
      m.ship(other),
      (e: unknown) => e instanceof KestrelError && e.code === 'JOURNAL_INVALID' && /does not continue/.test(e.message),
    )
  })

  it('refuses a table name that is not a plain identifier', () => {
    assert.throws(() => new PgJournalMirror(client, 'N1', 'x; drop table y'), /plain identifier/)
  })
})
