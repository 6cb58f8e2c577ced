import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { parseIndicatorSpec } from './spec.ts'

describe('indicator spec parser', () => {
  it('parses the issue example with TA-Lib defaults and column names', () => {
    const items = parseIndicatorSpec('sma(14),macd(12,26,9),bbands(20,2,2),ema')
    assert.deepEqual(
      items.map((i) => i.columns),
      [
        ['sma(14)'],
        ['macd(12,26,9).macd', 'macd(12,26,9).macdsignal', 'macd(12,26,9).macdhist'],
        ['bbands(20,2,2).upperband', 'bbands(20,2,2).middleband', 'bbands(20,2,2).lowerband'],
        ['ema'],
      ],
    )
    assert.deepEqual(items[2].params, [20, 2, 2, 0])
    assert.deepEqual(items[3].params, [30])
    assert.deepEqual(items[3].given, [])
  })
  it('lower-cases names and drops whitespace in column names', () => {
    const [a] = parseIndicatorSpec('  SMA( 10 ) ')
    assert.equal(a.text, 'sma(10)')
  })
  it('names the item in every error', () => {
    const cases: [string, RegExp, string][] = [
      ['sma(10),foo(3)', /spec item 2 "foo\(3\)": unknown indicator "foo"/, 'SPEC_INVALID'],
      ['sma(0)', /spec item 1 "sma\(0\)": sma\(timeperiod\): expected integer ≥ 2, got 0/, 'PARAM_INVALID'],
      [
        'macd(26,12,9)',
        /spec item 1 "macd\(26,12,9\)": macd\(fastperiod\): expected fastperiod < slowperiod/,
        'PARAM_INVALID',
      ],
      ['sma(10,3)', /spec item 1 "sma\(10,3\)": sma: expected at most 1 parameter/, 'PARAM_INVALID'],
      ['sma(x)', /spec item 1 "sma\(x\)": parameter 1 "x" is not a number/, 'SPEC_INVALID'],
      ['sma(10),,ema', /spec item 2 "": empty item/, 'SPEC_INVALID'],
      ['sma(10', /unbalanced parentheses/, 'SPEC_INVALID'],
      ['sma(10),sma(10)', /duplicate column sma\(10\)/, 'SPEC_INVALID'],
    ]
    for (const [spec, re, code] of cases) {
      assert.throws(
        () => parseIndicatorSpec(spec),
        (e) => isKestrelError(e) && e.code === code && re.test(e.message),
        spec,
      )
    }
  })
  it('round-trips any list of valid sma/ema items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('sma', 'ema', 'wma'), fc.integer({ min: 2, max: 500 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (xs) => {
          const uniq = [...new Map(xs.map(([n, p]) => [`${n}(${p})`, p])).entries()]
          const spec = uniq.map(([t]) => t).join(',')
          const items = parseIndicatorSpec(spec)
          assert.deepEqual(
            items.map((i) => i.columns[0]),
            uniq.map(([t]) => t),
          )
          assert.deepEqual(
            items.map((i) => i.params[0]),
            uniq.map(([, p]) => p),
          )
        },
      ),
      { seed: 7 },
    )
  })
})
