import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBus, makeInstrument, type OrderRequest } from '../core/index.ts'
import { LimitsRiskEngine } from './limits-risk-engine.ts'
import type { RiskState } from './types.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'crypto' })
const G = makeInstrument({ symbol: 'GME', venue: 'SIM', assetClass: 'crypto' })
const T0 = Date.UTC(2024, 0, 2)

function state(): RiskState & { time: number } {
  const s = {
    time: T0,
    get account() {
      return {
        accountId: 'A',
        currency: 'USD',
        time: s.time,
        cash: 1e6,
        equity: 1e6,
        marginUsed: 0,
        marginAvailable: 1e6,
        leverage: 0,
      }
    },
    netQuantity: () => 0,
    position: () => ({
      instrumentId: '',
      quantity: 0,
      avgPrice: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      lastPrice: 0,
      openedAt: 0,
      updatedAt: 0,
    }),
    lastPrice: () => 100,
    openOrderCount: () => 0,
    equity: () => 1e6,
  }
  return s
}

let n = 0
const order = (instrumentId: string, quantity: number): OrderRequest => ({
  clientOrderId: `O${++n}`,
  strategyId: 's',
  instrumentId,
  side: 'BUY',
  type: 'MARKET',
  quantity,
  timeInForce: 'GTC',
  reduceOnly: false,
  postOnly: false,
})

describe('repeated rejections in the log', () => {
  it('writes 100,000 rejections as at most one line per reason per 10 s of the run clock, counts adding up', () => {
    const lines: { message: string; fields: Record<string, unknown> }[] = []
    const bus = new EventBus({ historySize: 0 })
    const risk = new LimitsRiskEngine(
      { checks: { maxOrderQuantity: 10, restricted: ['GME'] } },
      { instruments: [A, G], bus, log: (_level, message, fields) => lines.push({ message, fields }) },
    )
    const st = state()
    const sent = { MAX_ORDER_QUANTITY: 0, RESTRICTED: 0 }
    // 100,000 refused orders over 1,000 s (one every 10 ms), two reasons interleaved unevenly, a mark every second.
    for (let i = 0; i < 100_000; i++) {
      st.time = T0 + i * 10
      const restricted = i % 7 === 0
      const d = risk.check(restricted ? order(G.id, 1) : order(A.id, 11), st)
      assert.equal(d.accept, false)
      sent[restricted ? 'RESTRICTED' : 'MAX_ORDER_QUANTITY']++
      if (i % 100 === 99) risk.onMark(st)
    }
    risk.onFinish()
    for (const code of ['MAX_ORDER_QUANTITY', 'RESTRICTED'] as const) {
      const mine = lines.filter((l) => l.fields.code === code)
      const total = mine.reduce((s, l) => s + (l.fields.count as number), 0)
      assert.equal(total, sent[code], `${code}: the counts add up to the rejections`)
      assert.equal(total, risk.status().counters[`risk.check.rejected.${code}`])
      const periodic = mine.filter((l) => l.fields.final !== true)
      for (let k = 1; k < periodic.length; k++) {
        const gap = (periodic[k]!.fields.time as number) - (periodic[k - 1]!.fields.time as number)
        assert.ok(gap >= 10_000, `${code}: lines ${k - 1} and ${k} are ${gap} ms apart`)
      }
      assert.ok(mine.filter((l) => l.fields.final === true).length <= 1)
      // 1,000 s of rejections: the first line at once, then one per 10 s window, plus the end of the run.
      assert.ok(mine.length <= 1_000 / 10 + 2, `${code}: ${mine.length} lines`)
      assert.equal(mine[0]!.fields.count, 1, 'the first rejection is written at once')
      assert.match(mine[0]!.message, new RegExp(`^risk rejected O\\d+: ${code}: `))
      assert.match(mine[1]!.message, new RegExp(`^risk rejected \\d+ orders for ${code} since `))
    }
  })

  it('writes a burst’s count once its window has passed, at the next mark, without another rejection', () => {
    const lines: Record<string, unknown>[] = []
    const risk = new LimitsRiskEngine(
      { checks: { maxOrderQuantity: 10 } },
      { instruments: [A], log: (_l, _m, f) => lines.push(f) },
    )
    const st = state()
    for (let i = 0; i < 50; i++) risk.check(order(A.id, 11), st)
    assert.deepEqual(
      lines.map((l) => l.count),
      [1],
    )
    st.time = T0 + 9_999
    risk.onMark(st)
    assert.equal(lines.length, 1, 'not before the window passed')
    st.time = T0 + 10_000
    risk.onMark(st)
    assert.deepEqual(
      lines.map((l) => l.count),
      [1, 49],
    )
    risk.onFinish()
    assert.equal(lines.length, 2, 'nothing left to write')
  })
})
