import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError, normPpf, toBarSeries, type Bar } from '../../core/index.ts'
import { applyShock, replayWindow, stressReportMarkdown, type StressPosition } from './stress.ts'

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`)

const book: StressPosition[] = [
  { instrumentId: 'A', quantity: 100, price: 50, beta: 1.2, dailyVol: 0.02, adv: 10_000, spread: 0.001 },
  { instrumentId: 'B', quantity: -200, price: 20, beta: 0.8, dailyVol: 0.03, adv: 1_000, spread: 0.002 },
]

describe('hypothetical shocks', () => {
  it('an index drop moves each position by its beta', () => {
    const r = applyShock(book, { kind: 'index', move: -0.1 })
    close(r.pnl, 5000 * 1.2 * -0.1 + -4000 * 0.8 * -0.1) // −600 + 320
    close(r.pnlPct, -280 / 9000)
  })

  it('volatility x2 doubles the Gaussian VaR', () => {
    const r = applyShock(book, { kind: 'volatility', multiple: 2 })
    const sigma = Math.sqrt((5000 * 0.02) ** 2 + (4000 * 0.03) ** 2)
    close(r.detail.varBefore!, normPpf(0.99) * sigma)
    close(r.detail.varAfter!, 2 * normPpf(0.99) * sigma)
  })

  it('correlations → 1 removes the hedge of a long-short book', () => {
    const r = applyShock(book, { kind: 'correlation' })
    close(r.detail.varAllCorrelationsOne!, normPpf(0.99) * Math.abs(5000 * 0.02 - 4000 * 0.03))
    close(r.detail.varHedgesFail!, normPpf(0.99) * (5000 * 0.02 + 4000 * 0.03))
  })

  it('a liquidity dry-up costs the widened half spread plus square-root impact', () => {
    const r = applyShock(book, { kind: 'liquidity', spreadMultiple: 5, advFraction: 0.2 })
    const spread = (5000 * 0.001 * 5) / 2 + (4000 * 0.002 * 5) / 2
    const impact = 5000 * 0.02 * Math.sqrt(100 / 2000) + 4000 * 0.03 * Math.sqrt(200 / 200)
    close(r.detail.spreadCost!, spread)
    close(r.detail.impactCost!, impact)
    close(r.pnl, -(spread + impact))
  })

  it('says which input is wrong', () => {
    assert.throws(
      () => applyShock(book, { kind: 'index', move: -1.5 }),
      (e: unknown) => isKestrelError(e, 'PARAM_INVALID') && /stress index\(move\)/.test(e.message),
    )
  })
})

describe('historical replay', () => {
  const mk = (id: string, closes: number[]) =>
    toBarSeries(
      closes.map((c, i): Bar => ({
        instrumentId: id,
        timeframe: '1d',
        openTime: i * 86_400_000,
        closeTime: (i + 1) * 86_400_000,
        open: c,
        high: c,
        low: c,
        close: c,
        volume: 1,
      })),
    )

  it("applies the window's price path to today's book and finds the worst point", () => {
    const series = new Map([
      ['A', mk('A', [10, 9, 8, 11])],
      ['B', mk('B', [5, 5, 6, 4])],
    ])
    const r = replayWindow(book, series, 0, 4 * 86_400_000)
    // A: +5000·(p/10 − 1); B: −4000·(p/5 − 1)
    Array.from(r.path).forEach((v, i) => close(v, [0, -500, -1000 - 800, 500 + 800][i]!))
    close(r.worst, -1800)
    assert.equal(r.worstTime, 2 * 86_400_000)
    assert.match(stressReportMarkdown([r]), /\| historical window \| replay \| 1300\.00 \|/)
  })
})
