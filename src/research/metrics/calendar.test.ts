import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { cagr, closeDay, dayIso, estimatePeriodsPerYear, eventDay, maxDrawdownDurationDays } from './calendar.ts'
import { assertClose } from './test-vectors.ts'

const DAY = 86_400_000
/** Close stamps (open + bar length) of a bundled CSV's bars. */
function closes(file: string, barMs: number): number[] {
  return readFileSync(new URL(`../../../data/bundled/${file}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Date.parse(l.split(',')[0]!) + barMs)
}

describe('session calendar', () => {
  it('puts a daily bar stamped at its close (next 00:00Z) on its own trading day; an event on the day it falls', () => {
    const close = Date.UTC(2020, 3, 1) // the 2020-03-31 bar's close
    assert.equal(dayIso(closeDay(close, { barMs: DAY })), '2020-03-31')
    assert.equal(dayIso(eventDay(close, { barMs: DAY })), '2020-04-01', 'a fill at the open of 2020-04-01')
    // a 1-minute bar 23:59-24:00 New York time (04:59Z in winter) belongs to the New York day
    const t = Date.UTC(2013, 11, 3, 5, 0)
    assert.equal(dayIso(closeDay(t, { barMs: 60_000, timeZone: 'America/New_York' })), '2013-12-02')
  })
  it('estimates periods per year from the data: SPY daily 251.63, SPY 1-minute with extended hours 203,238', () => {
    const d = estimatePeriodsPerYear(closes('SPY_1d.csv', DAY), { barMs: DAY })
    assert.equal(d.sessions, 5849)
    assert.equal(d.basis, 'calendar')
    // 5849 sessions over 8490 calendar days (1998-01-02 … 2021-03-31)
    assertClose(d.periodsPerYear, 5849 / (8490 / 365.25), 1e-9)
    const m = estimatePeriodsPerYear(closes('SPY_1m.csv', 60_000), { barMs: 60_000, timeZone: 'America/New_York' })
    assert.equal(m.sessions, 6)
    assert.equal(m.periodsPerSession, 4839 / 6)
    assert.equal(m.periodsPerYear, (4839 / 6) * 252, 'not 252 × 390 = 98,280')
    const c = estimatePeriodsPerYear(closes('BTC-USD_1m.csv', 60_000), { barMs: 60_000, everyDay: true })
    assert.equal(c.basis, 'every-day-365')
    assert.equal(c.periodsPerYear, (3887 / 3) * 365)
  })
  it('CAGR uses calendar time; drawdown length is counted in days', () => {
    const time = [0, 365.25 * DAY, 2 * 365.25 * DAY]
    assertClose(cagr({ time, value: [100, 90, 121] }), 0.1, 1e-15)
    assert.ok(Number.isNaN(cagr({ time: [0], value: [1] })))
    const t = [0, 1, 2, 5, 6, 9].map((d) => d * DAY)
    // peak on day 1, regained on day 5; peak on day 5, still under on day 9: 4 days each
    assert.equal(maxDrawdownDurationDays({ time: t, value: [1, 2, 1.5, 2.1, 2, 2.05] }), 4)
    assert.equal(maxDrawdownDurationDays({ time: t, value: [1, 2, 1.5, 1.9, 2.5, 2.6] }), 5, 'day 1 to day 6')
    assert.equal(maxDrawdownDurationDays({ time: t, value: [1, 2, 3, 4, 5, 6] }), 0)
  })
})
