import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decimalsFor, esc, lineChart, niceTicks, timeTicks } from './svg.ts'

describe('svg helpers', () => {
  it('picks round ticks in steps of 1, 2, 2.5 or 5 × 10^k', () => {
    assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10])
    // range 0.28 / 5 = 0.056 → step 0.1, ticks inside the range only, exact 0
    assert.deepEqual(
      niceTicks(-0.27, 0.01, 5).map((v) => Number(v.toFixed(12))),
      [-0.2, -0.1, 0],
    )
    assert.deepEqual(niceTicks(0, 1, 4), [0, 0.25, 0.5, 0.75, 1])
  })
  it('gives the decimals a tick step needs', () => {
    assert.equal(decimalsFor(1), 0)
    assert.equal(decimalsFor(0.5), 1)
    assert.equal(decimalsFor(2.5), 1)
    assert.equal(decimalsFor(0.25), 2)
    assert.equal(decimalsFor(20_000), 0)
  })
  it('aligns time ticks to calendar boundaries in UTC', () => {
    const y = timeTicks(Date.UTC(2001, 5, 3), Date.UTC(2020, 2, 1))
    assert.ok(y.every((t) => new Date(t.t).getUTCMonth() === 0 && new Date(t.t).getUTCDate() === 1))
    assert.ok(y.length <= 7 && y.length >= 3)
    const h = timeTicks(Date.UTC(2024, 0, 2, 14, 30), Date.UTC(2024, 0, 2, 21, 0))
    assert.deepEqual(
      h.map((t) => t.label),
      ['15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00'],
    )
  })
  it('escapes text and breaks lines at NaN instead of drawing through gaps', () => {
    assert.equal(esc('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;')
    const svg = lineChart([{ name: 's', time: [0, 1, 2, 3, 4], value: [1, 2, NaN, 3, 4], color: '#000' }], {
      yFormat: String,
      label: 'x',
    })
    assert.equal((svg.match(/<path d="M/g) ?? []).length, 2)
    assert.match(lineChart([], { yFormat: String, label: 'none' }), /no data/)
  })
})
