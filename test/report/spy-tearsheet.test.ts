// SPY daily buy-and-hold on a cash account through the engine, reported by the tearsheet: every date is the
// session's (a daily bar is stamped at its close, the next 00:00Z) and every monthly cell is the return of the
// equity computed here from the fills and the month-end closes of the bundled CSV.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseTimeframe } from '../../src/core/index.ts'
import { loadCsvBars, runBacktest } from '../../src/engine/index.ts'
import { renderTearsheet, sessionClockFor, tearsheetJson, type TearsheetInput } from '../../src/research/index.ts'
import { buyAndHold } from '../../src/strategy/index.ts'

const CSV = new URL('../../data/bundled/SPY_1d.csv', import.meta.url)

async function spyBuyAndHold(): Promise<{
  input: TearsheetInput
  fills: { time: number; quantity: number; price: number; fee: number }[]
}> {
  const l = await loadCsvBars(CSV.pathname, {})
  const run = {
    instruments: [l.instrument],
    feeds: [l.feed],
    strategies: [{ definition: buyAndHold as never, params: {} }],
    account: { cash: 100_000, currency: 'USD', type: 'cash' as const },
    fees: { type: 'percent' as const, takerRate: 0.0005, makerRate: 0.0005 },
  }
  const r = await runBacktest(run)
  const input: TearsheetInput = {
    equity: r.equity,
    exposure: r.exposure,
    trades: r.trades,
    title: 'buy-and-hold on SPY',
    benchmark: r.equity,
    benchmarkName: 'SPY',
    clock: sessionClockFor(parseTimeframe(l.timeframe).ms, l.instrument.calendar, l.instrument.assetClass),
    prices: [{ ...l.series, instrumentId: l.instrument.id, time: l.series.closeTime }],
    settings: { strategy: 'buy-and-hold', account: 'cash', cash: 100_000, fees: '5 bps' },
  }
  return { input, fills: r.fills.map((f) => ({ time: f.time, quantity: f.quantity, price: f.price, fee: f.fee })) }
}

/** Equity at each month's last close, from the CSV and the fills (all buys here), keyed `YYYY-MM`. */
function monthEndEquity(fills: { time: number; quantity: number; price: number; fee: number }[]): Map<string, number> {
  const rows = readFileSync(CSV, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
  const out = new Map<string, number>()
  for (let i = 0; i < rows.length; i++) {
    const date = rows[i]![0]!.slice(0, 10)
    const next = rows[i + 1]?.[0]!.slice(0, 7)
    if (i === 0) out.set('start', 100_000)
    if (next === date.slice(0, 7)) continue
    const closeTime = Date.parse(`${date}T00:00:00Z`) + 86_400_000
    let cash = 100_000
    let qty = 0
    for (const f of fills) {
      if (f.time >= closeTime) continue
      cash -= f.quantity * f.price + f.fee
      qty += f.quantity
    }
    out.set(date.slice(0, 7), cash + qty * Number(rows[i]![4]))
  }
  return out
}

describe('tearsheet of SPY daily buy-and-hold (cash account, 5 bps fees)', async () => {
  const { input, fills } = await spyBuyAndHold()
  const d = tearsheetJson(input)

  it('gives every month the return of equity from the fills and the month-end closes, to 1e-12', () => {
    const eq = monthEndEquity(fills)
    assert.equal(d.monthlyReturns.length, 279, '1998-01 … 2021-03')
    let prev = eq.get('start')!
    for (const m of d.monthlyReturns) {
      const key = `${m.year}-${String(m.month).padStart(2, '0')}`
      const end = eq.get(key)!
      assert.ok(Math.abs(m.value - (end / prev - 1)) <= 1e-12, `${key}: ${m.value} vs ${end / prev - 1}`)
      prev = end
    }
    const march2020 = d.monthlyReturns.find((m) => m.year === 2020 && m.month === 3)!
    assert.equal((march2020.value * 100).toFixed(1), '-13.0', 'SPY closed February at 296.26 and March at 257.75')
    const cell = /title="Mar 2020: -12\.98% \(SPY -12\.98%\)">-13\.0</.test(renderTearsheet(input))
    assert.ok(cell, 'the heat map cell reads -13.0 and its tooltip -12.98%')
  })
  it('dates everything by trading day: nothing after 2021-03-31 or before 1998-01-02', () => {
    assert.equal(d.start, '1998-01-02')
    assert.equal(d.end, '2021-03-31')
    assert.equal(d.series.equity.time[0], Date.UTC(1998, 0, 2))
    assert.equal(d.series.equity.time.at(-1), Date.UTC(2021, 2, 31))
    assert.equal(d.prices[0]!.time.at(-1), Date.UTC(2021, 2, 31))
    const t = d.trades[0]!
    assert.equal(t.entryLabel, '1998-01-05', 'filled at the open of the next session')
    assert.equal(t.exitLabel, '2021-03-31', 'still open: marked at the last close')
    assert.deepEqual(
      d.prices[0]!.markers.map((m) => [m.kind, new Date(m.time).toISOString().slice(0, 10)]),
      [
        ['entry', '1998-01-05'],
        ['exit', '2021-03-31'],
      ],
    )
    const labels = [...d.worstDrawdowns.flatMap((w) => [w.peak, w.trough, w.recovery ?? d.end])]
    for (const x of labels) assert.ok(x >= '1998-01-02' && x <= '2021-03-31', x)
    assert.equal(d.worstDrawdowns[0]!.trough, '2009-03-09', 'the 2009 low')
    assert.equal(d.yearlyReturns.at(-1)!.year, 2021)
  })
  it('annualises with the periods per year of the data (251.6) and reports calendar CAGR and drawdown days', () => {
    assert.equal(d.periodsPerYearGiven, false)
    assert.ok(Math.abs(d.periodsPerYear - 5849 / (8490 / 365.25)) < 1e-9)
    const years = (Date.UTC(2021, 3, 1) - Date.UTC(1998, 0, 3)) / (365.25 * 86_400_000)
    const v = input.equity.value
    assert.ok(Math.abs(d.metrics.cagr - (Math.pow(v[v.length - 1]! / v[0]!, 1 / years) - 1)) < 1e-12)
    assert.ok(d.metrics.maxDrawdownDurationDays > 1500, 'the 2007 peak was regained in 2012')
    assert.ok(Math.abs(d.benchmarkStats!.beta - 1) < 1e-12)
  })
})
