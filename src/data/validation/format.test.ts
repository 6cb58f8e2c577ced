import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatReturn, formatSpan } from './index.ts'

describe('formatReturn', () => {
  it('prints a log return as the simple return e^r − 1 in percent, with precision for its size', () => {
    assert.equal(formatReturn(Math.log(1.05)), '+5.00%')
    assert.equal(formatReturn(Math.log(0.4)), '-60.0%')
    assert.equal(formatReturn(Math.log(1e6)), '+99,999,900%')
    assert.equal(formatReturn(Math.log(1.00001)), '+0.0010%')
    assert.equal(formatReturn(0), '0%')
    // A log return of 6.8479 (once printed as "684.79%") is a rise of 94,090 %.
    assert.equal(formatReturn(6.8479), '+94,090%')
  })
})

describe('formatSpan', () => {
  it('uses the unit that reads best', () => {
    assert.equal(formatSpan(45_000), '45 s')
    assert.equal(formatSpan(90 * 60_000), '90 minutes')
    assert.equal(formatSpan(36 * 3_600_000), '36 hours')
    assert.equal(formatSpan(12 * 86_400_000), '12 days')
    assert.equal(formatSpan(1000 * 365.25 * 86_400_000), '1000 years')
  })
})
