import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { backtest, type BacktestRun } from './backtest.ts'
import { DEFAULT_FEE_RATE } from './backtest-defaults.ts'
import { moneyTotal, formatMoney, currencyDecimals } from './money.ts'

interface Point {
  time: string
  date: string
  equity: number
}
interface Ret {
  time: string
  date: string
  return: number
}

const SPY = 'data/bundled/SPY_1d.csv'
const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-result-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** SPY's daily closes by session date, from the file itself. */
function spyCloses(): { date: string; close: number }[] {
  return readFileSync(SPY, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const c = l.split(',')
      return { date: c[0]!.slice(0, 10), close: Number(c[4]) }
    })
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))

describe('backtest JSON results: SPY daily buy-and-hold on a cash account', () => {
  let run: BacktestRun
  let r: Record<string, unknown>
  before(async () => {
    run = await backtest({ data: [SPY], strategy: 'buy-and-hold', cash: 100_000, account: 'cash' })
    r = run.report
  })

  it('gives each month the return of equity from the previous month-end close to its own, by session date', () => {
    // Equity by hand: 100,000 until the fill, then the cash left plus the shares at each close.
    const fill = (r.fills as { quantity: number; price: number; fee: number; time: string }[])[0]!
    const cash = 100_000 - fill.quantity * fill.price - fill.fee
    const fillDay = fill.time.slice(0, 10)
    const days = spyCloses().map((d) => ({
      ...d,
      equity: d.date >= fillDay ? cash + fill.quantity * d.close : 100_000,
    }))
    const monthEnd = new Map<string, number>()
    for (const d of days) monthEnd.set(d.date.slice(0, 7), d.equity)
    const expected: [string, number][] = []
    let base = days[0]!.equity
    for (const [m, e] of monthEnd) {
      expected.push([m, e / base - 1])
      base = e
    }
    const got = r.monthlyReturns as { month: string; return: number }[]
    assert.deepEqual(
      got.map((m) => m.month),
      expected.map(([m]) => m),
    )
    for (const [i, [m, v]] of expected.entries())
      assert.ok(Math.abs(got[i]!.return - v) < 1e-12, `${m}: ${got[i]!.return} vs ${v}`)
    // March 2020: SPY 296.26 (Feb 28) → 257.75 (Mar 31), about −13 % on 99 % invested
    const march = got.find((m) => m.month === '2020-03')!.return
    assert.ok(march > -0.131 && march < -0.129, String(march))
  })

  it('dates the daily bar stamped at the next 00:00 UTC by its own session', () => {
    const eq = r.equity as Point[]
    const mar31 = eq.find((p) => p.date === '2020-03-31')!
    assert.equal(mar31.time, '2020-04-01T00:00:00Z')
    assert.equal(eq[0]!.date, '1998-01-02')
    assert.equal(eq.at(-1)!.date, '2021-03-31')
    assert.deepEqual(
      eq.map((p) => p.date),
      spyCloses().map((d) => d.date),
    )
  })

  it('compounds the returns series to the total return, each return the ratio of consecutive equity points', () => {
    const eq = r.equity as Point[]
    const rs = r.returns as Ret[]
    assert.equal(rs.length, eq.length - 1)
    for (let i = 0; i < rs.length; i++) {
      assert.equal(rs[i]!.date, eq[i + 1]!.date)
      assert.equal(rs[i]!.return, eq[i + 1]!.equity / eq[i]!.equity - 1)
    }
    let growth = 1
    for (const x of rs) growth *= 1 + x.return
    assert.ok(close(growth - 1, r.totalReturn as number, 1e-12), `${growth - 1} vs ${String(r.totalReturn)}`)
    assert.deepEqual(r.sample, { by: 'day', periodsPerYear: 252 })
  })

  it('compounds the months of a year to its yearly return', () => {
    const months = r.monthlyReturns as { month: string; return: number }[]
    const years = r.yearlyReturns as { year: number; return: number }[]
    assert.equal(years[0]!.year, 1998)
    assert.equal(years.at(-1)!.year, 2021)
    for (const y of years) {
      let g = 1
      for (const m of months) if (m.month.startsWith(`${y.year}-`)) g *= 1 + m.return
      assert.ok(Math.abs(y.return - (g - 1)) < 1e-12, String(y.year))
    }
  })

  it('breaks P&L down by instrument and strategy, adding up to the change in equity', () => {
    const change = (r.finalEquity as number) - (r.initialCash as number)
    for (const key of ['byInstrument', 'byStrategy']) {
      const rows = r[key] as {
        pnl: number
        fees: number
        trades: number
        openTrades: number
        returnContribution: number
      }[]
      assert.equal(rows.length, 1, key)
      assert.ok(Math.abs(rows[0]!.pnl - change) < 1e-6, `${key}: ${rows[0]!.pnl} vs ${change}`)
      assert.equal(rows[0]!.openTrades, 1)
      assert.equal(rows[0]!.trades, 0)
      assert.ok(close(rows[0]!.returnContribution, r.totalReturn as number, 1e-12))
    }
    assert.equal((r.byInstrument as { instrumentId: string }[])[0]!.instrumentId, 'SPY.SIM')
    assert.equal((r.byStrategy as { strategyId: string }[])[0]!.strategyId, 'buy-and-hold')
  })

  it("records the run's settings: cash, account, fees, slippage, parameters with defaults, data range and version", () => {
    const s = r.settings as Record<string, unknown>
    assert.equal(s.cash, 100_000)
    assert.deepEqual(s.account, { type: 'cash', leverage: 1 })
    assert.deepEqual(s.fees, { type: 'percent', takerRate: DEFAULT_FEE_RATE, makerRate: DEFAULT_FEE_RATE })
    assert.deepEqual(s.slippage, { type: 'none' })
    assert.deepEqual(s.strategies, [{ id: 'buy-and-hold', strategy: 'buy-and-hold', params: { fraction: 0.99 } }])
    const [d] = s.data as Record<string, unknown>[]
    assert.equal(d!.sha256, createHash('sha256').update(readFileSync(SPY)).digest('hex'))
    assert.equal(d!.file, SPY)
    assert.equal(d!.bars, 5849)
    assert.equal(d!.from, '1998-01-02')
    assert.equal(d!.to, '2021-03-31')
    assert.equal(r.quarantinedRows, 0)
    assert.deepEqual(r.quarantine, [])
  })
})

describe('backtest JSON results: sampling, several strategies, money totals', () => {
  it('samples every bar or each trading day of intraday bars, both compounding to the total return', async () => {
    const req = { data: ['data/bundled/SPY_1m.csv'], strategy: 'sma-cross', params: { size: 10 }, cash: 100_000 }
    const bar = (await backtest(req, { sample: 'bar' })).report
    const day = (await backtest(req, { sample: 'day' })).report
    const be = bar.equity as Point[]
    const br = bar.returns as Ret[]
    assert.equal(br.length, (bar.metrics as { periods: number }).periods, 'one return per bar, as the metrics')
    assert.equal(be.length, br.length + 1)
    assert.equal((bar.sample as { periodsPerYear: number }).periodsPerYear, bar.periodsPerYear)
    const de = day.equity as Point[]
    const dr = day.returns as Ret[]
    assert.deepEqual(day.sample, { by: 'day', periodsPerYear: 252 })
    const dates = [...new Set(be.map((p) => p.date))]
    // the first point (the base), then one point per session: its last bar's
    assert.deepEqual(
      de.map((p) => p.date),
      [be[0]!.date, ...dates],
    )
    for (const [k, date] of dates.entries()) {
      const last = be.filter((p) => p.date === date).at(-1)!
      assert.deepEqual(de[k + 1], last)
    }
    for (const rs of [br, dr]) {
      let g = 1
      for (const x of rs) g *= 1 + x.return
      assert.ok(close(g - 1, bar.totalReturn as number, 1e-12))
    }
    assert.equal(dr.length, dates.length)
    assert.ok(dates.length >= 2 && dates.length < br.length)
  })

  it('splits P&L and fees by strategy and instrument; money totals carry no float noise', async () => {
    const cfg = join(dir, 'two.yaml')
    writeFileSync(
      cfg,
      `strategies:
  - { use: sma-cross, params: { fast: 5, slow: 20, size: 7 } }
  - { use: buy-and-hold, params: { size: 10 }, instruments: [AAPL.SIM] }
account:
  cash: 50000
backtest:
  data:
    - { file: ${JSON.stringify(resolve('data/bundled/SPY_1m.csv'))} }
    - { file: ${JSON.stringify(resolve('data/bundled/AAPL_1m.csv'))} }
  fees: { type: percent, takerRate: 0.0007, makerRate: 0.0007 }
`,
    )
    const run = await backtest({ config: cfg, env: {} })
    const r = run.report
    const change = (r.finalEquity as number) - (r.initialCash as number)
    type Row = { pnl: number; fees: number; trades: number; openTrades: number; returnContribution: number }
    const byS = r.byStrategy as (Row & { strategyId: string })[]
    const byI = r.byInstrument as (Row & { instrumentId: string })[]
    assert.deepEqual(
      byS.map((x) => x.strategyId),
      ['sma-cross', 'buy-and-hold'],
    )
    assert.deepEqual(
      byI.map((x) => x.instrumentId),
      ['SPY.SIM', 'AAPL.SIM'],
    )
    const trades = run.result.trades
    for (const rows of [byS, byI]) {
      assert.ok(Math.abs(rows.reduce((a, x) => a + x.pnl, 0) - change) < 1e-6)
      assert.ok(Math.abs(rows.reduce((a, x) => a + x.fees, 0) - run.result.feesPaid) < 1e-9)
      assert.equal(
        rows.reduce((a, x) => a + x.trades + x.openTrades, 0),
        trades.length,
      )
      const contribution = rows.reduce((a, x) => a + x.returnContribution, 0)
      assert.ok(Math.abs(contribution - (r.totalReturn as number)) < 1e-12)
    }
    assert.equal(byS[1]!.trades + byS[1]!.openTrades, 1, 'buy-and-hold: one trade')
    // each money total is printed with at most 15 significant digits, the exact sum rounded
    for (const x of [...byS, ...byI, { pnl: r.feesPaid as number, fees: 0 }]) {
      for (const v of [x.pnl, x.fees]) assert.equal(v, Number(v.toPrecision(15)))
    }
    const s = r.settings as { strategies: unknown[]; data: { instrumentId: string }[] }
    assert.deepEqual(s.strategies, [
      { id: 'sma-cross', strategy: 'sma-cross', params: { fast: 5, slow: 20, size: 7, fraction: 0.99 } },
      { id: 'buy-and-hold', strategy: 'buy-and-hold', params: { size: 10, fraction: 0.99 }, instruments: ['AAPL.SIM'] },
    ])
    assert.deepEqual(
      s.data.map((d) => d.instrumentId),
      ['SPY.SIM', 'AAPL.SIM'],
    )
  })

  it('sums money exactly and drops float noise but not sub-cent amounts', () => {
    assert.equal(0.1 + 0.2, 0.30000000000000004)
    assert.equal(moneyTotal([0.1, 0.2]), 0.3)
    assert.equal(moneyTotal([22.225, 22.225, 22.225]), 66.675)
    assert.equal(moneyTotal([-103.22500000000022]), -103.225)
    assert.equal(moneyTotal([1e-3, 2e-3]), 0.003)
    assert.equal(moneyTotal([1e16, 1, -1e16]), 1, 'exact: the 1 is not lost')
    assert.equal(moneyTotal([]), 0)
    assert.equal(moneyTotal([123456789.12345679]), 123456789.123457)
    assert.equal(currencyDecimals('USD'), 2)
    assert.equal(currencyDecimals('JPY'), 0)
    assert.equal(currencyDecimals('KWD'), 3)
    assert.equal(currencyDecimals('BTC'), 8)
    assert.equal(formatMoney(3237.6619999999984, 'USD'), '3237.66')
    assert.equal(formatMoney(1234.5, 'JPY'), '1235')
  })
})
