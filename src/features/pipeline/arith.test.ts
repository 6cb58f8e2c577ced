import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { loadBundled } from '../common/bundled.ts'
import { getIndicator } from '../indicators/index.ts'
import { FeatureStreamer, buildPlan, computeFeatures, featureSpec, parseExpr } from './index.ts'

const plan = (features: Record<string, string>) => buildPlan(featureSpec({ name: 't', features }))
const spy = loadBundled('SPY_1d')
const col = (features: Record<string, string>, name: string) => {
  const f = computeFeatures(plan(features), spy)
  return f.values[f.columns.indexOf(name)]!
}
const specErr = (re: RegExp) => (e: unknown) => isKestrelError(e, 'SPEC_INVALID') && re.test(e.message)

const PCT_B = '(close - bbands(20,2,2).lowerband) / (bbands(20,2,2).upperband - bbands(20,2,2).lowerband)'

describe('arithmetic in feature expressions', () => {
  it('computes Bollinger %b equal to the formula over the indicator outputs at every row', () => {
    const [upper, , lower] = getIndicator('bbands').compute({ close: spy.close } as never, [20, 2, 2])
    const pb = col({ pb: PCT_B }, 'pb')
    assert.equal(pb.length, spy.close.length)
    for (let i = 0; i < pb.length; i++) {
      const want = (spy.close[i]! - lower![i]!) / (upper![i]! - lower![i]!)
      if (i < 19) assert.ok(Number.isNaN(pb[i]!), `warm-up row ${i} is NaN`)
      else assert.equal(pb[i], want, `row ${i}`)
    }
    // SPY_1d 1998-01-30 (row 19): the first defined value lies in (0, 1) as the close is inside the bands.
    assert.ok(pb[19]! > 0 && pb[19]! < 1)
  })

  it('computes the bbands node once for %b (shared sub-expressions)', () => {
    const p = plan({ pb: PCT_B, width: 'bbands(20,2,2).upperband - bbands(20,2,2).lowerband' })
    assert.equal(p.nodes.filter((n) => n.kind.name === 'bbands').length, 1)
    // `upperband - lowerband` is one node, used by %b's denominator and by width.
    assert.equal(p.nodes.filter((n) => n.id === '(bbands(20,2,2).upperband-bbands(20,2,2).lowerband)').length, 1)
    const sq = plan({ s: '(close - open) * (close - open)' })
    assert.equal(sq.nodes.filter((n) => n.id === '(close-open)').length, 1)
  })

  it('follows standard precedence, unary minus and parentheses, checked against hand computation', () => {
    const cases: [string, (o: number, h: number, l: number, c: number) => number][] = [
      ['close - open * 2', (o, _h, _l, c) => c - o * 2],
      ['(close - open) * 2', (o, _h, _l, c) => (c - o) * 2],
      ['-close + high / low - -1', (_o, h, l, c) => -c + h / l + 1],
      ['high - low - close', (_o, h, l, c) => h - l - c],
      ['high / low / 2', (_o, h, l) => h / l / 2],
      ['2 * -(high - low) / 4', (_o, h, l) => (2 * -(h - l)) / 4],
      ['1e2 * .5 + close', (_o, _h, _l, c) => 50 + c],
    ]
    for (const [text, f] of cases) {
      const got = col({ x: text }, 'x')
      for (const i of [0, 1, 100, spy.close.length - 1])
        assert.equal(got[i], f(spy.open[i]!, spy.high[i]!, spy.low[i]!, spy.close[i]!), `${text} row ${i}`)
    }
  })

  it('folds arithmetic on numbers, so a parameter may be written 2*10', () => {
    assert.deepEqual(col({ a: 'sma(close, 2*10)' }, 'a'), col({ a: 'sma(close, 20)' }, 'a'))
    assert.deepEqual(parseExpr('-(3 - 1) * 2', 'x'), { type: 'num', value: -4 })
  })

  it('mixes indicator outputs, features and columns, and propagates warm-up NaN', () => {
    const [macd, signal] = getIndicator('macd').compute({ close: spy.close } as never, [12, 26, 9])
    const f = computeFeatures(
      plan({ r: 'logret(close, 1)', x: 'macd(12,26,9).macd - macd(12,26,9).macdsignal + r * 0' }),
      spy,
    )
    const x = f.values[f.columns.indexOf('x')]!
    for (let i = 0; i < x.length; i++) {
      const want = macd![i]! - signal![i]! + Math.log(spy.close[i]! / spy.close[i - 1]!) * 0
      if (Number.isNaN(want)) assert.ok(Number.isNaN(x[i]!), `row ${i}`)
      else assert.ok(Math.abs(x[i]! - want) < 1e-12, `row ${i}`)
    }
  })

  it('gives NaN for every division by zero (0/0 and x/0), never Infinity', () => {
    for (const text of [
      'close / (open - open)',
      '(close - close) / (open - open)',
      '-close / (high - high)',
      'close / 0',
    ]) {
      const v = col({ x: text }, 'x')
      assert.ok(v.every(Number.isNaN), text)
    }
    assert.deepEqual(parseExpr('1 / 0', 'x'), { type: 'num', value: NaN })
  })

  it('streams the same values as the batch run', () => {
    const p = plan({ pb: PCT_B, d: '-(close - open) / (high - low)' })
    const batch = computeFeatures(p, spy)
    const st = new FeatureStreamer(p)
    for (let i = 0; i < 300; i++) {
      const row = st.update({
        openTime: spy.openTime[i]!,
        closeTime: spy.closeTime[i]!,
        open: spy.open[i]!,
        high: spy.high[i]!,
        low: spy.low[i]!,
        close: spy.close[i]!,
        volume: spy.volume[i]!,
      })
      batch.values.forEach((v, k) => {
        if (Number.isNaN(v[i]!)) assert.ok(Number.isNaN(row[k]!), `row ${i} col ${k}`)
        else assert.ok(Math.abs(row[k]! - v[i]!) < 1e-9, `row ${i} col ${k}`)
      })
    }
  })

  it('points a parse error at its column', () => {
    assert.throws(
      () => plan({ x: 'close +' }),
      specErr(/features\.x: expected a name, a number or \(, got the end at column 8/),
    )
    assert.throws(() => plan({ x: '(close - open' }), specErr(/expected '\)' at column 14/))
    assert.throws(() => plan({ x: 'close - open)' }), specErr(/unmatched '\)' at column 13/))
    assert.throws(() => plan({ x: 'close * * open' }), specErr(/at column 9/))
    assert.throws(() => plan({ x: 'close open' }), specErr(/unexpected text at column 7/))
    try {
      plan({ x: 'close - ' })
      assert.fail('no error')
    } catch (e) {
      assert.ok(isKestrelError(e, 'SPEC_INVALID'))
      assert.equal(e.details.column, 9)
    }
  })

  it('names the outputs when a multi-output indicator is used without one, or with a wrong one', () => {
    assert.throws(() => plan({ x: 'close - bbands(20,2,2)' }), specErr(/bbands\(20,2,2\)\.upperband, .*lowerband/))
    assert.throws(() => plan({ x: 'close - bbands(20,2,2).nope' }), specErr(/has no output nope; outputs: upperband/))
    assert.throws(() => plan({ x: 'bbands(20,2,2).nope' }), specErr(/has no output nope/))
    assert.throws(() => plan({ x: 'close - nosuch' }), specErr(/unknown name nosuch/))
  })
})
