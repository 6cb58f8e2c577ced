import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from './errors.ts'
import { MS, isFixedTimeframe, parseAnyTimeframe, parseTimeframe } from './time.ts'

const invalid = (re: RegExp) => (e: unknown) => isKestrelError(e, 'PARAM_INVALID') && re.test(e.message)

describe('timeframes', () => {
  it('parses fixed lengths, upper-case D and W included', () => {
    assert.deepEqual(parseTimeframe('15min'), { text: '15m', ms: 15 * MS.minute, unit: 'm', count: 15 })
    assert.equal(parseTimeframe('1D').ms, MS.day)
    assert.equal(parseTimeframe('1W').text, '1w')
    assert.equal(parseTimeframe('1w').ms, 7 * MS.day)
  })
  it('parses months as their own kind, without a length', () => {
    const m = parseAnyTimeframe('1mo')
    assert.deepEqual(m, { text: '1mo', unit: 'mo', count: 1 })
    assert.equal(parseAnyTimeframe('3month').text, '3mo')
    assert.equal(isFixedTimeframe(m), false)
    assert.equal(isFixedTimeframe(parseAnyTimeframe('1m')), true)
  })
  it('refuses 1M as ambiguous and says to write 1mo or 1m', () => {
    for (const t of ['1M', '2MO', '1Min'])
      assert.throws(() => parseAnyTimeframe(t), invalid(/ambiguous: write \dmo for months or \dm for minutes/))
  })
  it('refuses a month where a fixed length is needed, naming the text', () => {
    assert.throws(() => parseTimeframe('1mo'), invalid(/"1mo": a month has no fixed length/))
  })
  it('refuses a zero count and unknown units', () => {
    assert.throws(() => parseAnyTimeframe('0m'), invalid(/count must be/))
    assert.throws(() => parseAnyTimeframe('1y'), invalid(/expected <count><s\|m\|h\|d\|w\|mo>/))
  })
})
