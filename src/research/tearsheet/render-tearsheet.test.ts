import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderTearsheet } from './render-tearsheet.ts'
import { syntheticPerformance } from './synthetic-input.ts'
import { tearsheetJson, type TearsheetData } from './tearsheet-json.ts'

/** The report without the bodies of its inline scripts (the chart libraries and the data). */
function markup(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>')
}
function embedded(html: string): TearsheetData {
  return JSON.parse(/<script type="application\/json" id="kestrel-data">([\s\S]*?)<\/script>/.exec(html)![1]!)
}

describe('renderTearsheet', () => {
  const input = syntheticPerformance(7, 756)
  const html = renderTearsheet(input)

  it('is self-contained: inline scripts and styles only, no network URL, src, href or external resource', () => {
    const m = markup(html)
    assert.match(html, /^<!DOCTYPE html>/)
    assert.doesNotMatch(m, /https?:\/\//i)
    assert.doesNotMatch(m, /\s(src|href)\s*=/i)
    assert.doesNotMatch(m, /<link|<img|<iframe|@import|url\(/i)
    assert.equal((html.match(/<script\b/g) ?? []).length, 4, 'data, uPlot, Lightweight Charts, the report script')
    assert.doesNotMatch(html, /<script\b[^>]*\bsrc=/i)
    assert.match(html, /uPlot 1\.6\.\d+ \(MIT\) and TradingView Lightweight Charts 5\.\d+\.\d+ \(Apache-2\.0\)/)
  })
  it('has every section, a chart container for each series, and the data they draw embedded', () => {
    for (const id of [
      'equity',
      'equity-log',
      'underwater',
      'worst-drawdowns',
      'monthly-returns',
      'yearly-returns',
      'benchmark',
      'rolling-sharpe',
      'rolling-volatility',
      'rolling-beta',
      'exposure',
      'return-distribution',
      'trade-distribution',
      'prices',
      'instruments',
      'metrics',
      'settings',
      'trades',
    ]) {
      assert.match(html, new RegExp(`<section id="${id}">`), id)
    }
    for (const id of ['equity', 'equity-log', 'underwater', 'rolling-beta', 'return-distribution', 'yearly-returns'])
      assert.match(html, new RegExp(`<div class="chart" id="chart-${id}">`), id)
    const d = embedded(html)
    assert.deepEqual(d.series.equity.time, tearsheetJson(input).series.equity.time)
    assert.equal((html.match(/<tr><td class="num">\d+<\/td><td>SYN<\/td>/g) ?? []).length, input.trades!.length)
    assert.match(html, /Probabilistic Sharpe ratio/)
    assert.match(html, /<th>2022<\/th>/)
    assert.match(html, /title="Mar 2021: -?\d+\.\d\d% \(Benchmark -?\d+\.\d\d%\)"/)
  })
  it('is deterministic: the same input renders byte-identical HTML', () => {
    assert.equal(renderTearsheet(syntheticPerformance(7, 756)), html)
  })
  it('escapes the title, keeps "</script>" in data from closing the element, and says when it lists part of the trades', () => {
    const h = renderTearsheet({ ...input, title: '<b>x</b> & y</script>' }, { maxTradeRows: 3 })
    assert.match(h, /<h1>&lt;b&gt;x&lt;\/b&gt; &amp; y&lt;\/script&gt;<\/h1>/)
    assert.equal(embedded(h).title, '<b>x</b> & y</script>')
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
    assert.equal(j.start, '2021-01-04 00:00')
    assert.equal(j.series.drawdown.value[0], 0)
    assert.equal(j.periodsPerYear, 252, 'given')
    assert.equal(j.periodsPerYearEstimate.basis, 'calendar')
  })
  it('estimates periods per year when none is given: 365 for a walk that has a point every day', () => {
    const { periodsPerYear: _, ...rest } = input
    const e = tearsheetJson(rest)
    assert.ok(Math.abs(e.periodsPerYear - 365.25) < 1e-9, String(e.periodsPerYear))
    assert.equal(e.periodsPerYearGiven, false)
  })
  it('compounds the monthly returns back to the total return', () => {
    let acc = 1
    for (const m of d.monthlyReturns) acc *= 1 + m.value
    assert.ok(Math.abs(acc - 1 - d.metrics.totalReturn) < 1e-12)
    assert.equal(d.monthlyReturns[0]!.year, 2021)
    assert.equal(d.monthlyReturns[0]!.month, 1)
  })
  it('counts every trade once in the P&L histogram and every return once in the distribution', () => {
    assert.equal(
      d.tradeHistogram.counts.reduce((a, b) => a + b, 0),
      input.trades!.length,
    )
    assert.equal(
      d.returnHistogram.counts.reduce((a, b) => a + b, 0),
      399,
    )
    assert.equal(
      d.returnHistogram.benchmarkCounts!.reduce((a, b) => a + b, 0),
      399,
    )
  })
  it('compares with the benchmark over the same periods: beta to itself is 1', () => {
    const self = tearsheetJson({ ...input, benchmark: input.equity })
    assert.ok(Math.abs(self.benchmarkStats!.beta - 1) < 1e-12)
    assert.ok(Math.abs(self.benchmarkStats!.upCapture - 1) < 1e-12)
    assert.equal(self.benchmarkMetrics!.totalReturn, self.metrics.totalReturn)
    assert.ok(d.yearlyReturns.every((y) => y.benchmark !== null))
  })
  it('lists the five worst drawdowns deepest first, the first being the max drawdown', () => {
    assert.ok(d.worstDrawdowns.length >= 1 && d.worstDrawdowns.length <= 5)
    assert.ok(Math.abs(d.worstDrawdowns[0]!.depth - d.metrics.maxDrawdown) < 1e-12)
    for (let i = 1; i < d.worstDrawdowns.length; i++)
      assert.ok(d.worstDrawdowns[i]!.depth >= d.worstDrawdowns[i - 1]!.depth)
  })
  it('thins long curves for drawing and says so', () => {
    const long = syntheticPerformance(5, 5000)
    const j = tearsheetJson(long, { maxPoints: 1000 })
    assert.ok(j.series.equity.time.length <= 1000)
    assert.equal(j.series.equity.sourcePoints, 5000)
    assert.match(renderTearsheet(long, { maxPoints: 1000 }), /Drawn from 5,000 points/)
  })
})
