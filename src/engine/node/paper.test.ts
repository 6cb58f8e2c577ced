import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { KestrelError, makeInstrument } from '../../core/index.ts'
import { LimitsRiskEngine } from '../../risk/index.ts'
import { emaCross } from '../../strategy/index.ts'
import { runBacktest, type BacktestOptions } from '../backtest-runner.ts'
import { randomBars } from '../testing.ts'
import { readJournal, verifyJournal } from '../journal/index.ts'
import { NODE_RECORD, nodeFingerprint, parseSpeed, runPaper, type NodeControl } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-paper-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let k = 0
const journal = () => join(dir, `p${++k}.journal`)

const inst = makeInstrument({ symbol: 'TEST', venue: 'SIM', assetClass: 'equity' })
const series = randomBars(11, 3000, inst.id)
const options = (over: Partial<BacktestOptions> = {}): BacktestOptions => ({
  instruments: [inst],
  feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
  strategies: [{ definition: emaCross as never, params: { fast: 5, slow: 20, size: 10 } }],
  account: { cash: 100_000 },
  ...over,
})
const fp = nodeFingerprint({ test: 'ema 5/20' })

describe('paper trading on a replayed feed', () => {
  it('fills exactly as the backtest of the same bars, and journals every input and output', async () => {
    const bt = await runBacktest(options())
    const path = journal()
    const paper = await runPaper(options(), { journal: path, fingerprint: fp })
    assert.ok(bt.fills.length > 100)
    assert.deepEqual(paper.fills, bt.fills)
    assert.deepEqual([...paper.equity.value], [...bt.equity.value])
    const recs = readJournal(path)
    const count = (kind: string) => recs.filter((r) => r.kind === kind).length
    assert.equal(count(NODE_RECORD.bar), 3000)
    assert.equal(count(NODE_RECORD.submit), bt.orders.length)
    assert.equal(
      recs.filter((r) => r.kind === NODE_RECORD.report && (r.data as { kind: string }).kind === 'FILL').length,
      bt.fills.length,
    )
    assert.equal(recs[0]!.kind, NODE_RECORD.start)
    assert.equal(recs.at(-1)!.kind, NODE_RECORD.stop)
    assert.deepEqual(paper.journal, {
      path,
      records: recs.length,
      replayed: 0,
      tornBytes: 0,
      lastHash: recs.at(-1)!.hash,
    })
    // Journal first: each order's submit record comes before the report that acknowledges it.
    const firstSubmit = recs.findIndex((r) => r.kind === NODE_RECORD.submit)
    const firstReport = recs.findIndex((r) => r.kind === NODE_RECORD.report)
    assert.ok(firstSubmit >= 0 && firstSubmit < firstReport)
    assert.equal(verifyJournal(path).ok, true)
  })

  it('goes on after being cut short at any record and ends with the uninterrupted run', async () => {
    const whole = journal()
    const ref = await runPaper(options(), { journal: whole, fingerprint: fp })
    const lines = readFileSync(whole, 'utf8').split('\n').filter(Boolean)
    // What a kill leaves: a prefix of the journal (the node writes before it acts), maybe a torn last line.
    for (const cut of [1, 2, 57, 1234, Math.floor(lines.length / 2), lines.length - 3]) {
      const p = journal()
      writeFileSync(p, `${lines.slice(0, cut).join('\n')}\n${cut % 2 ? lines[cut]!.slice(0, 40) : ''}`)
      const resumed = await runPaper(options(), { journal: p, fingerprint: fp })
      assert.deepEqual(resumed.fills, ref.fills, `cut at ${cut}`)
      assert.deepEqual(
        resumed.orders.map((o) => o.clientOrderId),
        ref.orders.map((o) => o.clientOrderId),
      )
      assert.equal(resumed.journal.replayed, cut)
      assert.equal(resumed.journal.tornBytes, cut % 2 ? 40 : 0)
      // No order is sent twice: each client order id has exactly one submit record.
      const ids = readJournal(p)
        .filter((r) => r.kind === NODE_RECORD.submit)
        .map((r) => (r.data as { clientOrderId: string }).clientOrderId)
      assert.equal(new Set(ids).size, ids.length)
      assert.equal(ids.length, ref.orders.length)
    }
  })

  it('refuses to replay a journal of other strategies or parameters, naming the record', async () => {
    const p = journal()
    await runPaper(options(), { journal: p, fingerprint: fp })
    await assert.rejects(
      runPaper(options(), { journal: p, fingerprint: nodeFingerprint({ other: true }) }),
      (e: unknown) => e instanceof KestrelError && e.code === 'NODE_HALTED' && /start a new journal/.test(e.message),
    )
    // Same fingerprint, different parameters (a fingerprint that lies): the replay itself finds the difference.
    const lines = readFileSync(p, 'utf8').split('\n').filter(Boolean)
    const q = journal()
    writeFileSync(q, `${lines.slice(0, 2000).join('\n')}\n`)
    const other = options({
      strategies: [{ definition: emaCross as never, params: { fast: 6, slow: 20, size: 10 } }],
    })
    await assert.rejects(
      runPaper(other, { journal: q, fingerprint: fp }),
      (e: unknown) =>
        e instanceof KestrelError && e.code === 'NODE_HALTED' && /replay diverged at record \d+/.test(e.message),
    )
  })

  it('kills from the control interface: cancels, flattens, journals the kill and blocks new orders until re-armed', async () => {
    const p = journal()
    let ctl: NodeControl | undefined
    const run = runPaper(options({ risk: new LimitsRiskEngine({}) }), {
      journal: p,
      fingerprint: fp,
      onReady: (c) => {
        ctl = c
      },
    })
    // Let the replay make some progress, then kill from outside, as the control socket would.
    await new Promise((r) => setImmediate(r))
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r))
    ctl!.kill('ops', 'test kill')
    assert.equal(ctl!.status().risk.killed, true)
    const res = await run
    const recs = readJournal(p)
    const killAt = recs.findIndex((r) => r.kind === NODE_RECORD.control)
    assert.ok(killAt > 0)
    assert.deepEqual(recs[killAt]!.data, { action: 'kill', by: 'ops', reason: 'test kill' })
    // After the kill, no strategy order reaches the venue: only risk's own flattening orders (owner R).
    const after = recs
      .slice(killAt)
      .filter((r) => r.kind === NODE_RECORD.submit)
      .map((r) => (r.data as { clientOrderId: string }).clientOrderId)
    assert.ok(
      after.every((id) => /^N1-R-/.test(id)),
      after.join(','),
    )
    const net = res.fills.reduce((s, f) => s + (f.side === 'BUY' ? f.quantity : -f.quantity), 0)
    assert.equal(net, 0, 'flat at the end')
    assert.equal(ctl!.positions().length, 0)
    // A restart replays the kill: still killed, still no strategy order.
    const again = await runPaper(options({ risk: new LimitsRiskEngine({}) }), { journal: p, fingerprint: fp })
    assert.deepEqual(again.fills, res.fills)
  })

  it('paces a replay at a multiple of real time', async () => {
    const waits: number[] = []
    let now = 0
    await runPaper(options({ feeds: [{ instrumentId: inst.id, timeframe: '1m', data: randomBars(3, 5, inst.id) }] }), {
      journal: journal(),
      fingerprint: fp,
      speed: parseSpeed('60x'),
      wallMs: () => now,
      sleep: async (ms) => {
        waits.push(ms)
        now += ms
      },
    })
    assert.deepEqual(waits, [1000, 1000, 1000, 1000])
    assert.throws(() => parseSpeed('fast'), /--speed: expected max or a multiple/)
    assert.equal(parseSpeed('max'), 'max')
    assert.equal(parseSpeed('0.5x'), 0.5)
  })
})
