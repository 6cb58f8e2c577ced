import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { atrStop, fixedFractional, fixedRisk } from './fixed.ts'
import { fractionalKelly, kellyContinuous, kellyDiscrete, kellyMulti } from './kelly.ts'
import { stopBeyondLevel, takeProfit, TrailingStop } from './stops.ts'
import { ewmaVolatility, volTargetLeverage } from './vol-target.ts'

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`)

describe('Kelly', () => {
  it('gives f = 0.06 for p = 0.53 at even odds', () => close(kellyDiscrete(0.53, 1), 0.06))
  it('gives f = p − q/b at 2:1', () => close(kellyDiscrete(0.4, 2), 0.1))
  it('continuous Kelly is μ/σ²', () => close(kellyContinuous(0.05, 0.04), 1.25))
  it('multi-asset Kelly solves Σf = μ', () => {
    const f = kellyMulti(
      [0.05, 0.03],
      [
        [0.04, 0.01],
        [0.01, 0.09],
      ],
    )
    close(0.04 * f[0]! + 0.01 * f[1]!, 0.05)
    close(0.01 * f[0]! + 0.09 * f[1]!, 0.03)
  })
  it('fractional Kelly halves, caps each and caps the gross', () => {
    assert.deepEqual(fractionalKelly([3, -0.4, 0.2]), [1, -0.2, 0.1])
    const g = fractionalKelly([1, 1], { fraction: 1, grossCap: 1 })
    assert.deepEqual(g, [0.5, 0.5])
  })
  it('rejects a probability outside [0, 1] by name', () => {
    assert.throws(
      () => kellyDiscrete(1.2, 1),
      (e: unknown) => isKestrelError(e, 'PARAM_INVALID') && /kellyDiscrete\(p\)/.test(e.message),
    )
  })
})

describe('fixed sizing and stops', () => {
  it('fixed fractional and fixed risk quantities', () => {
    close(fixedFractional(100_000, 0.1, 50), 200)
    // Risk 1% of 100k with a 2-ATR stop (ATR 1.5) under a 50 entry: stop 47, 1000/3 shares.
    const stop = atrStop(50, 1.5, 2)
    assert.equal(stop, 47)
    close(fixedRisk(100_000, 0.01, 50, stop), 1000 / 3)
    close(fixedRisk(100_000, 0.01, 50, 53, 'SHORT'), 1000 / 3)
    assert.throws(() => fixedRisk(100_000, 0.01, 50, 51), /below the entry/)
  })

  it('the loss at the stop is exactly the risk budget', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e3, max: 1e7, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (eq, risk, entry, dist) => {
          const stop = entry * (1 - dist)
          const q = fixedRisk(eq, risk, entry, stop)
          close(q * (entry - stop), eq * risk, 1e-6 * eq * risk)
        },
      ),
    )
  })

  it('places the stop beyond the nearest support or resistance', () => {
    const levels = [95, 98.5, 103, 110]
    assert.equal(stopBeyondLevel(100, levels, 0.25, 'LONG', 90), 98.25)
    assert.equal(stopBeyondLevel(100, levels, 0.25, 'SHORT', 110), 103.25)
    assert.equal(stopBeyondLevel(90, levels, 0.25, 'LONG', 88), 88)
    assert.equal(takeProfit(100, 98, 2), 104)
  })

  it('a trailing stop ratchets and never loosens', () => {
    const t = new TrailingStop('LONG', 100, 2)
    assert.equal(t.stop, 98)
    t.update(105)
    assert.equal(t.stop, 103)
    t.update(101)
    assert.equal(t.stop, 103)
    assert.equal(t.hit(102.9), true)
    const p = new TrailingStop('SHORT', 100, 0.05, true)
    p.update(90)
    close(p.stop, 94.5)
  })
})

describe('volatility targeting', () => {
  it('EWMA recursion with λ = 0.94', () => {
    const r = [0.01, -0.02, 0.015]
    let v = 0.01 ** 2
    v = 0.94 * v + 0.06 * 0.02 ** 2
    v = 0.94 * v + 0.06 * 0.015 ** 2
    close(ewmaVolatility(r), Math.sqrt(v))
  })
  it('targets the volatility and caps the leverage', () => {
    close(volTargetLeverage(0.1, 0.2), 0.5)
    assert.equal(volTargetLeverage(0.1, 0.02, 2), 2)
    assert.equal(volTargetLeverage(0.1, 0), 0)
  })
})
