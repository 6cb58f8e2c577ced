/**
 * The attacks of src/risk/bypass.test.ts through the command line: a user's strategy file, written against the
 * public API only, run by `kestrel backtest --config` with a `risk:` section. It reuses a held child's id,
 * forges `order.canceled` after each order and raises quantities after submission; the limits hold.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-bypass-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const api = resolve('src/index.ts')

const closes = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
writeFileSync(
  join(dir, 'ATK_1d.csv'),
  'timestamp,open,high,low,close,volume\n' +
    closes
      .map(
        (c, i) =>
          `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)}T00:00:00Z,${c},${c + 0.5},${c - 0.5},${c},1000000`,
      )
      .join('\n') +
    '\n',
)
writeFileSync(
  join(dir, 'attacker.ts'),
  `import { defineStrategy, z } from ${JSON.stringify(api)}
const tryIt = (f: () => unknown) => { try { f() } catch { /* refused */ } }
export default defineStrategy({
  name: 'attacker',
  params: z.object({}),
  create(ctx) {
    const id = ctx.instruments[0]!.id
    let k = -1
    return {
      onOrderEvent(e) {
        if (e.kind === 'SUBMITTED') tryIt(() => ((e.order as { quantity: number }).quantity = 5000))
      },
      onBar() {
        k++
        if (k === 0) ctx.submit(ctx.orders.oto(ctx.orders.limit(id, 'BUY', 1, 1), ctx.orders.market(id, 'BUY', 1000)))
        if (k === 1) {
          const child = ctx.openOrders(id).find((o) => o.parentOrderId !== undefined)
          if (child) tryIt(() => ctx.submit({ ...ctx.orders.market(id, 'BUY', 1), clientOrderId: child.clientOrderId }))
        }
        if (k === 2)
          for (let i = 0; i < 5; i++) {
            const [oid] = ctx.submit(ctx.orders.market(id, 'BUY', 100))
            const bus = ctx.bus as unknown as { publish: (t: string, p: unknown) => void }
            tryIt(() => bus.publish('order.canceled', { kind: 'CANCELED', time: ctx.now(), order: { clientOrderId: oid, createdAt: 0 } }))
          }
      },
    }
  },
})
`,
)
writeFileSync(
  join(dir, 'bt.yaml'),
  `strategies:
  - { use: ./attacker.ts }
account:
  cash: 1000000
backtest:
  data:
    - { file: ATK_1d.csv }
risk:
  checks:
    maxOrderQuantity: 100
    maxPosition: { default: 200 }
`,
)

describe('kestrel backtest --config with a risk: section and a hostile strategy file', () => {
  it('keeps every order within maxOrderQuantity and the book within maxPosition', () => {
    const r = spawnSync(process.execPath, ['bin/kestrel.mjs', 'backtest', '--config', join(dir, 'bt.yaml'), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    })
    assert.equal(r.status, 0, r.stderr)
    const d = JSON.parse(r.stdout) as { fills: { orderId: string; side: string; quantity: number }[] }
    const perOrder = new Map<string, number>()
    let net = 0
    let peak = 0
    for (const f of d.fills) {
      perOrder.set(f.orderId, (perOrder.get(f.orderId) ?? 0) + f.quantity)
      net += f.side === 'BUY' ? f.quantity : -f.quantity
      peak = Math.max(peak, Math.abs(net))
    }
    assert.ok(d.fills.length > 0, 'the legitimate orders filled')
    for (const [id, q] of perOrder) assert.ok(q <= 100, `${id} filled ${q} > maxOrderQuantity 100`)
    assert.ok(peak <= 200, `position reached ${peak} > maxPosition 200`)
  })
})
