// The tearsheet in a real browser (Debian's Chromium through playwright-core): it renders offline with no console
// error and no request, every chart holds the points of its series, hovering shows values, dragging zooms.
// Screenshots go to out/report/ (gitignored). Without /usr/bin/chromium (or the browser KESTREL_CHROMIUM names)
// the test is skipped with a NOTICE, unless KESTREL_REQUIRE_SERVICES=1, where it fails.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { parseTimeframe } from '../../src/core/index.ts'
import { loadCsvBars, resolveStrategy, runBacktest, type BacktestOptions } from '../../src/engine/index.ts'
import {
  renderTearsheet,
  renderTearsheetData,
  sessionClockFor,
  tearsheetJson,
  type TearsheetData,
} from '../../src/research/index.ts'
import { syntheticPerformance } from '../../src/research/tearsheet/synthetic-input.ts'
import { buyAndHold } from '../../src/strategy/index.ts'

const CHROMIUM = process.env.KESTREL_CHROMIUM ?? '/usr/bin/chromium' // Debian's package
const OUT = resolve('out/report')

function needChromium(): false | string {
  if (existsSync(CHROMIUM)) return false
  const msg = `${CHROMIUM} is missing (apt-get install -y chromium)`
  if (process.env.KESTREL_REQUIRE_SERVICES === '1') throw new Error(`${msg} and KESTREL_REQUIRE_SERVICES=1`)
  process.stderr.write(`\n  NOTICE: skipping the tearsheet browser test: ${msg}\n`)
  return `NOTICE: ${msg}`
}

/** An sma-cross run on a bundled file with its buy-and-hold benchmark, as the backtest command reports it. */
async function report(file: string, params: Record<string, unknown>): Promise<TearsheetData> {
  const l = await loadCsvBars(resolve('data/bundled', file), {})
  const options: BacktestOptions = {
    instruments: [l.instrument],
    feeds: [l.feed],
    strategies: [{ definition: await resolveStrategy('sma-cross'), params }],
    account: { cash: 100_000, currency: 'USD', type: 'cash' },
    fees: { type: 'percent', takerRate: 0.0005, makerRate: 0.0005 },
  }
  const r = await runBacktest(options)
  const b = await runBacktest({ ...options, strategies: [{ definition: buyAndHold as never, params: {} }] })
  return tearsheetJson({
    title: `sma-cross on ${l.instrument.symbol} ${l.timeframe}`,
    equity: r.equity,
    exposure: r.exposure,
    trades: r.trades,
    tradedNotional: r.tradedNotional,
    benchmark: b.equity,
    benchmarkName: `buy-and-hold ${l.instrument.symbol}`,
    clock: sessionClockFor(parseTimeframe(l.timeframe).ms, l.instrument.calendar, l.instrument.assetClass),
    prices: [{ ...l.series, instrumentId: l.instrument.id, time: l.series.closeTime }],
    settings: { strategy: `sma-cross ${JSON.stringify(params)}`, account: 'cash 100,000 USD', fees: '5 bps' },
  })
}

interface Loaded {
  readonly page: Page
  readonly problems: string[]
}

async function open(ctx: BrowserContext, html: string, name: string): Promise<Loaded> {
  const path = join(OUT, `${name}.html`)
  writeFileSync(path, html)
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('file:')) return route.continue()
    problems.push(`request: ${url}`)
    return route.abort()
  })
  await page.goto(`file://${path}`)
  await page.waitForFunction(
    () => (globalThis as unknown as { kestrel?: { ready?: boolean } }).kestrel?.ready === true,
    null,
    {
      timeout: 15_000,
    },
  )
  return { page, problems }
}

/** Per uPlot chart: the x length and each series' count of non-null values. */
function chartShapes(page: Page): Promise<Record<string, { x: number; series: number[] }>> {
  return page.evaluate(() => {
    const charts = (globalThis as unknown as { kestrel: { charts: Record<string, { data: (number | null)[][] }> } })
      .kestrel.charts
    return Object.fromEntries(
      Object.entries(charts).map(([id, u]) => [
        id,
        {
          x: u.data[0]!.length,
          series: u.data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined).length),
        },
      ]),
    )
  })
}

/** Hovers the middle of a uPlot chart and returns the legend's values. */
async function hover(page: Page, id: string): Promise<string[]> {
  const over = page.locator(`#chart-${id} .u-over`)
  await over.scrollIntoViewIfNeeded()
  const box = (await over.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
  return page.locator(`#chart-${id} .u-legend .u-series .u-value`).allTextContents()
}

describe('the tearsheet in Chromium', { skip: needChromium() }, () => {
  let ctx: BrowserContext
  let dataDir: string
  before(async () => {
    mkdirSync(OUT, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'kestrel-chromium-'))
    ctx = await chromium.launchPersistentContext(dataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })
  after(async () => {
    await ctx?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('SPY daily: renders offline without errors; every chart has its points; hover shows values; drag zooms', async () => {
    const d = await report('SPY_1d.csv', { fast: 20, slow: 100, size: 100 })
    const { page, problems } = await open(ctx, renderTearsheetData(d), 'tearsheet-spy-1d')
    await page.screenshot({ path: join(OUT, 'tearsheet-spy-1d.png'), fullPage: true })
    assert.deepEqual(problems, [])
    const shapes = await chartShapes(page)
    const s = d.series
    assert.deepEqual(shapes.equity!.series, [s.equity.time.length, s.benchmark!.time.length])
    assert.deepEqual(shapes['equity-log']!.series, shapes.equity!.series)
    assert.deepEqual(shapes.underwater!.series, [s.drawdown.time.length, s.benchmarkDrawdown!.time.length])
    for (const [id, series] of [
      ['rolling-sharpe', s.rollingSharpe],
      ['rolling-volatility', s.rollingVolatility],
      ['rolling-beta', s.rollingBeta!],
      ['exposure', s.exposure!],
    ] as const) {
      assert.equal(shapes[id]!.x, series.time.length, id)
      assert.equal(shapes[id]!.series[0], series.value.filter((v) => v !== null).length, id)
    }
    assert.equal(shapes['return-distribution']!.x, d.returnHistogram.counts.length)
    assert.equal(shapes['trade-distribution']!.x, d.tradeHistogram.counts.length)
    assert.deepEqual(shapes['yearly-returns']!.series, [d.yearlyReturns.length, d.yearlyReturns.length])
    const price = await page.evaluate(() => {
      const p = (
        globalThis as unknown as { kestrel: { priceCharts: Record<string, { series: { data(): unknown[] } }> } }
      ).kestrel.priceCharts['SPY.SIM']!
      return p.series.data().length
    })
    assert.equal(price, d.prices[0]!.time.length)
    assert.equal(d.prices[0]!.markers.length, 2 * d.trades.length)

    const money = /^-?[\d,]+(\.\d+)?$/
    const eq = await hover(page, 'equity')
    assert.match(eq[0]!, /^\d{4}-\d\d-\d\d$/, `hovered day: ${eq[0]}`)
    assert.match(eq[1]!, money, `strategy equity: ${eq[1]}`)
    assert.match(eq[2]!, money, `benchmark equity: ${eq[2]}`)
    await page.locator('#equity').screenshot({ path: join(OUT, 'tearsheet-spy-1d-hover.png') })
    const dd = await hover(page, 'underwater')
    assert.match(dd[1]!, /^-?\d+\.\d\d%$/, `drawdown: ${dd[1]}`)
    const yr = await hover(page, 'yearly-returns')
    assert.match(yr[0]!, /^(19|20)\d\d$/, `year: ${yr[0]}`)

    // drag across the middle third of the equity chart: the x range narrows to it
    const over = page.locator('#chart-equity .u-over')
    await over.scrollIntoViewIfNeeded()
    const box = (await over.boundingBox())!
    const range = () =>
      page.evaluate(() => {
        const u = (
          globalThis as unknown as {
            kestrel: { charts: Record<string, { scales: { x: { min: number; max: number } } }> }
          }
        ).kestrel.charts.equity!
        return u.scales.x.max - u.scales.x.min
      })
    const full = await range()
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + (2 * box.width) / 3, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    const zoomed = await range()
    assert.ok(zoomed < full * 0.4 && zoomed > full * 0.25, `zoomed to ${zoomed / full} of the span`)
    await page.locator('#equity').screenshot({ path: join(OUT, 'tearsheet-spy-1d-zoomed.png') })

    // the price chart: hovering shows the bar's OHLC
    const lw = page.locator('#chart-price-0')
    await lw.scrollIntoViewIfNeeded()
    const lb = (await lw.boundingBox())!
    await page.mouse.move(lb.x + lb.width * 0.5, lb.y + lb.height * 0.5)
    await page.waitForFunction(() =>
      /O [\d.]+ {2}H /.test(
        (
          globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } } }
        ).document.getElementById('legend-price-0').textContent ?? '',
      ),
    )
    await page.locator('#prices').screenshot({ path: join(OUT, 'tearsheet-spy-1d-prices.png') })
    assert.deepEqual(problems, [], 'no error while interacting')
    await page.close()
  })

  it('SPY 1-minute: dates in New York time and periods per year from the data', async () => {
    const d = await report('SPY_1m.csv', { fast: 10, slow: 30, size: 100 })
    assert.equal(d.clock.timeZone, 'America/New_York')
    assert.equal(d.periodsPerYear, ((d.metrics.periods + 1) / 6) * 252)
    const { page, problems } = await open(ctx, renderTearsheetData(d), 'tearsheet-spy-1m')
    await page.screenshot({ path: join(OUT, 'tearsheet-spy-1m.png'), fullPage: true })
    assert.deepEqual(problems, [])
    const eq = await hover(page, 'equity')
    assert.match(eq[0]!, /^2013-10-\d\d \d\d:\d\d$/, `hovered time: ${eq[0]}`)
    const first = await page.locator('#trades tbody tr td:nth-child(4)').first().textContent()
    assert.match(first!, /^2013-10-\d\d \d\d:\d\d$/)
    await page.close()
  })

  it('a bare equity curve (no benchmark, trades, exposure or prices) renders without errors', async () => {
    const { equity, title } = syntheticPerformance(11, 300)
    const { page, problems } = await open(ctx, renderTearsheet({ equity, title }), 'tearsheet-bare')
    assert.deepEqual(problems, [])
    const shapes = await chartShapes(page)
    assert.deepEqual(Object.keys(shapes).sort(), [
      'equity',
      'equity-log',
      'return-distribution',
      'rolling-sharpe',
      'rolling-volatility',
      'underwater',
      'yearly-returns',
    ])
    assert.equal(shapes.equity!.x, 300)
    await page.close()
  })
})
