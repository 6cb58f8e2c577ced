import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocBarSeries, isKestrelError, type BarSeries } from '../core/index.ts'
import { parseRiskConfig } from './limits-types.ts'
import { runStress, stressBook } from './stress-book.ts'

const DAY = 86_400_000
const T0 = Date.UTC(2020, 0, 1)

function daily(id: string, closes: number[]): BarSeries {
  const s = allocBarSeries(id, '1d', closes.length)
  closes.forEach((c, i) => {
    s.openTime[i] = T0 + i * DAY
    s.closeTime[i] = T0 + (i + 1) * DAY
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = c
    s.volume[i] = 1
  })
  return s
}

// Log returns alternate +a, −a: sample std is exactly a·sqrt(n/(n−1)) for an even count n of returns.
const a = 0.01
const closesX = Array.from({ length: 11 }, (_, i) => 100 * Math.exp(i % 2 ? a : 0))
const closesY = closesX.map((c) => c / 2)

function cfg(extra: Record<string, unknown> = {}) {
  return parseRiskConfig({
    stress: {
      book: [
        { instrument: 'X', quantity: 10 },
        { instrument: 'Y', quantity: -20, price: 60 },
      ],
      ...extra,
    },
  }).stress!
}

describe('stress book', () => {
  const series = new Map([
    ['X', daily('X', closesX)],
    ['Y', daily('Y', closesY)],
  ])

  it('prices at the last close unless given, and scales volatility from bars to a day', () => {
    const { book, cov } = stressBook(cfg(), { series, barsPerDay: () => 4 })
    assert.equal(book[0]!.price, closesX[10])
    assert.equal(book[1]!.price, 60)
    const sd = a * Math.sqrt(10 / 9)
    assert.ok(Math.abs(book[0]!.dailyVol! - sd * 2) < 1e-12, `${book[0]!.dailyVol}`)
    // Identical returns: correlation 1, covariance σxσy.
    assert.ok(Math.abs(cov![0]![1]! - book[0]!.dailyVol! * book[1]!.dailyVol!) < 1e-15)
  })

  it('estimates from the returns window only', () => {
    const { book } = stressBook(cfg({ returnsFrom: '2020-01-03', returnsTo: '2020-01-07' }), {
      series,
      barsPerDay: () => 1,
    })
    // Returns on Jan 4, 5, 6 (three of them: +a, −a, +a around mean a/3).
    const xs = [a, -a, a]
    const m = a / 3
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / 2)
    assert.ok(Math.abs(book[0]!.dailyVol! - sd) < 1e-12)
  })

  it('runs the shocks and replays of the config: a long-short book hedges an index move', () => {
    const r = runStress(
      cfg({
        shocks: [{ kind: 'index', move: -0.1 }, { kind: 'correlation' }],
        replays: [{ name: 'first days', from: '2020-01-01', to: '2020-01-04' }],
      }),
      { series, barsPerDay: () => 1 },
    )
    const vx = 10 * closesX[10]!
    const vy = -20 * 60
    assert.equal(r[0]!.pnl, (vx + vy) * -0.1)
    assert.equal(r[1]!.kind, 'correlation')
    assert.equal(r[2]!.scenario, 'first days')
    assert.equal(r[2]!.kind, 'replay')
  })

  it('needs a price or data for every position', () => {
    assert.throws(
      () => stressBook(cfg(), { series: new Map(), barsPerDay: () => 1 }),
      (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && /risk\.stress\.book: X has no price/.test(e.message),
    )
  })
})
