import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MS, allocBarSeries, isKestrelError, sliceSeries, type BarSeries, type NewsItem } from '../../core/index.ts'
import { FeatureStreamer, buildPlan, computeFeatures, featureSpec } from '../pipeline/index.ts'
import { NewsSentiment, newsTimeline } from './index.ts'

const T0 = Date.UTC(2024, 4, 6, 13, 30)
const H = MS.hour

/** `n` hourly bars from T0. */
function hourly(n: number): BarSeries {
  const s = allocBarSeries('AAPL', '1h', n)
  for (let i = 0; i < n; i++) {
    s.openTime[i] = T0 + i * H
    s.closeTime[i] = T0 + (i + 1) * H
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = 100 + i
    s.volume[i] = 1
  }
  return s
}

const item = (id: string, time: number, sentiment: number): NewsItem => ({
  id,
  time,
  symbols: ['AAPL'],
  headline: id,
  source: 't',
  sentiment,
})

describe('bar-aligned news sentiment', () => {
  const plan = buildPlan(featureSpec({ name: 'news', features: { s: 'sentiment(1)' } }))

  it('an item at a bar close counts for that bar; one a millisecond later only for the next', () => {
    const s = hourly(3)
    const news = [item('at-close', T0 + H, 0.5), item('after', T0 + H + 1, -0.5)]
    const f = computeFeatures(plan, s, { news })
    const [score, count] = [f.values[0]!, f.values[1]!]
    assert.deepEqual([...count], [1, 1, 0])
    assert.equal(score[0], 0.5)
    // bar 1 closes at T0+2H: weights 2^-1 and 2^-((H-1)/H)
    const w1 = 0.5
    const w2 = 2 ** (-(H - 1) / H)
    assert.ok(Math.abs(score[1]! - (w1 * 0.5 - w2 * 0.5) / (w1 + w2)) < 1e-15)
    assert.deepEqual(f.columns, ['s.score', 's.count', 's.weight'])
  })

  it('is NaN with zero count before the first item, and decays the weight by the half-life', () => {
    const s = hourly(4)
    const f = computeFeatures(plan, s, { news: [item('a', T0 + H + 30 * MS.minute, 0.8)] })
    assert.ok(Number.isNaN(f.values[0]![0]!))
    assert.deepEqual([...f.values[1]!], [0, 1, 0, 0])
    assert.deepEqual([...f.values[2]!].slice(1), [2 ** -0.5, 2 ** -1.5, 2 ** -2.5])
    assert.deepEqual([...f.values[0]!].slice(1), [0.8, 0.8, 0.8])
  })

  it('counts items before the first bar in the score but not in its count', () => {
    const f = computeFeatures(plan, hourly(1), { news: [item('old', T0 - H, 1), item('in', T0 + 1, -1)] })
    assert.equal(f.values[1]![0], 1)
    const wOld = 2 ** -2
    const wIn = 2 ** (-(H - 1) / H)
    assert.ok(Math.abs(f.values[0]![0]! - (wOld - wIn) / (wOld + wIn)) < 1e-15)
  })

  it('no look-ahead: adding items after bar k’s close changes nothing at bars ≤ k (property)', () => {
    const s = hourly(48)
    const arbItem = fc.record({
      at: fc.integer({ min: -5 * H, max: 50 * H }),
      v: fc.double({ min: -1, max: 1, noNaN: true }),
    })
    fc.assert(
      fc.property(
        fc.array(arbItem, { maxLength: 40 }),
        fc.array(arbItem, { maxLength: 10 }),
        fc.integer({ min: 0, max: 47 }),
        (base, extra, k) => {
          const close = s.closeTime[k]!
          const past = base.map((b, i) => item(`b${i}`, T0 + b.at, b.v))
          const future = extra.map((b, i) => item(`f${i}`, Math.max(close + 1, T0 + b.at), b.v))
          const a = computeFeatures(plan, s, { news: past })
          const b = computeFeatures(plan, s, { news: [...past, ...future] })
          const c = computeFeatures(plan, sliceSeries(s, 0, k + 1), { news: past })
          for (let j = 0; j <= k; j++)
            for (let o = 0; o < 3; o++) {
              assert.ok(Object.is(a.values[o]![j], b.values[o]![j]), `output ${o} at bar ${j}`)
              assert.ok(Object.is(a.values[o]![j], c.values[o]![j]), `truncated, output ${o} at bar ${j}`)
            }
        },
      ),
      { seed: 20261203, numRuns: 150 },
    )
  })

  it('the streaming twin gives the same numbers as the batch run', () => {
    const s = hourly(24)
    const news = [0.5, 3.2, 3.2, 7.9, 15, 23.99].map((h, i) => item(`n${i}`, T0 + h * H, Math.sin(i)))
    const batch = computeFeatures(plan, s, { news })
    const st = new FeatureStreamer(plan, { news })
    for (let i = 0; i < 24; i++) {
      const row = st.update({
        openTime: s.openTime[i]!,
        closeTime: s.closeTime[i]!,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      })
      for (let o = 0; o < 3; o++) assert.ok(Object.is(row[o], batch.values[o]![i]), `bar ${i} output ${o}`)
    }
  })

  it('scores items without a sentiment by VADER on the headline', () => {
    const f = computeFeatures(plan, hourly(1), {
      news: [
        { id: 'v', time: T0 + 1, symbols: ['AAPL'], headline: 'VADER is smart, handsome, and funny.', source: 't' },
      ],
    })
    assert.equal(f.values[0]![0], 0.8316)
  })

  it('says so when the spec uses sentiment() and no news was given', () => {
    assert.throws(
      () => computeFeatures(plan, hourly(2)),
      (e) => isKestrelError(e, 'SPEC_INVALID') && /needs the news/.test(e.message),
    )
  })

  it('rejects a non-positive half-life in the spec and bars going back in time', () => {
    assert.throws(
      () => buildPlan(featureSpec({ name: 'x', features: { s: 'sentiment(0)' } })),
      (e) => isKestrelError(e, 'SPEC_INVALID'),
    )
    const ns = new NewsSentiment(newsTimeline([]), H)
    ns.update(T0, T0 + H)
    assert.throws(
      () => ns.update(T0 - H, T0),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
