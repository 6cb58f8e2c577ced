import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { readJournal, verifyJournal, FileJournal, NODE_RECORD } from '../../engine/index.ts'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-paper-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const CONFIG = 'examples/paper.yaml'

/** The report without what only a paper run has (its journal; its node id P1 in the order ids). */
function comparable(json: string): Record<string, unknown> {
  const { journal: _j, ...rest } = JSON.parse(json.replaceAll('"P1-', '"N1-')) as Record<string, unknown>
  return rest
}

function child(args: string[]): {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>
  kill: (s: NodeJS.Signals) => void
  stderrHas: (re: RegExp) => Promise<void>
} {
  const c = spawn(process.execPath, ['bin/kestrel.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  })
  let out = ''
  let err = ''
  const waiters: [RegExp, () => void][] = []
  c.stdout.on('data', (d: Buffer) => (out += d.toString()))
  c.stderr.on('data', (d: Buffer) => {
    err += d.toString()
    for (const w of [...waiters])
      if (w[0].test(err)) {
        waiters.splice(waiters.indexOf(w), 1)
        w[1]()
      }
  })
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => c.once('exit', (code, signal) => resolve({ code, signal, out, err })),
  )
  return {
    done,
    kill: (s) => c.kill(s),
    stderrHas: (re) => new Promise<void>((resolve) => (re.test(err) ? resolve() : waiters.push([re, resolve]))),
  }
}

describe('kestrel paper', () => {
  it('prints the same report as kestrel backtest of the same config, plus its journal', async () => {
    const bt = await runCliCaptured(['backtest', '--config', CONFIG, '--json'])
    assert.equal(bt.code, 0, bt.err)
    const journal = join(dir, 'same.journal')
    const pp = await runCliCaptured(['paper', '--config', CONFIG, '--json', '--journal', journal, '--no-control'])
    assert.equal(pp.code, 0, pp.err)
    assert.deepEqual(comparable(pp.out), comparable(bt.out))
    const j = (JSON.parse(pp.out) as { journal: { records: number; replayed: number } }).journal
    assert.equal(j.replayed, 0)
    assert.equal(j.records, readJournal(journal).length)
    assert.match(pp.err, /journal .*same\.journal: \d+ records/)
  })

  it('survives SIGKILL at seeded random moments: the restarted node ends with the uninterrupted run, no order sent twice', async () => {
    const bt = await runCliCaptured(['backtest', '--config', CONFIG, '--json'])
    const journal = join(dir, 'killed.journal')
    let seed = 20261203
    let kills = 0
    for (let i = 0; i < 5; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      // Paced so that every kill lands mid-run whatever the machine's speed (pacing does not change fills).
      const c = child([
        'paper',
        '--config',
        CONFIG,
        '--json',
        '--journal',
        journal,
        '--no-control',
        '--speed',
        '20000x',
      ])
      await c.stderrHas(/paper node up/)
      await new Promise((r) => setTimeout(r, 20 + (seed % 600)))
      c.kill('SIGKILL')
      const r = await c.done
      if (r.signal === 'SIGKILL') kills++
      // What a kill leaves is a chain that verifies up to a possibly torn last record.
      const v = verifyJournal(journal)
      assert.ok(v.ok || /torn write/.test(v.firstBad!.reason), JSON.stringify(v.firstBad))
    }
    assert.ok(kills >= 3, `${kills} of 5 runs were killed mid-way`)
    const last = await runCliCaptured(['paper', '--config', CONFIG, '--json', '--journal', journal, '--no-control'])
    assert.equal(last.code, 0, last.err)
    assert.deepEqual(comparable(last.out), comparable(bt.out))
    const recs = readJournal(journal)
    const ids = recs
      .filter((r) => r.kind === NODE_RECORD.submit)
      .map((r) => (r.data as { clientOrderId: string }).clientOrderId)
    assert.equal(new Set(ids).size, ids.length, 'each order submitted once')
    assert.ok(recs.filter((r) => r.kind === NODE_RECORD.start).length >= 2)
    FileJournal.open(journal).close() // the lock of the killed runs was taken over, then released
  })

  it('answers kestrel live status, kill, rearm and halt on its control socket, and stops gracefully on SIGTERM', async () => {
    const journal = join(dir, 'ctl.journal')
    const socket = join(dir, 'ctl.sock')
    const c = child([
      'paper',
      '--config',
      CONFIG,
      '--json',
      '--journal',
      journal,
      '--control',
      socket,
      '--speed',
      '3000x',
    ])
    await c.stderrHas(/control socket/)
    assert.equal(statSync(socket).mode & 0o777, 0o600, 'only the owner may talk to the node')
    const st = await runCliCaptured(['live', 'status', '--socket', socket, '--json'])
    assert.equal(st.code, 0, st.err)
    const s = JSON.parse(st.out) as { nodeId: string; state: string; risk: { killed: boolean; mode: string } }
    assert.equal(s.nodeId, 'P1')
    assert.equal(s.state, 'running')
    assert.equal(s.risk.killed, false)
    const noWho = await runCliCaptured(['live', 'kill', '--socket', socket])
    assert.equal(noWho.code, 2, 'kill without --by and --reason is a usage error')
    const k = await runCliCaptured(['live', 'kill', '--socket', socket, '--by', 'ops', '--reason', 'test', '--json'])
    assert.equal(k.code, 0, k.err)
    assert.equal((JSON.parse(k.out) as { risk: { killed: boolean } }).risk.killed, true)
    const text = await runCliCaptured(['live', 'status', '--socket', socket])
    assert.match(text.out, /node P1 \(paper\) running .*KILL SWITCH ON/)
    const ra = await runCliCaptured(['live', 'rearm', '--socket', socket, '--by', 'ops', '--reason', 'checked'])
    assert.equal(ra.code, 0, ra.err)
    assert.match(ra.out, /re-armed by ops: checked \(cleared kill\)/)
    const h = await runCliCaptured(['live', 'halt', '--socket', socket, '--by', 'ops', '--reason', 'news', '--json'])
    assert.deepEqual((JSON.parse(h.out) as { halted: unknown }).halted, { operator: 'news (by ops)' })
    c.kill('SIGTERM')
    const r = await c.done
    assert.equal(r.code, 0, r.err)
    assert.match(r.err, /SIGTERM: stopping the paper node/)
    JSON.parse(r.out)
    const recs = readJournal(journal)
    assert.deepEqual(
      recs
        .filter((x) => x.kind === NODE_RECORD.control)
        .map((x) => (x.data as { action: string }).action)
        .filter((a) => a !== 'cancel-all'),
      ['kill', 'rearm', 'halt'],
    )
    assert.deepEqual(recs.at(-1)!.data, { reason: 'stopped' })
    const gone = await runCliCaptured(['live', 'status', '--socket', socket])
    assert.equal(gone.code, 3)
    assert.match(gone.err, /no node is running there/)
  })
})
