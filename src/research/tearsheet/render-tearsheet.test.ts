import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderTearsheet } from './render-tearsheet.ts'
import { syntheticPerformance } from './synthetic-input.ts'
import { tearsheetJson } from './tearsheet-json.ts'

describe('renderTearsheet', () => {
  const input = syntheticPerformance(7, 756)
  const html = renderTearsheet(input)

  it('is self-contained: no network URL, no src or href, no script, no external font', () => {
    assert.doesNotMatch(html, /https?:\/\//i)
    assert.doesNotMatch(html, /\s(src|href)\s*=/i)
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i)
    assert.match(html, /^<!DOCTYPE html>/)
  })
  it('contains every section of the issue with real content', () => {
    for (const id of [
      'equity',
      'underwater',
      'monthly-returns',
      'rolling-sharpe',
      'rolling-volatility',
      'exposure',
      'trade-distribution',
      'metrics',
      'trades',
    ]) {
      assert.match(html, new RegExp(`<section id="${id}">`), id)
    }
    assert.match(html, /Benchmark \(rebased\)/)
    assert.equal((html.match(/<svg /g) ?? []).length, 6, 'equity, underwater, 2 rolling, exposure, histogram')
    assert.equal((html.match(/<tr><td class="num">\d+<\/td><td>SYN<\/td>/g) ?? []).length, input.trades!.length)
    assert.match(html, /Probabilistic Sharpe ratio/)
    assert.match(html, /<th>2022<\/th>/)
  })
  it('is deterministic: the same input renders byte-identical HTML', () => {
    assert.equal(renderTearsheet(syntheticPerformance(7, 756)), html)
  })
  it('escapes the title and says when it lists only part of the trades', () => {
    const h = renderTearsheet({ ...input, title: '<b>x</b> & y' }, { maxTradeRows: 3 })
    assert.match(h, /&lt;b&gt;x&lt;\/b&gt; &amp; y/)
    assert.match(h, new RegExp(`Showing the first 3 of ${input.trades!.length} trades`))
  })
})

describe('tearsheetJson', () => {
  const input = syntheticPerformance(3, 400)
  const d = tearsheetJson(input)
  it('holds the metrics, the series and every trade, JSON-serialisable', () => {
    const j = JSON.parse(JSON.stringify(d))
    assert.equal(j.trades.length, input.trades!.length)
    assert.equal(j.series.equity.time.length, 400)
    assert.equal(j.series.equity.sourcePoints, 400)
    assert.equal(j.metrics.periods, 399)
    assert.equal(j.rollingWindow, 79, 'half a year (126) capped at n / 5')
    assert.equal(j.start, '2021-01-04T00:00:00Z')
    assert.equal(j.series.drawdown.value[0], 0)
  })
  it('compounds the monthly returns back to the total return', () => {
    let acc = 1
    for (const m of d.monthlyReturns) acc *= 1 + m.value
    assert.ok(Math.abs(acc - 1 - d.metrics.totalReturn) < 1e-12)
    assert.equal(d.monthlyReturns[0]!.year, 2021)
    assert.equal(d.monthlyReturns[0]!.month, 1)
  })
  it('counts every trade once in the P&L histogram', () => {
    assert.equal(
      d.tradeHistogram.counts.reduce((a, b) => a + b, 0),
      input.trades!.length,
    )
  })
  it('thins long curves for drawing and says so', () => {
    const long = syntheticPerformance(5, 5000)
    const j = tearsheetJson(long, { maxPoints: 1000 })
    assert.ok(j.series.equity.time.length <= 1000)
    assert.equal(j.series.equity.sourcePoints, 5000)
    assert.match(renderTearsheet(long, { maxPoints: 1000 }), /Drawn from 5,000 points/)
  })
})
