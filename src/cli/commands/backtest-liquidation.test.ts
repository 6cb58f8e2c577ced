import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-liquidation-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const day = (i: number) => `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)}T00:00:00Z`

/** Daily bars at 100, then one bar gapping down to `low` and staying there. */
function crash(name: string, low: number): string {
  const path = join(dir, name)
  const rows: string[] = []
  for (let i = 0; i < 5; i++) rows.push(`${day(i)},100,100,100,100,1000`)
  for (let i = 5; i < 12; i++) rows.push(`${day(i)},${low},${low},${low},${low},1000`)
  writeFileSync(path, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`)
  return path
}

// buy-and-hold buys 199 at the second bar's open (100): 19,900 of notional on 10,000 of cash at 2× leverage,
// without fees (the default fee would take its part of every figure below).
const lever = (file: string, ...more: string[]) =>
  runCliCaptured([
    'backtest',
    '--data',
    file,
    '--strategy',
    'buy-and-hold',
    '--size',
    '199',
    '--cash',
    '10000',
    '--leverage',
    '2',
    '--fee-rate',
    '0',
    ...more,
  ])

describe('a run whose equity goes to or below zero', () => {
  it('ends at that bar and reports the liquidation, the bar time and the equity with its results', async () => {
    const r = await lever(crash('GAP_1d.csv', 30), '--json')
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    const equity = 10_000 + 199 * (30 - 100) // -3930: the gap took more than the account had
    assert.deepEqual(d.liquidation, {
      time: day(6), // the crash bar opens on day 5 and closes (is seen) at day 6
      equity,
      cash: equity,
      openPositions: [],
      message: `equity ${equity} at ${day(6)} is at or below zero: the account is wiped out and the run stopped there`,
    })
    assert.equal(d.finalEquity, equity)
    assert.equal(d.totalReturn, equity / 10_000 - 1)
    // the returns stop where the metrics do: at the last point with equity above zero (day 5's close)
    assert.equal(d.metricsThrough, day(5))
    assert.equal(d.returns.at(-1).time, d.metricsThrough)
    assert.equal(d.returns.length, d.metrics.periods)
    assert.deepEqual(d.equity.at(-1), { time: day(6), date: day(5).slice(0, 10), equity })
    assert.ok(d.returns.every((x: { return: number }) => x.return >= -1))
    assert.deepEqual(
      d.fills.map((f: { side: string; quantity: number; price: number }) => [f.side, f.quantity, f.price]),
      [
        ['BUY', 199, 100],
        ['SELL', 199, 30], // the venue's liquidation at the last price
      ],
    )
    assert.equal(d.stats.lastTime, day(6)) // nothing after the wipe-out
    assert.equal(d.metricsThrough, day(5))
    assert.equal(d.metrics.maxDrawdown, 0) // flat at 100 until the gap: metrics cover the solvent part only
    assert.match(r.err, new RegExp(`liquidated: equity -3930 at ${day(6)}`))
  })

  it('prints the liquidation in the table output too', async () => {
    const r = await lever(crash('GAP2_1d.csv', 30))
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /-3930/)
    assert.match(r.err, /liquidated: equity -3930/)
  })

  it('reports a margin call that closes the positions while equity stays positive, and runs on', async () => {
    const r = await lever(crash('DROP_1d.csv', 60), '--json')
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    const equity = 10_000 + 199 * (60 - 100) // 2040 < 25 % of 11,940 of gross: below maintenance margin
    assert.equal(d.liquidation, undefined)
    assert.deepEqual(d.marginCalls, [{ time: day(6), equity }])
    assert.equal(d.finalEquity, equity)
    assert.equal(d.stats.lastTime, day(12))
    assert.match(r.err, new RegExp(`margin call at ${day(6)}: equity 2040 below maintenance margin`))
  })
})

describe('--cash 0', () => {
  it('is a usage error, not an internal one', async () => {
    const r = await lever(crash('Z_1d.csv', 30), '--cash', '0')
    assert.equal(r.code, 2)
    assert.match(r.err, /^error \[USAGE\]: --cash 0: expected a number > 0/)
  })
})
