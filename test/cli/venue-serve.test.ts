/**
 * `kestrel venue serve` as a user runs it: a child process that prints its port as one JSON line, serves the
 * Alpaca protocol to the adapter, and stops on SIGTERM; bad flags are refused with the part that is wrong.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, describe, it } from 'node:test'
import { AlpacaExecutionClient } from '../../src/adapters/index.ts'
import type { ExecutionReport } from '../../src/core/index.ts'
import { runCliCaptured } from '../../src/cli/testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-venue-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const csv = join(dir, 'MSFT_1m.csv')
writeFileSync(
  csv,
  [
    'timestamp,open,high,low,close,volume',
    '2024-01-02T14:30:00Z,370,371,369,370.5,1000',
    '2024-01-02T14:31:00Z,370.5,372,370,371,1000',
    '2024-01-02T14:32:00Z,371,372,370.5,371.5,1000',
  ].join('\n') + '\n',
)

describe('kestrel venue serve', () => {
  it('prints its port with --port 0, serves the Alpaca adapter, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/kestrel.mjs',
        'venue',
        'serve',
        '--protocol',
        'alpaca',
        '--port',
        '0',
        '--data',
        csv,
        '--key-id',
        'K',
        '--secret',
        'S',
      ],
      { env: { ...process.env, KESTREL_FROM_SOURCE: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)))
    try {
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout }).once('line', res)
        child.once('exit', () => rej(new Error(`exited before printing its port: ${err}`)))
      })
      const addr = JSON.parse(line) as { protocol: string; port: number; url: string }
      assert.equal(addr.protocol, 'alpaca')
      assert.ok(addr.port > 0 && addr.port < 65536)
      assert.equal(addr.url, `http://127.0.0.1:${addr.port}`)
      const reports: ExecutionReport[] = []
      const client = new AlpacaExecutionClient({ baseUrl: addr.url, keyId: 'K', secretKey: 'S' })
      client.connect((r) => reports.push(r))
      await client.start()
      await client.submitOrder({
        clientOrderId: 'c1',
        strategyId: 's',
        instrumentId: 'MSFT.ALPACA',
        side: 'BUY',
        type: 'MARKET',
        quantity: 3,
        timeInForce: 'DAY',
        reduceOnly: false,
        postOnly: false,
        status: 'SUBMITTED',
        filledQuantity: 0,
        avgFillPrice: NaN,
        createdAt: 0,
        updatedAt: 0,
      })
      const adv = (await (await fetch(`${addr.url}/admin/advance`, { method: 'POST', body: '{"bars":1}' })).json()) as {
        advanced: number
        remaining: number
      }
      assert.deepEqual(adv, { advanced: 1, time: '2024-01-02T14:31:00Z', remaining: 2 })
      const end = Date.now() + 5000
      while (reports.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5))
      assert.deepEqual(
        reports.map((r) => (r.kind === 'FILL' ? `FILL ${r.fill.quantity}@${r.fill.price}` : r.kind)),
        ['ACCEPTED', 'FILL 3@370'],
      )
      await client.stop()
      child.kill('SIGTERM')
      assert.equal(await exited, 0, err)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('refuses a bad --faults part with exit 1, naming it', async () => {
    const r = await runCliCaptured([
      'venue',
      'serve',
      '--protocol',
      'alpaca',
      '--data',
      csv,
      '--faults',
      'http429@p=0.1:retry-after=1,dup-report@often',
    ])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /--faults: "dup-report@often": trigger "often" is not key=value/)
    assert.equal(r.out, '')
  })

  it('refuses a protocol it does not speak with exit 2', async () => {
    const r = await runCliCaptured(['venue', 'serve', '--protocol', 'fix', '--data', csv])
    assert.equal(r.code, 2, r.err)
    assert.match(r.err, /--protocol "fix" is not one Kestrel speaks \(known: alpaca\)/)
  })
})
