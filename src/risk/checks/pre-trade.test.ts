import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { EventBus, isKestrelError, makeInstrument, type OrderRequest } from '../../core/index.ts'
import { LimitsRiskEngine } from '../limits-risk-engine.ts'
import type { RiskDecision, RiskState } from '../types.ts'
import { SlidingWindowLimit } from './sliding-window.ts'

const AAPL = makeInstrument({ symbol: 'AAPL', venue: 'SIM', assetClass: 'equity' })
const BTC = makeInstrument({ symbol: 'BTC-USD', venue: 'CX', assetClass: 'crypto', lotSize: 0.0001, tickSize: 0.01 })
// Tue 2 Jan 2024 15:00 UTC = 10:00 New York (NYSE open).
const OPEN = Date.UTC(2024, 0, 2, 15, 0)

/** A hand-driven risk state: positions change only when the test fills. */
class FakeState implements RiskState {
  time = OPEN
  eq = 1_000_000
  prices = new Map<string, number>([
    [AAPL.id, 100],
    [BTC.id, 40_000],
  ])
  pos = new Map<string, number>()
  open = 0
  get account() {
    return {
      accountId: 'A',
      currency: 'USD',
      time: this.time,
      cash: this.eq,
      equity: this.eq,
      marginUsed: 0,
      marginAvailable: this.eq,
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
    return this.open
  }
  equity() {
    return this.eq
  }
}

let seq = 0
function order(over: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: `O${++seq}`,
    strategyId: 's',
    instrumentId: AAPL.id,
    side: 'BUY',
    type: 'MARKET',
    quantity: 10,
    timeInForce: 'GTC',
    reduceOnly: false,
    postOnly: false,
    ...over,
  }
}

function setup(checks: unknown) {
  const bus = new EventBus()
  const risk = new LimitsRiskEngine({ checks }, { instruments: [AAPL, BTC], bus })
  return { risk, bus, st: new FakeState() }
}

const code = (d: RiskDecision): string => (d.accept ? 'OK' : d.code!)

/** Fills an accepted order completely at the state's price. */
function fill(risk: LimitsRiskEngine, st: FakeState, o: OrderRequest): void {
  st.pos.set(o.instrumentId, (st.pos.get(o.instrumentId) ?? 0) + (o.side === 'BUY' ? o.quantity : -o.quantity))
  risk.onFill(
    {
      fillId: `F${o.clientOrderId}`,
      clientOrderId: o.clientOrderId,
      strategyId: o.strategyId,
      instrumentId: o.instrumentId,
      side: o.side,
      quantity: o.quantity,
      price: st.lastPrice(o.instrumentId),
      fee: 0,
      feeCurrency: 'USD',
      liquidity: 'TAKER',
      time: st.time,
    },
    st,
  )
}

describe('pre-trade checks', () => {
  it('collars a limit price against the last price', () => {
    const { risk, st } = setup({ priceCollar: { maxDeviation: 0.05 } })
    assert.equal(code(risk.check(order({ type: 'LIMIT', limitPrice: 105 }), st)), 'OK')
    const d = risk.check(order({ type: 'LIMIT', limitPrice: 105.01 }), st)
    assert.equal(code(d), 'PRICE_COLLAR')
    assert.match((d as { reason: string }).reason, /price 105\.01 is 5\.01% from the reference 100 \(collar 5%\)/)
  })

  it('caps order quantity and notional', () => {
    const { risk, st } = setup({ maxOrderQuantity: 100, maxOrderNotional: 5_000 })
    assert.equal(code(risk.check(order({ quantity: 101 }), st)), 'MAX_ORDER_QUANTITY')
    assert.equal(code(risk.check(order({ quantity: 51 }), st)), 'MAX_ORDER_NOTIONAL')
    assert.equal(code(risk.check(order({ quantity: 50 }), st)), 'OK')
  })

  it('counts open orders toward the position limit and lets reducing orders through', () => {
    const { risk, st } = setup({ maxPosition: { default: 100, perInstrument: { 'BTC-USD': 2 } } })
    assert.equal(code(risk.check(order({ quantity: 60 }), st)), 'OK')
    assert.equal(code(risk.check(order({ quantity: 60 }), st)), 'MAX_POSITION', '60 open + 60 > 100')
    assert.equal(code(risk.check(order({ quantity: 40 }), st)), 'OK')
    assert.equal(code(risk.check(order({ instrumentId: BTC.id, quantity: 2.5 }), st)), 'MAX_POSITION')
    assert.equal(code(risk.check(order({ side: 'SELL', quantity: 100 }), st)), 'OK', 'a sell does not grow the long')
  })

  it('limits gross, net exposure and leverage', () => {
    const { risk, st } = setup({ maxGrossExposure: 50_000, maxNetExposure: 20_000, maxLeverage: 0.04 })
    const a = order({ quantity: 150 }) // 15k
    assert.equal(code(risk.check(a, st)), 'OK')
    fill(risk, st, a)
    assert.equal(code(risk.check(order({ quantity: 60 }), st)), 'MAX_NET_EXPOSURE') // 21k net
    assert.equal(code(risk.check(order({ instrumentId: BTC.id, side: 'SELL', quantity: 0.5 }), st)), 'OK') // net −5k
    st.eq = 1_000_000
    const d = risk.check(order({ instrumentId: BTC.id, side: 'SELL', quantity: 0.4 }), st) // gross 51k
    assert.equal(code(d), 'MAX_GROSS_EXPOSURE')
    st.eq = 1_000_000 / 2
    // 35k + 10k = 45k gross / 500k = 0.09 > 0.04.
    assert.equal(code(risk.check(order({ side: 'BUY', quantity: 100, instrumentId: AAPL.id }), st)), 'MAX_LEVERAGE')
  })

  it('limits open orders', () => {
    const { risk, st } = setup({ maxOpenOrders: 3 })
    st.open = 3
    assert.equal(code(risk.check(order(), st)), 'MAX_OPEN_ORDERS')
    st.open = 2
    assert.equal(code(risk.check(order(), st)), 'OK')
  })

  it('throttles orders per venue per second and per minute on sliding windows', () => {
    const { risk, st } = setup({ throttle: { perSecond: 2, perMinute: 3 } })
    assert.equal(code(risk.check(order(), st)), 'OK')
    assert.equal(code(risk.check(order(), st)), 'OK')
    assert.equal(code(risk.check(order(), st)), 'THROTTLE')
    assert.equal(code(risk.check(order({ instrumentId: BTC.id, quantity: 0.01 }), st)), 'OK', 'another venue')
    st.time += 999
    assert.equal(code(risk.check(order(), st)), 'THROTTLE')
    st.time += 1
    assert.equal(code(risk.check(order(), st)), 'OK')
    st.time += 1000
    assert.match((risk.check(order(), st) as { reason: string }).reason, /more than 3 orders\/min to SIM/)
    st.time = OPEN + 60_000
    assert.equal(code(risk.check(order(), st)), 'OK')
  })

  it('refuses a duplicate order within the window only', () => {
    const { risk, st } = setup({ duplicateWindowMs: 500 })
    assert.equal(code(risk.check(order({ type: 'LIMIT', limitPrice: 99 }), st)), 'OK')
    assert.equal(code(risk.check(order({ type: 'LIMIT', limitPrice: 99 }), st)), 'DUPLICATE_ORDER')
    assert.equal(code(risk.check(order({ type: 'LIMIT', limitPrice: 98 }), st)), 'OK')
    st.time += 500
    assert.equal(code(risk.check(order({ type: 'LIMIT', limitPrice: 99 }), st)), 'OK')
  })

  it('blocks restricted instruments by id or symbol', () => {
    const { risk, st } = setup({ restricted: ['AAPL'] })
    assert.equal(code(risk.check(order(), st)), 'RESTRICTED')
    assert.equal(code(risk.check(order({ instrumentId: BTC.id, quantity: 1 }), st)), 'OK')
  })

  it('refuses naked shorts, or shorts without a locate', () => {
    const no = setup({ shortSale: { allowed: false } })
    assert.equal(code(no.risk.check(order({ side: 'SELL' }), no.st)), 'SHORT_SALE')
    const loc = setup({ shortSale: { requireLocate: true } })
    assert.equal(code(loc.risk.check(order({ side: 'SELL' }), loc.st)), 'NO_LOCATE')
    assert.equal(code(loc.risk.check(order({ side: 'SELL', tags: ['locate'] }), loc.st)), 'OK')
    const fresh = setup({ shortSale: { allowed: false } })
    const a = order({ quantity: 10 })
    fresh.risk.check(a, fresh.st)
    fill(fresh.risk, fresh.st, a)
    assert.equal(
      code(fresh.risk.check(order({ side: 'SELL', quantity: 10 }), fresh.st)),
      'OK',
      'selling a long is no short',
    )
    assert.equal(
      code(fresh.risk.check(order({ side: 'SELL', quantity: 1 }), fresh.st)),
      'SHORT_SALE',
      'the open sell counts',
    )
  })

  it('lets reduce-only orders out of restricted names and does not call a bracket stop a short sale', () => {
    const { risk, st } = setup({ restricted: ['AAPL'], shortSale: { allowed: false }, maxPosition: { default: 10 } })
    st.pos.set(AAPL.id, 10)
    assert.equal(code(risk.check(order({ side: 'SELL', quantity: 10 }), st)), 'RESTRICTED')
    const tp = order({ side: 'SELL', type: 'LIMIT', limitPrice: 104, quantity: 10, reduceOnly: true })
    const sl = order({ side: 'SELL', type: 'STOP', stopPrice: 96, quantity: 10, reduceOnly: true })
    assert.equal(code(risk.check(tp, st)), 'OK')
    assert.equal(code(risk.check(sl, st)), 'OK', 'the stop with the take-profit working')
    assert.equal(code(risk.check(order({ side: 'BUY', quantity: 1 }), st)), 'RESTRICTED')
  })

  it('refuses orders outside the trading hours of the instrument calendar', () => {
    const { risk, st } = setup({ tradingHours: { calendars: { equity: 'NYSE', crypto: '24/7' } } })
    assert.equal(code(risk.check(order(), st)), 'OK')
    st.time = Date.UTC(2024, 0, 2, 21, 30) // 16:30 New York
    assert.equal(code(risk.check(order(), st)), 'TRADING_HOURS')
    assert.equal(code(risk.check(order({ instrumentId: BTC.id, quantity: 1 }), st)), 'OK')
    st.time = Date.UTC(2024, 0, 1, 15, 0) // New Year's Day
    assert.equal(code(risk.check(order(), st)), 'TRADING_HOURS')
  })

  it('caps participation in average daily volume', () => {
    const { risk, st } = setup({ maxParticipation: { fraction: 0.01, adv: { AAPL: 50_000 } } })
    assert.equal(code(risk.check(order({ quantity: 500 }), st)), 'OK')
    assert.equal(code(risk.check(order({ quantity: 501 }), st)), 'MAX_PARTICIPATION')
  })

  it('publishes every verdict on the bus and counts it', () => {
    const { risk, st, bus } = setup({ maxOrderQuantity: 5 })
    risk.check(order({ quantity: 1 }), st)
    risk.check(order({ quantity: 6 }), st)
    assert.equal(bus.history('risk.check.accepted').length, 1)
    const rej = bus.history('risk.check.rejected')
    assert.equal(rej.length, 1)
    assert.equal((rej[0]!.payload as { code: string }).code, 'MAX_ORDER_QUANTITY')
    assert.equal(risk.status().counters['risk.check.rejected.MAX_ORDER_QUANTITY'], 1)
  })
})

describe('risk config reload', () => {
  it('refuses an invalid reload, names the key and keeps the old limits', () => {
    const { risk, st, bus } = setup({ maxOrderQuantity: 5 })
    assert.throws(
      () => risk.reload({ checks: { maxOrderQuantity: -1, maxOrderQuantty: 3 } }),
      (e: unknown) =>
        isKestrelError(e, 'CONFIG_INVALID') &&
        /risk\.checks\.maxOrderQuantity/.test(e.message) &&
        /risk\.checks\.maxOrderQuantty: unknown key/.test(e.message),
    )
    assert.equal(code(risk.check(order({ quantity: 6 }), st)), 'MAX_ORDER_QUANTITY')
    assert.equal(bus.history('risk.reload.refused').length, 1)
    risk.reload({ checks: { maxOrderQuantity: 10 } })
    assert.equal(code(risk.check(order({ quantity: 6 }), st)), 'OK')
  })

  it('cannot lift the kill switch by reloading with the limits disabled', () => {
    const { risk, st } = setup({})
    risk.kill('desk: manual kill')
    risk.reload({ enabled: false })
    assert.equal(code(risk.check(order(), st)), 'KILL_SWITCH')
    risk.rearm('carol', 'incident closed')
    assert.equal(code(risk.check(order({ quantity: 1e9 }), st)), 'OK', 'disabled limits accept anything')
  })

  it('rejects a wrong key in the initial config with its path', () => {
    assert.throws(
      () => new LimitsRiskEngine({ controls: { dailyLoss: { maxLos: 1 } } }),
      /risk\.controls\.dailyLoss\.maxLos: unknown key/,
    )
  })
})

describe('SlidingWindowLimit', () => {
  it('agrees with counting the events in the window by brute force', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }),
        (limit, gaps) => {
          const w = new SlidingWindowLimit(limit, 1000)
          const accepted: number[] = []
          let t = 0
          for (const g of gaps) {
            t += g
            const inWindow = accepted.filter((a) => t - a < 1000).length
            assert.equal(w.fits(t), inWindow < limit)
            if (w.fits(t)) {
              w.record(t)
              accepted.push(t)
            }
          }
        },
      ),
    )
  })
})

describe('limits hold for any order sequence', () => {
  it('never lets an accepted sequence exceed position, gross, net or open-order limits', () => {
    const lim = { pos: 300, gross: 60_000, net: 40_000 }
    const op = fc.record({
      inst: fc.constantFrom(AAPL.id, BTC.id),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      qty: fc.integer({ min: 1, max: 200 }),
      fillIt: fc.boolean(),
      move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const { risk, st } = setup({
          maxPosition: { default: lim.pos, perInstrument: { [BTC.id]: 3 } },
          maxGrossExposure: lim.gross,
          maxNetExposure: lim.net,
        })
        st.prices.set(BTC.id, 10_000)
        const open: OrderRequest[] = []
        for (const o of ops) {
          const q = o.inst === BTC.id ? o.qty / 100 : o.qty
          const req = order({ instrumentId: o.inst, side: o.side, quantity: q })
          if (risk.check(req, st).accept) open.push(req)
          // Worst case over accepted open orders + positions at the current prices (prices only move between
          // orders below, and a move may push usage over a limit; what must hold is that no order adds to it).
          const worst = (id: string) => {
            const p = st.pos.get(id) ?? 0
            const b = open.filter((x) => x.instrumentId === id && x.side === 'BUY').reduce((s, x) => s + x.quantity, 0)
            const s = open
              .filter((x) => x.instrumentId === id && x.side === 'SELL')
              .reduce((s2, x) => s2 + x.quantity, 0)
            return { long: p + b, short: p - s }
          }
          for (const id of [AAPL.id, BTC.id]) {
            const w = worst(id)
            const cap = id === BTC.id ? 3 : lim.pos
            assert.ok(Math.abs(w.long) <= cap + 1e-9 && Math.abs(w.short) <= cap + 1e-9, `position limit of ${id}`)
          }
          if (o.fillIt && open.length) fill(risk, st, open.shift()!)
        }
        // With prices fixed, gross and net (worst case) stay within their limits.
        let gross = 0
        let netL = 0
        let netS = 0
        for (const id of [AAPL.id, BTC.id]) {
          const p = st.lastPrice(id)
          const pos = st.pos.get(id) ?? 0
          const b = open.filter((x) => x.instrumentId === id && x.side === 'BUY').reduce((s, x) => s + x.quantity, 0)
          const s = open.filter((x) => x.instrumentId === id && x.side === 'SELL').reduce((s2, x) => s2 + x.quantity, 0)
          gross += Math.max(Math.abs((pos + b) * p), Math.abs((pos - s) * p))
          netL += (pos + b) * p
          netS += (pos - s) * p
        }
        assert.ok(gross <= lim.gross + 1e-6, `gross ${gross}`)
        assert.ok(Math.abs(netL) <= lim.net + 1e-6 && Math.abs(netS) <= lim.net + 1e-6, `net ${netL} ${netS}`)
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})
