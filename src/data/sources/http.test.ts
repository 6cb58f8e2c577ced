import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { backoffDelay, parseRetryAfter, resolveRetryPolicy } from './http.ts'

describe('retry helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('2'), 2000)
    assert.equal(parseRetryAfter('0.5'), 500)
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now), 30_000)
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now), 0)
    assert.equal(parseRetryAfter(null), undefined)
    assert.equal(parseRetryAfter('soon'), undefined)
  })

  it('keeps every backoff delay within [0.5, 1) of min(max, base * 2^(attempt-1)) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, u) => {
        const p = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 10_000, random: () => u })
        const cap = Math.min(10_000, 100 * 2 ** (attempt - 1))
        const d = backoffDelay(p, attempt)
        assert.ok(d >= Math.floor(cap / 2) && d < cap, `attempt ${attempt}: ${d} vs cap ${cap}`)
      }),
      { seed: 7 },
    )
  })
})
