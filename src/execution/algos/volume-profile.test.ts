import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { sliceSeries, type BarSeries } from '../../core/index.ts'
import { getCalendar, readCsvFile } from '../../data/index.ts'
import { learnVolumeProfile, vwapSchedule, VwapScheduler } from './volume-profile.ts'

const SPY = new URL('../../../data/bundled/SPY_1m.csv', import.meta.url).pathname
const spy = (await readCsvFile(SPY)).series
const MIN = 60_000

/** The reference profile computed the plain way from the text: 13:30–20:00Z (EDT) in 30-minute slices. */
function referenceProfile(): number[] {
  const days = new Map<string, number[]>()
  for (const line of readFileSync(SPY, 'utf8').trim().split('\n').slice(1)) {
    const [ts, , , , , vol] = line.split(',')
    const minute = Number(ts!.slice(11, 13)) * 60 + Number(ts!.slice(14, 16)) - (13 * 60 + 30)
    if (minute < 0 || minute >= 390) continue
    const d = days.get(ts!.slice(0, 10)) ?? new Array<number>(13).fill(0)
    d[Math.floor(minute / 30)]! += Number(vol)
    days.set(ts!.slice(0, 10), d)
  }
  const out = new Array<number>(13).fill(0)
  for (const d of days.values()) {
    const total = d.reduce((a, b) => a + b, 0)
    d.forEach((v, b) => (out[b]! += v / total / days.size))
  }
  return out
}

/** Bars of one session (by the NYSE calendar) of the series. */
function sessionBars(s: BarSeries, date: string): BarSeries {
  const cal = getCalendar('NYSE')
  const idx = [...s.openTime.keys()].filter((i) => cal.sessionAt(s.openTime[i]!)?.date === date)
  return sliceSeries(s, idx[0]!, idx.at(-1)! + 1)
}

describe('intraday volume profile and VWAP', () => {
  it('learns the mean share of session volume per 30-minute slice from real SPY minutes (6 NYSE sessions)', () => {
    const p = learnVolumeProfile(spy, { buckets: 13, calendar: 'NYSE' })
    assert.equal(p.sessions, 6)
    assert.equal(p.outsideBars, spy.openTime.length - 6 * 390)
    const ref = referenceProfile()
    p.shares.forEach((s, b) => assert.ok(Math.abs(s - ref[b]!) < 1e-12, `slice ${b}: ${s} vs ${ref[b]}`))
    assert.ok(Math.abs(p.shares.reduce((a, b) => a + b, 0) - 1) < 1e-12)
    // The intraday U: the open and the close trade more than the middle of the day.
    const mid = Math.min(...p.shares.slice(1, 12))
    assert.ok(p.shares[0]! > 2 * mid && p.shares[12]! > 2 * mid)
  })

  it('schedules each slice within 2 percentage points of the profile, in whole lots', () => {
    const p = learnVolumeProfile(spy, { buckets: 13 })
    for (const [qty, lot] of [
      [10_000, 100],
      [12_345, 1],
      [1e6, 100],
    ] as const) {
      const s = vwapSchedule(qty, p.shares, lot)
      assert.equal(
        s.trades.reduce((a, b) => a + b, 0),
        qty,
      )
      s.trades.forEach((n, b) => {
        assert.equal(n % lot, qty % lot === 0 || b < 12 ? 0 : n % lot)
        assert.ok(Math.abs(n / qty - p.shares[b]!) <= 0.02, `slice ${b}: ${n / qty} vs ${p.shares[b]}`)
      })
    }
  })

  it('keeps any rounded schedule within one lot per slice of the profile (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (raw, lot, lots) => {
          fc.pre(raw.some((x) => x > 0))
          const total = raw.reduce((a, b) => a + b, 0)
          const qty = lot * lots
          const s = vwapSchedule(qty, raw, lot)
          let cum = 0
          let ideal = 0
          s.trades.forEach((n, b) => {
            assert.ok(n >= 0)
            assert.ok(Math.abs(n - (qty * raw[b]!) / total) <= lot * (1 + 1e-9))
            cum += n
            ideal += (qty * raw[b]!) / total
            assert.ok(Math.abs(cum - ideal) <= lot / 2 + 1e-6 * qty)
          })
          assert.equal(cum, qty)
        },
      ),
      { seed: 7, numRuns: 300 },
    )
  })

  it('executes a held-out SPY session bar by bar within 2 pp of the profile of the sessions before it', () => {
    const learnt = learnVolumeProfile(
      sliceSeries(
        spy,
        0,
        spy.openTime.findIndex((t) => t >= Date.UTC(2013, 9, 11)),
      ),
      {
        buckets: 13,
      },
    )
    assert.equal(learnt.sessions, 5)
    const day = sessionBars(spy, '2013-10-11')
    const session = getCalendar('NYSE').sessionAt(day.openTime[0]!)!
    const v = new VwapScheduler({ quantity: 50_000, profile: learnt, session, lot: 100 })
    const done = new Array<number>(13).fill(0)
    for (let i = 0; i < day.openTime.length; i++) {
      const child = v.next(day.openTime[i]! + MIN)
      assert.ok(child >= 0 && child % 100 === 0)
      v.onFill(child)
      done[Math.floor((day.openTime[i]! - session.open) / (30 * MIN))]! += child
    }
    assert.equal(v.filled, 50_000)
    done.forEach((n, b) => assert.ok(Math.abs(n / 50_000 - learnt.shares[b]!) <= 0.02, `slice ${b}`))
  })

  it('asks again for what was not filled, and for everything left in the last bar', () => {
    const profile = { calendar: 'NYSE', shares: [0.5, 0.25, 0.25], sessions: 1, outsideBars: 0 }
    const session = { date: '2024-01-02', open: 0, close: 3 * MIN, earlyClose: false }
    const v = new VwapScheduler({ quantity: 1000, profile, session })
    assert.equal(v.targetShare(MIN / 2), 0.25)
    assert.equal(v.next(MIN), 500)
    v.onFill(200) // 300 short
    assert.equal(v.next(2 * MIN), 550)
    v.onFill(550)
    assert.equal(v.next(3 * MIN), 250)
  })

  it('refuses bars with no volume in any session', () => {
    const night = sliceSeries(spy, 0, 3)
    assert.throws(() => learnVolumeProfile(night, { buckets: 13 }), { code: 'DATA_NOT_FOUND', message: /NYSE/ })
  })
})
