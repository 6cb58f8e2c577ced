import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { GENESIS_HASH, KestrelError, sha256Hex } from '../../core/index.ts'
import { FileJournal, readJournal, verifyJournal, type JournalRecord } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-journal-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const fresh = () => join(dir, `j${++n}.jsonl`)

function write(path: string, count: number, opts = {}): JournalRecord[] {
  const j = FileJournal.open(path, opts)
  const out: JournalRecord[] = []
  for (let i = 0; i < count; i++)
    out.push(j.append(i % 2 ? 'report' : 'submit', { i, id: `N1-S1-${i + 1}`, px: 100.25 + i }, 1_700_000_000_000 + i))
  j.close()
  return out
}

describe('FileJournal', () => {
  it('chains each record to the one before with the SHA-256 of its exact line', () => {
    const p = fresh()
    const recs = write(p, 3)
    const lines = readFileSync(p, 'utf8').split('\n')
    assert.equal(lines.length, 4)
    assert.equal(lines[3], '')
    assert.equal(recs[0]!.prev, GENESIS_HASH)
    for (let i = 0; i < 3; i++) {
      const line = lines[i]!
      const body = line.slice(0, line.length - 75)
      assert.equal(sha256Hex(body), recs[i]!.hash)
      assert.deepEqual(JSON.parse(line), recs[i])
      if (i > 0) assert.equal(recs[i]!.prev, recs[i - 1]!.hash)
    }
    assert.equal(
      lines[0],
      `{"seq":1,"time":1700000000000,"kind":"submit","data":{"i":0,"id":"N1-S1-1","px":100.25},"prev":"${GENESIS_HASH}","hash":"${recs[0]!.hash}"}`,
    )
    assert.deepEqual(readJournal(p), recs)
    assert.deepEqual(verifyJournal(p), { ok: true, records: 3, lastHash: recs[2]!.hash })
  })

  it('continues the chain after a reopen and hands every old record to onRecord first', () => {
    const p = fresh()
    const first = write(p, 2)
    const seen: number[] = []
    const j = FileJournal.open(p, { onRecord: (r) => seen.push(r.seq) })
    assert.deepEqual(seen, [1, 2])
    assert.deepEqual(j.recovery, { records: 2, tornBytes: 0 })
    const r = j.append('kill', { by: 'ops' }, 5)
    j.close()
    assert.equal(r.seq, 3)
    assert.equal(r.prev, first[1]!.hash)
    assert.equal(verifyJournal(p).ok, true)
  })

  for (const durability of ['os', 'fsync', 'batch'] as const) {
    it(`writes the same bytes in durability mode ${durability}`, () => {
      const a = fresh()
      const b = fresh()
      write(a, 20)
      write(b, 20, { durability, batchRecords: 7 })
      assert.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'))
    })
  }

  it('refuses a NaN, an infinity or a bigint and writes nothing', () => {
    const p = fresh()
    const j = FileJournal.open(p)
    for (const bad of [{ avgFillPrice: NaN }, { q: Infinity }, { n: 1n }]) {
      assert.throws(
        () => j.append('report', bad, 1),
        (e: unknown) => e instanceof KestrelError && e.code === 'JOURNAL_INVALID',
      )
    }
    assert.equal(j.lastSeq, 0)
    j.close()
    assert.equal(readFileSync(p, 'utf8'), '')
  })

  it('cuts off a torn last line on open and says how many bytes it cut', () => {
    const p = fresh()
    const recs = write(p, 3)
    appendFileSync(p, '{"seq":4,"time":1,"kind":"subm')
    assert.equal(verifyJournal(p).ok, false)
    assert.match(verifyJournal(p).firstBad!.reason, /torn write/)
    const j = FileJournal.open(p)
    assert.deepEqual(j.recovery, { records: 3, tornBytes: 30 })
    assert.equal(j.append('x', 1, 1).prev, recs[2]!.hash)
    j.close()
    assert.equal(verifyJournal(p).records, 4)
  })

  it('refuses to append to a journal whose chain is broken, naming the record', () => {
    const p = fresh()
    write(p, 4)
    const lines = readFileSync(p, 'utf8').split('\n')
    lines[1] = lines[1]!.replace('"px":101.25', '"px":101.26')
    writeFileSync(p, lines.join('\n'))
    assert.throws(
      () => FileJournal.open(p),
      (e: unknown) =>
        e instanceof KestrelError && e.code === 'JOURNAL_INVALID' && /record 2: hash does not match/.test(e.message),
    )
    assert.equal(existsSync(`${p}.lock`), false, 'a refused open leaves no lock')
  })

  it('finds a deleted, a swapped and an inserted record', () => {
    const base = fresh()
    write(base, 5)
    const lines = readFileSync(base, 'utf8').split('\n').slice(0, 5)
    const cases: [string[], number, RegExp][] = [
      [[lines[0]!, lines[2]!, lines[3]!, lines[4]!], 2, /seq is 3, expected 2/],
      [[lines[0]!, lines[2]!, lines[1]!, lines[3]!, lines[4]!], 2, /seq is 3/],
      [[lines[0]!, lines[1]!, lines[1]!, lines[2]!], 3, /seq is 2, expected 3/],
    ]
    for (const [ls, at, why] of cases) {
      const p = fresh()
      writeFileSync(p, `${ls.join('\n')}\n`)
      const v = verifyJournal(p)
      assert.equal(v.ok, false)
      assert.equal(v.firstBad!.record, at)
      assert.match(v.firstBad!.reason, why)
    }
  })

  it('finds records cut off the end when given the hash an auditor kept', () => {
    const p = fresh()
    const recs = write(p, 5)
    const kept = { records: 5, lastHash: recs[4]!.hash }
    assert.equal(verifyJournal(p, kept).ok, true)
    const lines = readFileSync(p, 'utf8').split('\n')
    writeFileSync(p, `${lines.slice(0, 3).join('\n')}\n`)
    const v = verifyJournal(p, kept)
    assert.equal(v.ok, false)
    assert.equal(v.firstBad!.record, 4)
  })

  it('detects any single changed byte at or before the record that holds it', () => {
    const p = fresh()
    write(p, 6)
    const original = readFileSync(p)
    const ends: number[] = []
    for (let i = 0; i < original.length; i++) if (original[i] === 10) ends.push(i)
    fc.assert(
      fc.property(fc.nat(original.length - 1), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const b = Buffer.from(original)
        b[pos] = (b[pos]! + delta) % 256
        const q = fresh()
        writeFileSync(q, b)
        const v = verifyJournal(q)
        const rec = ends.findIndex((e) => e >= pos) + 1
        return !v.ok && v.firstBad!.record <= rec
      }),
      { numRuns: 300, seed: 7 },
    )
  })

  it('refuses a second writer while the first one lives, and takes over the lock of a killed one', async () => {
    const p = fresh()
    const j = FileJournal.open(p)
    assert.throws(
      () => FileJournal.open(p),
      (e: unknown) => e instanceof KestrelError && e.code === 'STATE_INVALID' && /in use by process/.test(e.message),
    )
    j.close()
    // A process that died holding the lock: its pid no longer runs.
    const child = spawn(process.execPath, ['-e', '0'])
    const pid = child.pid!
    await new Promise((r) => child.once('exit', r))
    writeFileSync(`${p}.lock`, `${pid}\n`)
    const k = FileJournal.open(p)
    k.close()
  })

  it('keeps every record a killed writer acknowledged (SIGKILL at seeded random moments)', async () => {
    const script = new URL('../../../test/helpers/journal-kill-child.ts', import.meta.url).pathname
    let rnd = 12345
    for (let run = 0; run < 4; run++) {
      const p = fresh()
      rnd = (rnd * 1103515245 + 12345) % 2 ** 31
      const delay = 150 + (rnd % 250)
      const acked = await new Promise<number>((resolve, reject) => {
        const c = spawn(process.execPath, ['--import', 'tsx', script, p], { stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        let timer: NodeJS.Timeout | undefined
        c.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          if (timer === undefined && out.includes('ready\n')) timer = setTimeout(() => c.kill('SIGKILL'), delay)
        })
        c.once('error', reject)
        c.once('exit', () => {
          clearTimeout(timer)
          const acks = out.split('\n').filter((l) => /^\d+$/.test(l))
          resolve(acks.length ? Number(acks[acks.length - 1]) : 0)
        })
      })
      assert.ok(acked > 0, 'the writer got going before the kill')
      const j = FileJournal.open(p)
      assert.ok(j.lastSeq >= acked, `run ${run}: ${j.lastSeq} records on disk, ${acked} acknowledged`)
      j.close()
      assert.equal(verifyJournal(p).ok, true)
    }
  })
})
