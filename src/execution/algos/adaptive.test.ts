import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AdaptiveScheduler, adaptiveMultiplier, favourableMove } from './adaptive.ts'

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`)

/** Runs a schedule over `prices` with full fills; returns the children. */
function run(s: AdaptiveScheduler, prices: readonly number[]): number[] {
  return prices.map((p) => {
    const n = s.next(p)
    s.onFill(n)
    return n
  })
}

describe('adaptive schedule', () => {
  it('follows m = clamp(1 + a·z, lo, hi) with z = s·(P₀ − P)/(σ√t): a hand-computed buy', () => {
    const s = new AdaptiveScheduler({ side: 'BUY', quantity: 1000, periods: 4, arrival: 100, sigma: 0.5 })
    // Period 1 at 99: z = 1/(0.5·√1) = 2, m = min(2, 1 + 0.5·2) = 2; base 1000/4 = 250 → 500.
    close(s.next(99), 500)
    assert.equal(s.lastMultiplier, 2)
    s.onFill(500)
    // Period 2 at 100.5, 1 period elapsed: z = −0.5/0.5 = −1, m = 0.5; base 500/3 → 83.33.
    close(s.next(100.5), 500 / 3 / 2)
    assert.equal(s.lastMultiplier, 0.5)
    s.onFill(500 / 6)
    // Period 3 at 100 − 0.5·√2·0.4, 2 elapsed: z = 0.4, m = 1.2; base (500 − 500/6)/2.
    const left = 500 - 500 / 6
    close(s.next(100 - 0.5 * Math.SQRT2 * 0.4), 1.2 * (left / 2))
    close(s.lastMultiplier, 1.2)
    s.onFill(1.2 * (left / 2))
    // The last period takes what is left.
    close(s.next(120), left - 1.2 * (left / 2))
    assert.throws(() => s.next(100), { code: 'STATE_INVALID' })
  })

  it('reads a rise as favourable for a sell, and clamps the multiplier', () => {
    close(favourableMove('SELL', 100, 101, 0.5, 4), 1) // (101 − 100)/(0.5·√4)
    close(favourableMove('BUY', 100, 101, 0.5, 0), -2)
    assert.equal(adaptiveMultiplier(10, 0.5, 0.5, 2), 2)
    assert.equal(adaptiveMultiplier(-10, 0.5, 0.5, 2), 0.5)
    assert.equal(adaptiveMultiplier(0.5, 0.5, 0.5, 2), 1.25)
  })

  it('is the base schedule exactly when a = 0 (TWAP, or VWAP of a profile)', () => {
    const prices = [100, 90, 110, 95, 105]
    const twap = run(
      new AdaptiveScheduler({ side: 'BUY', quantity: 1000, periods: 5, arrival: 100, sigma: 1, aggressiveness: 0 }),
      prices,
    )
    twap.forEach((n) => close(n, 200))
    const w = [0.3, 0.1, 0.1, 0.2, 0.3]
    const vwap = run(
      new AdaptiveScheduler({ side: 'SELL', quantity: 1000, periods: w, arrival: 100, sigma: 1, aggressiveness: 0 }),
      prices,
    )
    vwap.forEach((n, k) => close(n, 1000 * w[k]!))
  })

  it('is ahead of its base schedule on a favourable path and behind on an adverse one (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 30, maxLength: 30 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (side, periods, steps, a) => {
          const s = side === 'BUY' ? 1 : -1
          const path = (dir: number) => {
            let p = 100
            return steps.slice(0, periods).map((d) => (p -= dir * s * d))
          }
          const opts = { side, quantity: 10_000, periods, arrival: 100, sigma: 0.8, aggressiveness: a }
          for (const dir of [1, -1]) {
            const sched = new AdaptiveScheduler(opts)
            const kids = run(sched, path(dir))
            let cum = 0
            kids.forEach((n, k) => {
              assert.ok(n >= 0 && sched.lastMultiplier >= 0.5 && sched.lastMultiplier <= 2)
              cum += n
              const twapCum = (10_000 * (k + 1)) / periods
              if (dir === 1) assert.ok(cum >= twapCum - 1e-6, `favourable: ${cum} < ${twapCum}`)
              else assert.ok(cum <= twapCum + 1e-6, `adverse: ${cum} > ${twapCum}`)
            })
            close(cum, 10_000)
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    )
  })

  it('refuses bounds that do not bracket 1', () => {
    const base = { side: 'BUY', quantity: 1, periods: 2, arrival: 100, sigma: 1 } as const
    assert.throws(() => new AdaptiveScheduler({ ...base, lo: 1.5 }), { code: 'PARAM_INVALID', message: /lo 1.5/ })
    assert.throws(() => new AdaptiveScheduler({ ...base, sigma: 0 }), { message: /^sigma 0/ })
  })
})
