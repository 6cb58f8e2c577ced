import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { PovScheduler } from './pov.ts'

describe('POV scheduler', () => {
  it('takes its rate of each bar and catches up a thin bar only up to the cap', () => {
    const p = new PovScheduler({ quantity: 1000, rate: 0.1, cap: 0.2 })
    assert.equal(p.next(2000), 200) // behind by nothing: 10% of 2000, under the cap of 400
    p.onFill(150) // 50 short of 10% of 2000
    assert.equal(p.next(100), 20) // target 210 − 150 = 60, capped at 20% of 100
    p.onFill(20)
    assert.equal(p.next(1000), 140) // target 310 − 170 = 140 (< cap 200)
    p.onFill(140)
    assert.equal(p.next(1e6), 690) // the rest, under the cap
    p.onFill(690)
    assert.equal(p.next(1e6), 0)
    assert.equal(p.remaining, 0)
  })

  it('sends whole lots except a final remainder, and refuses a cap below its rate', () => {
    const p = new PovScheduler({ quantity: 250, rate: 0.5, lot: 100 })
    assert.equal(p.next(390), 100) // 195 floored to a lot
    p.onFill(100)
    assert.equal(p.next(390), 150) // min(cap 195, target 290 − 100) is all that is left: sent as it is
    p.onFill(200) // 300 > 250: the venue overfilled, nothing more is asked
    assert.equal(p.next(390), 0)
    assert.equal(p.remaining, -50)
    const q = new PovScheduler({ quantity: 250, rate: 0.5, lot: 100 })
    q.onFill(200)
    assert.equal(q.next(1000), 50) // a remainder smaller than a lot goes as it is
    const r = new PovScheduler({ quantity: 250, rate: 0.5, lot: 100 })
    assert.equal(r.next(199), 0) // 99.5 is less than a lot
    assert.throws(() => new PovScheduler({ quantity: 1, rate: 0.2, cap: 0.1 }), { code: 'PARAM_INVALID' })
    assert.throws(() => new PovScheduler({ quantity: 1, rate: 0 }), { message: /^rate 0/ })
  })

  it('never asks more than cap × the bar volume, nor more than is left, whatever the fills (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e7 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0, 1, 100),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 200,
        }),
        (quantity, rate, extra, lot, bars) => {
          const cap = rate + (1 - rate) * extra
          const p = new PovScheduler({ quantity, rate, cap, lot })
          let filled = 0
          let seen = 0
          for (const [volume, fillFraction] of bars) {
            const child = p.next(volume)
            seen += volume
            assert.ok(child >= 0 && child <= cap * volume, `${child} > ${cap} × ${volume}`)
            assert.ok(child <= quantity - filled)
            assert.ok(filled + child <= rate * seen + 1e-9 * seen)
            const f = lot > 0 && child >= lot ? Math.floor((child * fillFraction) / lot) * lot : child * fillFraction
            p.onFill(f)
            filled += f
          }
          assert.ok(filled <= quantity)
        },
      ),
      { seed: 42, numRuns: 300 },
    )
  })

  it('with full fills and no lots does exactly min(X, rate × cumulative volume)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.integer({ min: 0, max: 1e5 }), { minLength: 1, maxLength: 100 }),
        (quantity, vols) => {
          const p = new PovScheduler({ quantity, rate: 0.25 })
          let seen = 0
          for (const v of vols) {
            p.onFill(p.next(v))
            seen += v
            assert.ok(Math.abs(p.filled - Math.min(quantity, 0.25 * seen)) < 1e-6)
          }
        },
      ),
      { seed: 3, numRuns: 200 },
    )
  })
})
