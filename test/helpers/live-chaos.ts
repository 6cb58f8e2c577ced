/**
 * Chaos harness of the live node: `kestrel venue serve --protocol alpaca` runs for the whole test while
 * `kestrel live` trading test/helpers/chaos-strategy.ts is killed with SIGKILL at seeded random moments and
 * started again, `kills` times; then a last run is stopped with SIGINT. What it checks, against the venue's own
 * books (`GET /admin/orders`, `/admin/fills`, `/v2/positions`):
 * - 0 lost: every order the journal says was submitted is at the venue;
 * - 0 duplicated: every order at the venue is one the journal submitted, once;
 * - 0 invented: the fills the node applied are exactly the venue's (by fill id);
 * - positions equal the venue's, and no restart found a difference it could not explain (no reconcile halt).
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readJournal, NODE_RECORD } from '../../src/engine/index.ts'

const STRATEGY = new URL('./chaos-strategy.ts', import.meta.url).pathname

/** What a chaos run did. */
export interface ChaosCounts {
  readonly kills: number
  readonly restarts: number
  readonly orders: number
  readonly fills: number
  readonly resubmits: number
  readonly position: number
}

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function start(
  args: string[],
  env: Record<string, string> = {},
): {
  child: ChildProcess
  out: () => string
  err: () => string
  wait: (re: RegExp, ms: number) => Promise<void>
  exit: Promise<number | null>
} {
  const child = spawn(process.execPath, ['bin/kestrel.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1', ...env },
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const wait = (re: RegExp, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now()
      const poll = () => {
        if (re.test(out) || re.test(err)) return resolve()
        if (child.exitCode !== null || child.signalCode !== null)
          return reject(new Error(`kestrel ${args[0]} exited before ${re}: ${err}`))
        if (performance.now() - t0 > ms)
          return reject(new Error(`kestrel ${args[0]}: no ${re} within ${ms} ms: ${err}`))
        setTimeout(poll, 10)
      }
      poll()
    })
  return { child, out: () => out, err: () => err, wait, exit }
}

async function admin<T>(url: string, path: string): Promise<T> {
  const r = await fetch(`${url}${path}`, {
    headers: { 'APCA-API-KEY-ID': 'kestrel', 'APCA-API-SECRET-KEY': 'kestrel' },
  })
  return (await r.json()) as T
}

/** Runs the chaos test in `dir`; see the file header. */
export async function liveChaos(opts: {
  readonly dir: string
  readonly kills: number
  readonly seed: number
  /** Longest wait before a kill, after the node is up (ms). */
  readonly maxDelayMs?: number
  readonly barIntervalMs?: number
  readonly faults?: string
}): Promise<ChaosCounts> {
  const rnd = lcg(opts.seed)
  const venueArgs = [
    'venue',
    'serve',
    '--protocol',
    'alpaca',
    '--port',
    '0',
    '--bar-interval',
    String(opts.barIntervalMs ?? 25),
    '--seed',
    String(opts.seed),
    '--participation',
    '0.0002',
  ]
  if (opts.faults) venueArgs.push('--faults', opts.faults)
  const venue = start(venueArgs)
  try {
    await venue.wait(/"url"/, 60_000)
    const url = (JSON.parse(venue.out().split('\n')[0]!) as { url: string }).url
    const journal = join(opts.dir, 'chaos.journal')
    const config = join(opts.dir, 'chaos.yaml')
    writeFileSync(
      config,
      [
        'strategies:',
        `  - use: ${STRATEGY}`,
        'account: { cash: 1000000 }',
        'live:',
        '  nodeId: C1',
        `  journal: ${journal}`,
        "  venue: { protocol: alpaca, url: '${ENV:KESTREL_VENUE_URL}', keyId: kestrel, secretKey: kestrel }",
        '  instruments: [{ symbol: SPY, timeframe: 1m }]',
        '  reconcileEveryMs: 500',
        '  ackTimeoutMs: 500',
        '',
      ].join('\n'),
    )
    const env = { KESTREL_VENUE_URL: url }
    let kills = 0
    let restarts = 0
    for (let i = 0; i < opts.kills; i++) {
      const node = start(['live', '--config', config], env)
      await node.wait(/live node C1 up/, 60_000)
      if (i > 0) restarts++
      assert.doesNotMatch(node.err(), /HALTED: reconcile/, `restart ${i}: ${node.err()}`)
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * (opts.maxDelayMs ?? 800))))
      node.child.kill('SIGKILL')
      await node.exit
      kills++
    }
    const last = start(['live', '--config', config, '--json'], env)
    await last.wait(/live node C1 up/, 60_000)
    assert.doesNotMatch(last.err(), /HALTED: reconcile/, last.err())
    await new Promise((r) => setTimeout(r, 1500))
    last.child.kill('SIGINT')
    assert.equal(await last.exit, 0, last.err())
    const summary = JSON.parse(last.out()) as { halted: Record<string, string>; counters: { resubmits: number } }
    assert.equal(summary.halted.reconcile, undefined, JSON.stringify(summary.halted))

    const recs = readJournal(journal)
    const submitted = recs
      .filter((r) => r.kind === NODE_RECORD.submit)
      .map((r) => (r.data as { clientOrderId: string }).clientOrderId)
    assert.equal(new Set(submitted).size, submitted.length, 'the journal submits each order once')
    const venueOrders = await admin<{ client_order_id: string }[]>(url, '/admin/orders')
    const atVenue = new Set(venueOrders.map((o) => o.client_order_id))
    assert.equal(atVenue.size, venueOrders.length, 'one venue order per client order id')
    const lost = submitted.filter((id) => !atVenue.has(id))
    assert.deepEqual(lost, [], 'every journaled order reached the venue')
    const known = new Set(submitted)
    const extra = [...atVenue].filter((id) => !known.has(id))
    assert.deepEqual(extra, [], 'the venue holds no order the node did not journal')
    const fills = new Map<string, number>()
    for (const r of recs) {
      const d = r.data as { kind?: string; fill?: { fillId: string; side: string; quantity: number } }
      if (r.kind === NODE_RECORD.report && d.kind === 'FILL')
        fills.set(d.fill!.fillId, (d.fill!.side === 'BUY' ? 1 : -1) * d.fill!.quantity)
    }
    const venueFills = await admin<{ id: string; side: string; qty: string }[]>(url, '/admin/fills')
    const venueIds = venueFills.map((f) => f.id.slice(f.id.indexOf('::') >= 0 ? f.id.indexOf('::') + 2 : 0))
    assert.deepEqual([...fills.keys()].sort(), [...venueIds].sort(), 'the node applied exactly the venue fills')
    const ours = [...fills.values()].reduce((a, b) => a + b, 0)
    const pos = await admin<{ qty: string; side: string }[]>(url, '/v2/positions')
    const theirs = pos.reduce((a, p) => a + Number(p.qty) * (p.side === 'short' && Number(p.qty) > 0 ? -1 : 1), 0)
    assert.equal(Math.round(ours * 1e6) / 1e6, theirs, 'position equals the venue')
    return {
      kills,
      restarts,
      orders: submitted.length,
      fills: fills.size,
      resubmits: summary.counters.resubmits,
      position: ours,
    }
  } finally {
    venue.child.kill('SIGTERM')
    await venue.exit
  }
}
