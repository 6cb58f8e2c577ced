import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-rejects-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const kestrel = pathToFileURL(resolve('src/index.ts')).href
const day = (i: number) => `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)}T00:00:00Z`
const data = join(dir, 'TOY_1d.csv')
writeFileSync(
  data,
  'timestamp,open,high,low,close,volume\n' +
    Array.from({ length: 8 }, (_, i) => `${day(i)},10,11,9,10,100000`).join('\n') +
    '\n',
)

/** A strategy that, on its second bar, submits what `body` builds (`inst`, `o` = ctx.orders in scope). */
function strategy(name: string, body: string): string {
  const file = join(dir, `${name}.ts`)
  writeFileSync(
    file,
    [
      `import { defineStrategy, roundPrice, z } from '${kestrel}'`,
      `export default defineStrategy({`,
      `  name: '${name}',`,
      `  params: z.object({}),`,
      `  create(ctx) {`,
      `    const inst = ctx.instruments[0]!`,
      `    const o = ctx.orders`,
      `    void roundPrice`,
      `    let n = 0`,
      `    return { onBar() { if (++n === 2) ctx.submit(${body}) } }`,
      `  },`,
      `})`,
    ].join('\n') + '\n',
  )
  return file
}

const run = (file: string, ...more: string[]) =>
  runCliCaptured(['backtest', '--data', data, '--strategy', file, '--fee-rate', '0', ...more])

describe('orders rejected for a reason the strategy can fix', () => {
  it('a limit price off the tick: counted in the table, exit 5, the error says roundPrice', async () => {
    const r = await run(strategy('offtick', `o.limit(inst.id, 'BUY', 10, 9.995)`))
    assert.equal(r.code, 5, r.err)
    assert.match(r.out, /rejected/)
    assert.match(r.out, /1 \(1 fixable\)/)
    const line = r.err.trim().split('\n').at(-1)!
    assert.equal(
      line,
      `error [ORDERS_REJECTED]: 1 order rejected for a reason the strategy can fix (tick 1); first: N1-S1-1 at ${day(2)}: ` +
        'price 9.995 is not on the tick 0.01: round it with roundPrice(instrument, price) (--allow-rejects runs on regardless)',
    )
  })

  it('the same price through roundPrice runs clean', async () => {
    const r = await run(strategy('ontick', `o.limit(inst.id, 'BUY', 10, roundPrice(inst, 9.995, 'down'))`))
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /fills/)
    assert.doesNotMatch(r.err, /rejected/)
  })

  it('--allow-rejects exits 0 with the count still in the table and the JSON', async () => {
    const file = strategy('offtick2', `o.limit(inst.id, 'BUY', 10, 9.995)`)
    const t = await run(file, '--allow-rejects')
    assert.equal(t.code, 0, t.err)
    assert.match(t.out, /1 \(1 fixable\)/)
    const j = await run(file, '--allow-rejects', '--json')
    assert.equal(j.code, 0, j.err)
    const d = JSON.parse(j.out)
    assert.equal(d.rejectedOrders.length, 1)
    assert.deepEqual(
      d.fixableRejects.map((x: { kind: string; orderId: string; fix: string }) => [x.kind, x.orderId, x.fix]),
      [['tick', 'N1-S1-1', 'round it with roundPrice(instrument, price)']],
    )
  })

  it('with --json the report is still printed before exit 5', async () => {
    const r = await run(strategy('offtick3', `o.stop(inst.id, 'SELL', 10, 8.123)`), '--json')
    assert.equal(r.code, 5, r.err)
    assert.equal(JSON.parse(r.out).fixableRejects.length, 1)
    assert.match(r.err, /error \[ORDERS_REJECTED\]: .*price 8\.123 is not on the tick 0\.01/)
  })

  it('a reduce-only stop sent with its entry: exit 5, the error says orders.oto', async () => {
    const r = await run(
      strategy('together', `[o.market(inst.id, 'BUY', 10), o.stop(inst.id, 'SELL', 10, 8, { reduceOnly: true })]`),
    )
    assert.equal(r.code, 5, r.err)
    assert.match(
      r.err,
      /error \[ORDERS_REJECTED\]: 1 order rejected for a reason the strategy can fix \(reduceOnly 1\); first: N1-S1-2 .*reduce-only order would open or increase a position: send an exit with its entry as ctx\.orders\.oto\(entry, exit\)/,
    )
  })

  it('the same pair through orders.oto runs clean', async () => {
    const r = await run(
      strategy('oto', `o.oto(o.market(inst.id, 'BUY', 10), o.stop(inst.id, 'SELL', 10, 8, { reduceOnly: true }))`),
      '--json',
    )
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.deepEqual(d.rejectedOrders, [])
    assert.equal(d.fills.length, 1)
  })

  it('a quantity off the lot says roundQuantity', async () => {
    const r = await run(strategy('lot', `o.market(inst.id, 'BUY', 1.5)`))
    assert.equal(r.code, 5, r.err)
    assert.match(r.err, /\(lot 1\).*quantity 1\.5 is not a multiple of lot 1 .*roundQuantity\(instrument, quantity\)/)
  })

  it('a refusal for buying power is not the strategy’s bug: exit 0', async () => {
    const r = await run(strategy('toobig', `o.market(inst.id, 'BUY', 1000000)`), '--json')
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.equal(d.rejectedOrders.length, 1)
    assert.match(d.rejectedOrders[0].reason, /^INSUFFICIENT_BUYING_POWER/)
    assert.deepEqual(d.fixableRejects, [])
  })

  it('a risk rejection does not count: exit 0', async () => {
    strategy('risky', `o.market(inst.id, 'BUY', 50)`)
    const cfg = join(dir, 'risky.yaml')
    writeFileSync(
      cfg,
      [
        'strategies: [{ use: ./risky.ts }]',
        'account: { cash: 100000 }',
        'backtest:',
        '  data: [{ file: TOY_1d.csv }]',
        'risk:',
        '  checks:',
        '    maxOrderQuantity: 10',
      ].join('\n') + '\n',
    )
    const r = await runCliCaptured(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.equal(d.rejectedOrders.length, 1)
    assert.match(d.rejectedOrders[0].reason, /MAX_ORDER_QUANTITY/)
    assert.deepEqual(d.fixableRejects, [])
  })
})
