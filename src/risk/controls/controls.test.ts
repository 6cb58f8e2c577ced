import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBus, makeInstrument, type OrderRequest } from '../../core/index.ts'
import { LimitsRiskEngine } from '../limits-risk-engine.ts'
import type { RiskContext, RiskState } from '../types.ts'
import { historicalVar } from '../var/index.ts'

const A = makeInstrument({ symbol: 'AAA', venue: 'SIM', assetClass: 'equity' })
const B = makeInstrument({ symbol: 'BBB', venue: 'SIM', assetClass: 'equity' })

class State implements RiskState {
  time = 0
  eq = 100_000
  prices = new Map<string, number>([
    [A.id, 100],
    [B.id, 50],
  ])
  pos = new Map<string, number>()
  get account() {
    return {
      accountId: 'x',
      currency: 'USD',
      time: this.time,
      cash: 0,
      equity: this.eq,
      marginUsed: 0,
      marginAvailable: 0,
      leverage: 0,
    }
  }
  netQuantity(id: string) {
    return this.pos.get(id) ?? 0
  }
  position() {
    return {
      instrumentId: '',
      quantity: 0,
      avgPrice: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      lastPrice: 0,
      openedAt: 0,
      updatedAt: 0,
    }
  }
  lastPrice(id: string) {
    return this.prices.get(id) ?? NaN
  }
  openOrderCount() {
    return 0
  }
  equity() {
    return this.eq
  }
}

function rig(controls: unknown) {
  const bus = new EventBus()
  const risk = new LimitsRiskEngine({ controls })
  const sent: OrderRequest[] = []
  const canceled: string[] = []
  const st = new State()
  const ctx: RiskContext = {
    bus,
    instruments: [A, B],
    positions: () =>
      [...st.pos]
        .filter(([, q]) => q !== 0)
        .map(([instrumentId, quantity]) => ({ strategyId: 's', instrumentId, quantity })),
    openOrders: () => ['o1', 'o2'],
    cancel: (id) => void canceled.push(id),
    submit: (r) => {
      sent.push(r)
      assert.ok(risk.check(r, st).accept, 'risk accepts its own flatten/reduce orders')
    },
  }
  risk.attach(ctx)
  return { risk, bus, st, sent, canceled }
}

let n = 0
const buy = (id = A.id, q = 1): OrderRequest => ({
  clientOrderId: `C${++n}`,
  strategyId: 's',
  instrumentId: id,
  side: 'BUY',
  type: 'MARKET',
  quantity: q,
  timeInForce: 'GTC',
  reduceOnly: false,
  postOnly: false,
})
const sell = (id = A.id, q = 1): OrderRequest => ({ ...buy(id, q), side: 'SELL' })

describe('real-time controls', () => {
  it('halts on max drawdown, lets only reducing orders through, and clears after the cooldown once recovered', () => {
    const { risk, bus, st } = rig({ drawdown: { max: 0.1, cooldownMs: 60_000 } })
    st.pos.set(A.id, 100)
    risk.onMark(st)
    st.time = 1000
    st.eq = 89_000
    risk.onMark(st)
    const b = bus.history('risk.breach.drawdown')
    assert.equal(b.length, 1)
    assert.equal((b[0]!.payload as { action: string }).action, 'halt')
    assert.match((risk.check(buy(), st) as { reason: string }).reason, /^HALTED: .*drawdown 11\.00% > 10\.00%/)
    assert.ok(risk.check(sell(A.id, 50), st).accept)
    assert.equal(risk.check(sell(A.id, 60), st).accept, false, '50 already working: 60 more would flip the position')
    assert.ok(risk.check({ ...sell(A.id, 100), reduceOnly: true }, st).accept, 'a reduce-only stop is always allowed')
    st.eq = 95_000
    st.time = 30_000
    risk.onMark(st)
    assert.equal(risk.check(buy(), st).accept, false, 'still inside the cooldown')
    st.time = 61_000
    risk.onMark(st)
    assert.ok(risk.check(buy(), st).accept)
    assert.equal(bus.history('risk.clear.drawdown').length, 1)
  })

  it('keeps a manual-rearm breach after recovery until a person re-arms', () => {
    const { risk, st } = rig({ drawdown: { max: 0.1, cooldownMs: 0, rearm: 'manual' } })
    risk.onMark(st)
    st.eq = 80_000
    risk.onMark(st)
    st.eq = 100_000
    st.time = 1e6
    risk.onMark(st)
    assert.equal(risk.check(buy(), st).accept, false)
    risk.rearm('bob', 'reviewed')
    assert.ok(risk.check(buy(), st).accept)
  })

  it('fires the kill switch on the daily loss limit: cancels every order and flattens every position', () => {
    const { risk, st, sent, canceled, bus } = rig({ dailyLoss: { maxLossPct: 0.02 } })
    st.pos.set(A.id, 100)
    st.pos.set(B.id, -40)
    risk.onMark(st)
    st.eq = 97_999
    risk.onMark(st)
    assert.deepEqual(canceled, ['o1', 'o2'])
    assert.deepEqual(
      sent.map((o) => [o.instrumentId, o.side, o.quantity, o.reduceOnly]),
      [
        [A.id, 'SELL', 100, true],
        [B.id, 'BUY', 40, true],
      ],
    )
    assert.equal(risk.check(sell(), st).accept, false, 'even reducing orders of strategies are blocked when killed')
    assert.equal((bus.history('risk.kill')[0]!.payload as { flattened: number }).flattened, 2)
  })

  it('resets the daily loss at the configured hour', () => {
    const { risk, st, bus } = rig({ dailyLoss: { maxLoss: 1000, dayStartHourUtc: 0 } })
    risk.onMark(st)
    st.eq = 99_500
    st.time = 86_400_000 - 1
    risk.onMark(st)
    st.time = 86_400_000
    risk.onMark(st) // new day starts at 99,500
    st.eq = 98_600
    risk.onMark(st)
    assert.equal(bus.history('risk.breach.dailyLoss').length, 0)
    st.eq = 98_500
    risk.onMark(st)
    assert.equal(bus.history('risk.breach.dailyLoss').length, 1)
  })

  it('detects drawdown velocity inside its window only', () => {
    const { risk, st, bus } = rig({ drawdownVelocity: { maxDrop: 0.05, windowMs: 10_000, action: 'warn' } })
    // 4% over 20 s (slow) does not trip; 6% within 10 s does.
    for (let i = 0; i <= 20; i++) {
      st.time = i * 1000
      st.eq = 100_000 - i * 200
      risk.onMark(st)
    }
    assert.equal(bus.history('risk.breach.drawdownVelocity').length, 0)
    st.time = 25_000
    st.eq = 96_000 * 0.94
    risk.onMark(st)
    assert.equal(bus.history('risk.breach.drawdownVelocity').length, 1)
    assert.ok(risk.check(buy(), st).accept, 'warn does not block')
  })

  it('recomputes historical VaR as prices move, equal to the VaR of the scenario P&L', () => {
    const { risk, st, bus } = rig({ var: { method: 'historical', confidence: 0.95, lookback: 50, maxVar: 1e9 } })
    st.pos.set(A.id, 100)
    const rets: number[] = []
    let p = 100
    for (let i = 0; i <= 50; i++) {
      const r = 0.01 * Math.sin(i * 1.7) + 0.002 * ((i * 7) % 5) - 0.004
      if (i > 0) {
        p *= 1 + r
        rets.push(r)
      }
      st.prices.set(A.id, p)
      st.time = i * 60_000
      risk.onMark(st)
    }
    const v = risk.status().readings.var
    const expected = historicalVar(rets, 0.95) * 100 * p
    assert.ok(Math.abs(v - expected) < 1e-9 * expected, `${v} vs ${expected}`)
    risk.reload({ controls: { var: { method: 'historical', confidence: 0.95, lookback: 50, maxVar: expected * 0.9 } } })
    st.time += 60_000
    risk.onMark(st)
    const b = bus.history('risk.breach.var')
    assert.equal(b.length, 1, 'a reload of the limit keeps the scenario set')
    assert.match((b[0]!.payload as { message: string }).message, /^historical VaR\(0\.95\) /)
    // The ring wrapped: the oldest return gave way to this mark's 0.
    const wrapped = historicalVar([...rets.slice(1), 0], 0.95) * 100 * p
    assert.ok(Math.abs(risk.status().readings.var - wrapped) < 1e-9 * wrapped)
  })

  it('gives the same Monte Carlo VaR for the same seed', () => {
    const run = () => {
      const { risk, st } = rig({ var: { method: 'monteCarlo', confidence: 0.99, lookback: 30, paths: 2000, seed: 7 } })
      st.pos.set(A.id, 10)
      st.pos.set(B.id, -20)
      for (let i = 0; i < 40; i++) {
        st.prices.set(A.id, 100 + Math.sin(i) * 2)
        st.prices.set(B.id, 50 + Math.cos(i * 1.3))
        st.time = i
        risk.onMark(st)
      }
      return risk.status().readings
    }
    const a = run()
    const b = run()
    assert.ok(a.var > 0 && a.es >= a.var)
    assert.equal(a.var, b.var)
    assert.equal(a.es, b.es)
  })

  it('trips the volatility breaker for one instrument and leaves the others tradable', () => {
    const { risk, st, bus } = rig({ volatilityBreaker: { maxMove: 0.05, windowMs: 5 * 60_000, cooldownMs: 300_000 } })
    for (let i = 0; i < 5; i++) {
      st.time = i * 60_000
      st.prices.set(A.id, 100 - i * 1.5)
      risk.onMark(st)
    }
    const b = bus.history('risk.breach.volatilityBreaker')
    assert.equal(b.length, 1)
    assert.equal((b[0]!.payload as { instrumentId: string }).instrumentId, A.id)
    assert.equal(risk.check(buy(A.id), st).accept, false)
    assert.ok(risk.check(buy(B.id), st).accept)
  })

  it('halts an instrument with a position whose price stopped moving', () => {
    const { risk, st, bus } = rig({ feedStaleness: { maxAgeMs: 120_000 } })
    st.pos.set(A.id, 5)
    for (let i = 0; i < 5; i++) {
      st.time = i * 60_000
      st.prices.set(B.id, 50 + i)
      risk.onMark(st)
    }
    assert.equal(bus.history('risk.breach.feedStaleness').length, 1)
    assert.match((risk.check(buy(A.id), st) as { reason: string }).reason, /no price change for 180000 ms/)
  })

  it('reduces the largest position when concentration passes its limit', () => {
    const { risk, st, sent } = rig({ concentration: { maxWeight: 0.6, reduceFraction: 0.5 } })
    st.pos.set(A.id, 100) // 10,000
    st.pos.set(B.id, 20) // 1,000
    risk.onMark(st)
    assert.deepEqual(
      sent.map((o) => [o.instrumentId, o.side, o.quantity]),
      [
        [A.id, 'SELL', 50],
        [B.id, 'SELL', 10],
      ],
    )
    assert.equal(risk.status().readings.concentration.toFixed(4), (10 / 11).toFixed(4))
  })

  it('warns when order acknowledgement latency drifts above its baseline', () => {
    const { risk, st, bus } = rig({ latencyDrift: { maxRatio: 2, baselineOrders: 5, halfLife: 2 } })
    const ack = (ms: number) =>
      risk.onOrderEvent({
        kind: 'ACCEPTED',
        time: 1000 + ms,
        order: { clientOrderId: 'x', createdAt: 1000 },
      })
    for (let i = 0; i < 5; i++) ack(10)
    for (let i = 0; i < 3; i++) ack(12)
    risk.onMark(st)
    assert.equal(bus.history('risk.breach.latencyDrift').length, 0)
    for (let i = 0; i < 6; i++) ack(40)
    risk.onMark(st)
    assert.equal(bus.history('risk.breach.latencyDrift').length, 1)
    assert.ok(risk.status().readings.latencyEwmaMs > 20)
  })
})

describe('kill switch persistence and log lines', () => {
  it('re-sends the flatten when the venue refused it, until the book is flat', () => {
    const { risk, st, sent } = rig({ dailyLoss: { maxLoss: 100 } })
    st.pos.set(A.id, 10)
    risk.onMark(st)
    st.eq -= 200
    st.time = 1
    risk.onMark(st)
    assert.equal(sent.length, 1)
    risk.onOrderEvent({
      kind: 'REJECTED',
      time: 2,
      order: { clientOrderId: sent[0]!.clientOrderId, createdAt: 1 },
    })
    st.time = 3
    risk.onMark(st)
    assert.equal(sent.length, 2, 'flatten re-sent')
    assert.notEqual(sent[1]!.clientOrderId, sent[0]!.clientOrderId)
    st.time = 4
    risk.onMark(st)
    assert.equal(sent.length, 2, 'not re-sent while the second flatten is working')
    st.pos.set(A.id, 0)
    risk.onOrderEvent({
      kind: 'FILLED',
      time: 5,
      order: { clientOrderId: sent[1]!.clientOrderId, createdAt: 3 },
    })
    st.time = 6
    risk.onMark(st)
    assert.equal(sent.length, 2, 'flat: nothing more to send')
  })

  it('writes a log line for every rejection and breach through a pino logger', async () => {
    const { createLogger } = await import('../../core/index.ts')
    const { PassThrough } = await import('node:stream')
    const { pinoRiskLog } = await import('../limits-types.ts')
    const sink = new PassThrough()
    let text = ''
    sink.on('data', (c: Buffer) => (text += c.toString()))
    const log = pinoRiskLog(createLogger({ destination: sink, level: 'info' }))
    const risk = new LimitsRiskEngine(
      { checks: { maxOrderQuantity: 1 }, controls: { drawdown: { max: 0.1 } } },
      { instruments: [A, B], log },
    )
    const st = new State()
    risk.check(buy(A.id, 2), st)
    risk.onMark(st)
    st.eq = 50_000
    risk.onMark(st)
    await new Promise((r) => setImmediate(r))
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; code?: string; rule?: string; component: string })
    assert.equal(lines.length, 2)
    assert.equal(lines[0]!.code, 'MAX_ORDER_QUANTITY')
    assert.equal(lines[0]!.level, 40)
    assert.match(lines[0]!.msg, /risk rejected C\d+: MAX_ORDER_QUANTITY: order C\d+: quantity 2 > limit 1/)
    assert.equal(lines[1]!.rule, 'drawdown')
    assert.equal(lines[1]!.component, 'risk')
  })
})
