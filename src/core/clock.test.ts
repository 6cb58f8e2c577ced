import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SimulatedClock } from './clock.ts'

describe('SimulatedClock', () => {
  it('fires due timers in time order at their own time, then rests at the target', () => {
    const c = new SimulatedClock(0)
    const fired: [string, number][] = []
    c.setTimer('b', 20, (n, t) => fired.push([n, t]))
    c.setTimer('a', 10, (n, t) => fired.push([n, t]))
    c.setInterval('i', 15, (n, t) => fired.push([n, t]))
    c.advanceTo(31)
    assert.deepEqual(fired, [
      ['a', 10],
      ['i', 15],
      ['b', 20],
      ['i', 30],
    ])
    assert.equal(c.now(), 31)
    assert.equal(c.nextTimerTime(), 45)
  })

  it('refuses to go back in time', () => {
    const c = new SimulatedClock(100)
    assert.throws(() => c.advanceTo(99), /cannot go back/)
  })
})
