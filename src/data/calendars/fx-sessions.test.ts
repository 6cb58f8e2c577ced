import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fxSessionsAt } from './fx-sessions.ts'

const at = (iso: string) => fxSessionsAt(Date.parse(iso))

describe('fxSessionsAt', () => {
  it('labels Tokyo morning, the London/New York overlap and the New York afternoon (summer)', () => {
    assert.deepEqual(at('2024-07-10T01:00:00Z'), ['Asia']) // 10:00 JST
    assert.deepEqual(at('2024-07-10T07:30:00Z'), ['Asia', 'London']) // 16:30 JST, 08:30 BST
    assert.deepEqual(at('2024-07-10T13:00:00Z'), ['London', 'NewYork']) // 14:00 BST, 09:00 EDT
    assert.deepEqual(at('2024-07-10T18:00:00Z'), ['NewYork'])
    assert.deepEqual(at('2024-07-10T22:30:00Z'), [])
  })
  it('honours each city’s own DST: London opens 07:00Z in summer and 08:00Z in winter', () => {
    assert.deepEqual(at('2024-07-10T07:00:00Z'), ['Asia', 'London'])
    assert.deepEqual(at('2024-01-10T07:00:00Z'), ['Asia'])
    assert.deepEqual(at('2024-01-10T08:00:00Z'), ['Asia', 'London'])
    // Between the US (Mar 10) and UK (Mar 31) changes New York opens at 12:00Z while London is still on GMT.
    assert.deepEqual(at('2024-03-20T12:00:00Z'), ['London', 'NewYork'])
    assert.deepEqual(at('2024-01-10T12:00:00Z'), ['London'])
  })
  it('is empty while the FX week is closed', () => {
    assert.deepEqual(at('2024-07-13T13:00:00Z'), [])
    assert.deepEqual(at('2024-07-12T21:30:00Z'), [])
  })
})
