/**
 * `renderTearsheet(input)`: one self-contained HTML report of a backtest. The tables are plain HTML; the charts
 * are drawn in the browser from the report's embedded JSON by uPlot and Lightweight Charts, both inlined with
 * their CSS, so the file needs no network, font, image or stylesheet. Deterministic: the same input gives the
 * same bytes.
 */
import { formatMetric, METRIC_LABELS, metricValue } from '../metrics/metric-labels.ts'
import type { Metrics } from '../metrics/compute-metrics.ts'
import { CLIENT_JS } from './client-script.ts'
import { esc, lineChart } from './svg.ts'
import { parentTcaSection } from './tca-section.ts'
import { tearsheetJson, type TearsheetData, type TearsheetInput, type TearsheetOptions } from './tearsheet-json.ts'
import { inlineScript, vendorAssets } from './vendor.ts'

const num = (v: number) =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toFixed(2)}M`
    : Math.abs(v) >= 1e4
      ? `${(v / 1e3).toFixed(0)}k`
      : v.toLocaleString('en-US', { maximumFractionDigits: 2 })
const pct2 = (v: number) => formatMetric(v, 'pct')
const signClass = (v: number) => (v < 0 ? ' neg' : v > 0 ? ' pos' : '')

/** ` ≈ 21 d`-style length of a span of `years`. */
function approxDuration(years: number): string {
  const days = years * 365.25
  if (days >= 60) return ` ≈ ${(days / 30.44).toFixed(0)} mo`
  if (days >= 2) return ` ≈ ${days.toFixed(0)} d`
  return ` ≈ ${(days * 24).toFixed(1)} h`
}

function kpis(d: TearsheetData): string {
  const m = d.metrics
  const tiles: [string, string, number][] = [
    ['Total return', pct2(m.totalReturn), m.totalReturn],
    ['CAGR', pct2(m.cagr), m.cagr],
    ['Sharpe', formatMetric(m.sharpeRatio, 'ratio'), m.sharpeRatio],
    ['Sortino', formatMetric(m.sortinoRatio, 'ratio'), m.sortinoRatio],
    ['Max drawdown', pct2(m.maxDrawdown), m.maxDrawdown],
    ['Volatility', pct2(m.annualVolatility), 0],
    [m.trades.basis === 'trades' ? 'Trades' : 'Periods', formatMetric(m.trades.count, 'count'), 0],
    ['Hit rate', pct2(m.trades.hitRate), 0],
  ]
  return `<div class="kpis">${tiles
    .map(
      ([k, v, sign]) =>
        `<div class="kpi"><div class="kpi-label">${esc(k)}</div><div class="kpi-value${signClass(sign)}">${esc(v)}</div></div>`,
    )
    .join('')}</div>`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function heatColor(v: number, scale: number): string {
  const a = Math.min(1, Math.abs(v) / scale)
  const alpha = (0.1 + 0.75 * a).toFixed(3)
  return v >= 0 ? `rgba(22,163,74,${alpha})` : `rgba(220,38,38,${alpha})`
}

function monthlyHeatmap(d: TearsheetData): string {
  if (d.monthlyReturns.length === 0) return '<p class="note">No complete month.</p>'
  const years = [...new Set(d.monthlyReturns.map((m) => m.year))].sort((a, b) => a - b)
  const byKey = new Map(d.monthlyReturns.map((m) => [`${m.year}-${m.month}`, m.value]))
  const bench = new Map((d.benchmarkMonthlyReturns ?? []).map((m) => [`${m.year}-${m.month}`, m.value]))
  const yearly = new Map(d.yearlyReturns.map((y) => [y.year, y]))
  const scale = Math.max(1e-12, ...d.monthlyReturns.map((m) => Math.abs(m.value)))
  const cell = (v: number | undefined, what: string, b: number | null | undefined, strong = false) => {
    if (v === undefined) return '<td class="hm-empty"></td>'
    const text = (v * 100).toFixed(1).replace(/^-0\.0$/, '0.0')
    const bg = text === '0.0' ? '#f8fafc' : heatColor(v, scale)
    const dark = Math.abs(v) / scale > 0.6 ? ' hm-dark' : ''
    const tip = `${what}: ${(v * 100).toFixed(2)}%${b === undefined || b === null ? '' : ` (${d.benchmarkName} ${(b * 100).toFixed(2)}%)`}`
    return `<td class="hm${dark}" style="background:${bg}" title="${esc(tip)}">${strong ? `<b>${text}</b>` : text}</td>`
  }
  const rows = years
    .map((y) => {
      const ms = MONTHS.map((name, i) => cell(byKey.get(`${y}-${i + 1}`), `${name} ${y}`, bench.get(`${y}-${i + 1}`)))
      const yr = yearly.get(y)
      return `<tr><th>${y}</th>${ms.join('')}${cell(yr?.value, String(y), yr?.benchmark, true)}</tr>`
    })
    .join('')
  return `<table class="heatmap"><thead><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead><tbody>${rows}</tbody></table><p class="note">Compounded return per calendar month of trading days, in percent: the month's last close over the previous month's last close. Hover a cell for the exact value.</p>`
}

function yearlyTable(d: TearsheetData): string {
  const b = d.benchmarkMetrics !== undefined
  const rows = d.yearlyReturns
    .map((y) => {
      const diff = y.benchmark === null ? NaN : y.value - y.benchmark
      return `<tr><td>${y.year}</td><td class="num${signClass(y.value)}">${pct2(y.value)}</td>${b ? `<td class="num${signClass(y.benchmark ?? 0)}">${y.benchmark === null ? 'n/a' : pct2(y.benchmark)}</td><td class="num${signClass(diff)}">${pct2(diff)}</td>` : ''}</tr>`
    })
    .join('')
  return `<table class="list"><thead><tr><th>Year</th><th>Strategy</th>${b ? `<th>${esc(d.benchmarkName)}</th><th>Difference</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`
}

/** Side-by-side strategy and benchmark figures, then the strategy-against-benchmark statistics. */
function comparison(d: TearsheetData): string {
  const bm = d.benchmarkMetrics
  const st = d.benchmarkStats
  if (!bm || !st) return '<p class="note">No benchmark was given.</p>'
  const keys: [keyof Metrics, string, 'pct' | 'ratio' | 'count'][] = [
    ['totalReturn', 'Total return', 'pct'],
    ['cagr', 'CAGR (calendar time)', 'pct'],
    ['annualReturn', 'Annual return (per period count)', 'pct'],
    ['annualVolatility', 'Annual volatility', 'pct'],
    ['sharpeRatio', 'Sharpe ratio', 'ratio'],
    ['sortinoRatio', 'Sortino ratio', 'ratio'],
    ['calmarRatio', 'Calmar ratio', 'ratio'],
    ['maxDrawdown', 'Max drawdown', 'pct'],
    ['maxDrawdownDurationDays', 'Longest drawdown (days)', 'count'],
    ['skew', 'Skew', 'ratio'],
    ['kurtosis', 'Excess kurtosis', 'ratio'],
    ['var95', 'VaR 95% (per period)', 'pct'],
    ['cvar95', 'CVaR 95% (per period)', 'pct'],
    ['stability', 'Stability (R²)', 'ratio'],
  ]
  const rows = keys
    .map(
      ([k, label, kind]) =>
        `<tr><td>${esc(label)}</td><td class="num">${esc(formatMetric(d.metrics[k] as number, kind))}</td><td class="num">${esc(formatMetric(bm[k] as number, kind))}</td></tr>`,
    )
    .join('')
  const rel: [string, string][] = [
    ['Alpha (annualised)', pct2(st.alpha)],
    ['Beta', formatMetric(st.beta, 'ratio')],
    ['Correlation', formatMetric(st.correlation, 'ratio')],
    ['R²', formatMetric(st.rSquared, 'ratio')],
    ['Information ratio (annualised)', formatMetric(st.informationRatio, 'ratio')],
    ['Tracking error (annualised)', pct2(st.trackingError)],
    ['Up capture', formatMetric(st.upCapture, 'ratio')],
    ['Down capture', formatMetric(st.downCapture, 'ratio')],
  ]
  const relRows = rel.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${esc(v)}</td><td></td></tr>`).join('')
  return `<table class="list compare"><thead><tr><th></th><th>Strategy</th><th>${esc(d.benchmarkName)}</th></tr></thead><tbody>${rows}<tr class="sep"><th colspan="3">Strategy against ${esc(d.benchmarkName)}</th></tr>${relRows}</tbody></table><p class="note">Over the ${st.periods.toLocaleString('en-US')} periods both cover. empyrical's definitions: beta and alpha from population moments, alpha compounded to a year; up/down capture are ratios of annual returns over the periods the benchmark rose/fell; the information ratio is the mean active return over its standard deviation × √(periods per year).</p>`
}

function drawdownTable(d: TearsheetData): string {
  if (d.worstDrawdowns.length === 0) return '<p class="note">Never under water.</p>'
  const rows = d.worstDrawdowns
    .map(
      (w, i) =>
        `<tr><td class="num">${i + 1}</td><td class="num neg">${pct2(w.depth)}</td><td>${esc(w.peak)}</td><td>${esc(w.trough)}</td><td>${w.recovery === null ? 'not recovered' : esc(w.recovery)}</td><td class="num">${w.bars.toLocaleString('en-US')}</td><td class="num">${w.days >= 10 ? w.days.toFixed(0) : w.days > 0 ? w.days.toPrecision(2) : '0'}</td></tr>`,
    )
    .join('')
  return `<table class="list"><thead><tr><th>#</th><th>Depth</th><th>Peak</th><th>Trough</th><th>Recovery</th><th>Bars</th><th>Days</th></tr></thead><tbody>${rows}</tbody></table><p class="note">Length from the peak to the recovery (or to the end while still under water), in bars and calendar days.</p>`
}

function metricsTables(d: TearsheetData): string {
  const groups = new Map<string, string[]>()
  const periods = d.metrics.trades.basis === 'periods'
  const bm = d.benchmarkMetrics
  for (const l of METRIC_LABELS) {
    const group = periods && l.group === 'Trades' ? 'Outcomes (per period)' : l.group
    const kind = periods && /^trades\.(expectancy|average)/.test(l.key) ? 'pct' : l.kind
    const rows = groups.get(group) ?? []
    const b = bm && !l.key.startsWith('trades.') ? formatMetric(metricValue(bm, l.key), l.kind) : ''
    rows.push(
      `<tr><td>${esc(l.label)}</td><td class="num">${esc(formatMetric(metricValue(d.metrics, l.key), kind))}</td>${bm ? `<td class="num bench">${esc(b)}</td>` : ''}</tr>`,
    )
    groups.set(group, rows)
  }
  const head = bm ? `<tr><th></th><th>Strategy</th><th>${esc(d.benchmarkName)}</th></tr>` : ''
  return `<div class="metric-groups">${[...groups]
    .map(
      ([g, rows]) =>
        `<div class="metric-group"><h3>${esc(g)}</h3><table class="metrics">${head}${rows.join('')}</table></div>`,
    )
    .join('')}</div>`
}

function instrumentTable(d: TearsheetData): string {
  if (d.instruments.length === 0) return '<p class="note">No trades.</p>'
  const rows = d.instruments
    .map(
      (r) =>
        `<tr><td>${esc(r.instrumentId)}</td><td class="num">${r.trades}</td><td class="num">${r.long} / ${r.short}</td><td class="num">${pct2(r.hitRate)}</td><td class="num${signClass(r.pnl)}">${r.pnl.toFixed(2)}</td><td class="num">${r.fees.toFixed(2)}</td><td class="num${signClass(r.averageReturn)}">${pct2(r.averageReturn)}</td><td class="num">${num(r.notional)}</td></tr>`,
    )
    .join('')
  return `<table class="list"><thead><tr><th>Instrument</th><th>Trades</th><th>Long / short</th><th>Hit rate</th><th>Net P&amp;L</th><th>Fees</th><th>Avg return</th><th>Traded notional</th></tr></thead><tbody>${rows}</tbody></table>`
}

/** The data warnings, one WARN row each, before everything else: they change what the numbers mean. */
function warningsSection(d: TearsheetData): string {
  if (d.warnings.length === 0) return ''
  const rows = d.warnings
    .map(
      (w) =>
        `<tr><td class="warn">WARN</td><td>${esc(w.code)}</td><td>${esc(w.instrument)}</td><td>${esc(w.date)}</td><td>${esc(w.ratio ? `≈ ${w.ratio}` : '')}</td><td>${esc(w.message)}${w.fix ? `<br><span class="note">${esc(w.fix)}</span>` : ''}</td></tr>`,
    )
    .join('')
  return `<section id="data-warnings"><h2>Data warnings</h2><table class="list warnings"><thead><tr><th></th><th>code</th><th>instrument</th><th>date</th><th>ratio</th><th>what and how to fix</th></tr></thead><tbody>${rows}</tbody></table><p class="note">The results below are computed over this data as it is.</p></section>`
}

function settingsTable(d: TearsheetData): string {
  if (d.settings.length === 0) return '<p class="note">The caller gave no settings.</p>'
  return `<table class="list settings"><tbody>${d.settings
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v === null ? '—' : String(v))}</td></tr>`)
    .join('')}</tbody></table>`
}

function tradeTable(d: TearsheetData, maxRows: number): string {
  const n = d.trades.length
  if (n === 0) return '<p class="note">No round-trip trades.</p>'
  const shown = d.trades.slice(0, maxRows)
  const rows = shown
    .map(
      (t, i) =>
        `<tr><td class="num">${i + 1}</td><td>${esc(t.instrumentId)}</td><td>${t.side}</td><td>${esc(t.entryLabel)}</td><td>${esc(t.exitLabel)}${t.open ? ' (open)' : ''}</td><td class="num">${num(t.quantity)}</td><td class="num">${t.entryPrice.toFixed(4)}</td><td class="num">${t.exitPrice.toFixed(4)}</td><td class="num">${t.fees.toFixed(2)}</td><td class="num ${t.pnl < 0 ? 'neg' : 'pos'}">${t.pnl.toFixed(2)}</td><td class="num ${t.returnPct < 0 ? 'neg' : 'pos'}">${(t.returnPct * 100).toFixed(2)}%</td></tr>`,
    )
    .join('')
  const more =
    n > shown.length
      ? `<p class="note">Showing the first ${shown.length} of ${n} trades; the JSON form lists all of them.</p>`
      : ''
  const zone = d.clock.daily ? '' : ` (${esc(d.clock.timeZone)})`
  return `<div class="scroll"><table class="trades"><thead><tr><th>#</th><th>Instrument</th><th>Side</th><th>Entry${zone}</th><th>Exit${zone}</th><th>Qty</th><th>Entry</th><th>Exit</th><th>Fees</th><th>P&amp;L</th><th>Return</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`
}

function priceSections(d: TearsheetData): string {
  if (d.prices.length === 0) return '<p class="note">No price series was given.</p>'
  return d.prices
    .map(
      (p, k) =>
        `<h3>${esc(p.instrumentId)}</h3><div class="lw-legend" id="legend-price-${k}">${esc(p.instrumentId)}</div><div class="chart lw" id="chart-price-${k}"></div>${p.merge > 1 ? `<p class="note">${p.sourceBars.toLocaleString('en-US')} bars merged ${p.merge} to one for drawing.</p>` : ''}`,
    )
    .join('')
}

function ppyNote(d: TearsheetData): string {
  const e = d.periodsPerYearEstimate
  const est = `${e.periodsPerSession.toLocaleString('en-US', { maximumFractionDigits: 1 })} bar${e.periodsPerSession === 1 ? '' : 's'} a session × ${e.sessionsPerYear.toLocaleString('en-US', { maximumFractionDigits: 1 })} sessions a year${e.basis === 'calendar' ? ' (counted)' : e.basis === 'weekdays-252' ? ' (assumed: under a year of weekday data)' : ' (assumed: trades every day)'}`
  const ppy = d.periodsPerYear.toLocaleString('en-US', { maximumFractionDigits: 1 })
  return d.periodsPerYearGiven
    ? `${ppy} periods a year (given; the data show ${e.periodsPerYear.toLocaleString('en-US', { maximumFractionDigits: 1 })}: ${est})`
    : `${ppy} periods a year, from the data: ${est}`
}

const WEIGHT_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563']

/** The member weights of each meta-strategy: one line per member, and a table of dated samples. */
function memberWeightsSections(d: TearsheetData): string {
  return (d.memberWeights ?? [])
    .map((m) => {
      const svg = lineChart(
        m.members.map((name, k) => ({
          name,
          time: m.series[k]!.time,
          value: m.series[k]!.value.map((v) => v ?? NaN),
          color: WEIGHT_COLORS[k % WEIGHT_COLORS.length]!,
        })),
        { height: 220, yFormat: (v) => v.toFixed(2), zero: true, label: `member weights of ${m.strategy}` },
      )
      const head = m.members.map((name) => `<th>${esc(name)}</th>`).join('')
      const rows = m.rows
        .map(
          (r) =>
            `<tr><td>${esc(r.label)}</td>${r.weights.map((w) => `<td class="num">${w.toFixed(3)}</td>`).join('')}</tr>`,
        )
        .join('')
      return `<section id="member-weights-${esc(m.strategy)}"><h2>Member weights of ${esc(m.strategy)}</h2><div class="wchart">${svg}</div><table class="list"><thead><tr><th>time</th>${head}</tr></thead><tbody>${rows}</tbody></table><p class="note">Each weight as set after the close it is dated at, from the returns up to that close only.</p></section>`
    })
    .join('')
}

/** The transaction costs of the parent orders: one row per instrument and algorithm, then the total. */
function tcaSection(d: TearsheetData): string {
  if (!d.tca?.length) return ''
  const money = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '')
  const bps = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '')
  const rows = d.tca
    .map((r) => {
      const cells = [
        r.parents,
        r.filledParents,
        money(r.notional),
        money(r.implementationShortfall),
        money(r.execution),
        money(r.opportunity),
        money(r.fees),
        bps(r.bps),
        bps(r.slippageVsArrivalBps),
        bps(r.slippageVsVwapBps),
      ]
      const tag = r.instrumentId === 'all' ? 'th' : 'td'
      return `<tr><${tag}>${esc(r.instrumentId)}</${tag}><td>${esc(r.algo)}</td>${cells.map((c) => `<td class="num">${esc(String(c))}</td>`).join('')}</tr>`
    })
    .join('')
  const head = [
    'instrument',
    'algo',
    'parents',
    'filled',
    'notional',
    'shortfall',
    'execution',
    'opportunity',
    'fees',
    'bps',
    'vs arrival bps',
    'vs VWAP bps',
  ]
    .map((h) => `<th>${h}</th>`)
    .join('')
  return `<section id="tca"><h2>Transaction costs of the execution model</h2><table class="list"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table><p class="note">Implementation shortfall against each parent order's arrival price (execution, opportunity and fees; positive is a cost) over the parents that filled; bps of their arrival notional; slippage against arrival and the interval VWAP weighted by that notional.</p></section>`
}

const chart = (id: string) => `<div class="chart" id="chart-${id}"></div>`

const CSS = `
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--pos:#15803d;--neg:#b91c1c}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 20px 48px}
header h1{margin:0 0 4px;font-size:24px;letter-spacing:-.01em}header .sub{color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-top:18px;min-width:0}
section h2{margin:0 0 10px;font-size:15px;font-weight:600}section h3{font-size:13px;margin:10px 0 4px}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px}
@media (max-width:800px){.grid2{grid-template-columns:minmax(0,1fr)}}
.kpis{display:grid;grid-template-columns:repeat(8,1fr);gap:10px;margin-top:18px}
@media (max-width:900px){.kpis{grid-template-columns:repeat(4,1fr)}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.kpi-label{color:var(--muted);font-size:12px}.kpi-value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.pos{color:var(--pos)}.neg{color:var(--neg)}
.chart{width:100%;min-height:60px}.chart.lw{height:360px}.lw-legend{font-size:12px;color:#334155;min-height:18px;font-variant-numeric:tabular-nums}
.uplot .u-legend{font-size:12px}.uplot .u-legend .u-value{font-variant-numeric:tabular-nums}
.note{color:var(--muted);font-size:12px;margin:6px 0 0}.warn{color:#b45309;font-weight:600}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
.heatmap{width:100%;table-layout:fixed}.heatmap th{font-weight:500;color:var(--muted);font-size:12px;padding:4px}
.heatmap td{text-align:center;padding:6px 2px;font-size:12px;border:2px solid #fff;border-radius:4px;cursor:default}.heatmap td.hm-dark{color:#fff}
.heatmap td.hm-empty{background:#f1f5f9}
table.list{width:100%;font-size:13px}table.list th{text-align:left;color:var(--muted);font-weight:500;padding:4px 8px;border-bottom:1px solid var(--line)}
table.list td{padding:3px 8px;border-bottom:1px solid #f1f5f9}table.list tr.sep th{padding-top:12px;color:var(--fg)}
.metric-groups{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:8px 24px}
.metric-group h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:10px 0 4px}
table.metrics{width:100%}table.metrics td{padding:3px 0;border-bottom:1px solid #f1f5f9}table.metrics th{font-weight:500;color:var(--muted);font-size:12px;text-align:right}
td.num{text-align:right}td.bench{color:var(--muted);padding-left:12px}
.scroll{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:8px}
table.trades{width:100%;font-size:12.5px}table.trades th{position:sticky;top:0;background:#f1f5f9;text-align:left;padding:6px 8px;font-weight:600}
table.trades td{padding:4px 8px;border-top:1px solid #f1f5f9;white-space:nowrap}
.wchart svg{width:100%;height:auto}.wchart .grid{stroke:#e2e8f0}.wchart .zero{stroke:#94a3b8}.wchart .frame{fill:none;stroke:#cbd5e1}
.wchart .tick,.wchart .legend{font-size:11px;fill:#475569}.wchart .empty{fill:var(--muted)}
footer{color:var(--muted);font-size:12px;margin-top:22px}
`

/** Renders the tearsheet of a backtest result as one self-contained HTML document. */
export function renderTearsheet(input: TearsheetInput, options: TearsheetOptions = {}): string {
  return renderTearsheetData(tearsheetJson(input, options), options.maxTradeRows ?? 500)
}

/** Renders already-built tearsheet data (see {@link tearsheetJson}) as HTML. */
export function renderTearsheetData(d: TearsheetData, maxTradeRows = 500): string {
  const v = vendorAssets()
  const s = d.series
  const window = `${d.rollingWindow.toLocaleString('en-US')} periods${approxDuration(d.rollingWindow / d.periodsPerYear)}`
  const thinned = [s.equity, s.benchmark].find((x) => x && x.sourcePoints > x.time.length)
  const thinNote = thinned
    ? `<p class="note">Drawn from ${thinned.sourcePoints.toLocaleString('en-US')} points, thinned to each bucket's low and high.</p>`
    : ''
  const hint = '<p class="note">Hover for values; drag across a chart to zoom, double-click to reset.</p>'
  const b = s.benchmark !== undefined
  // the data travel as JSON inside a script element: `<` is escaped so no text can close it
  const json = JSON.stringify(d, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)).replace(
    /</g,
    '\\u003c',
  )
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)} · Kestrel tearsheet</title>
<style>${v.uplotCss}</style>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(d.title)}</h1><div class="sub">${esc(d.start)} → ${esc(d.end)}${d.clock.daily || d.clock.timeZone === 'UTC' ? '' : ` (${esc(d.clock.timeZone)})`} · ${d.metrics.periods.toLocaleString('en-US')} returns · ${esc(ppyNote(d))}</div></header>
${warningsSection(d)}${kpis(d)}
<section id="equity"><h2>Equity${b ? ` against ${esc(d.benchmarkName)}` : ''}</h2>${chart('equity')}${thinNote}${hint}</section>
<section id="equity-log"><h2>Equity, log scale</h2>${chart('equity-log')}<p class="note">Equal heights are equal percentage moves.</p></section>
<section id="underwater"><h2>Underwater (drawdown from peak)</h2>${chart('underwater')}</section>
<section id="worst-drawdowns"><h2>Worst drawdowns</h2>${drawdownTable(d)}</section>
<section id="monthly-returns"><h2>Monthly returns</h2>${monthlyHeatmap(d)}</section>
<div class="grid2">
<section id="yearly-returns"><h2>Yearly returns${b ? ` against ${esc(d.benchmarkName)}` : ''}</h2>${chart('yearly-returns')}${yearlyTable(d)}</section>
<section id="benchmark"><h2>Strategy and ${esc(d.benchmarkName)}</h2>${comparison(d)}</section>
</div>
<div class="grid2" id="rolling">
<section id="rolling-sharpe"><h2>Rolling Sharpe (${esc(window)})</h2>${chart('rolling-sharpe')}</section>
<section id="rolling-volatility"><h2>Rolling volatility (${esc(window)}, annualised)</h2>${chart('rolling-volatility')}</section>
</div>
${s.rollingBeta ? `<section id="rolling-beta"><h2>Rolling beta to ${esc(d.benchmarkName)} (${esc(window)})</h2>${chart('rolling-beta')}</section>` : ''}
<section id="exposure"><h2>Exposure</h2>${s.exposure ? chart('exposure') : '<p class="note">No exposure curve was given.</p>'}</section>
${memberWeightsSections(d)}
${tcaSection(d)}
<div class="grid2">
<section id="return-distribution"><h2>Distribution of period returns</h2>${chart('return-distribution')}<p class="note">${d.metrics.periods.toLocaleString('en-US')} returns; skew ${esc(formatMetric(d.metrics.skew, 'ratio'))}, excess kurtosis ${esc(formatMetric(d.metrics.kurtosis, 'ratio'))}.</p></section>
<section id="trade-distribution"><h2>Trade P&amp;L distribution</h2>${d.tradeHistogram.counts.length ? chart('trade-distribution') : ''}<p class="note">Net return per round trip; ${d.trades.length} trades.</p></section>
</div>
<section id="prices"><h2>Trades on prices</h2>${priceSections(d)}<p class="note">Arrows mark entries and exits (up: buy, down: sell), numbered as in the trade list. Scroll to zoom, drag to pan.</p></section>
${parentTcaSection(d)}
<section id="instruments"><h2>Per instrument</h2>${instrumentTable(d)}</section>
<section id="metrics"><h2>Metrics</h2>${metricsTables(d)}<p class="note">empyrical conventions: simple returns, annualised by periods per year, std with ddof 1; skew and excess kurtosis are scipy's biased estimators; VaR and CVaR are per-period returns at the left tail. CAGR and drawdown days use calendar time.</p></section>
<section id="settings"><h2>Run settings</h2>${settingsTable(d)}</section>
<section id="trades"><h2>Trades</h2>${tradeTable(d, maxTradeRows)}</section>
<footer>Kestrel tearsheet. Self-contained: no network requests. Charts by uPlot ${esc(v.versions.uplot)} (MIT) and TradingView Lightweight Charts ${esc(v.versions.lightweightCharts)} (Apache-2.0), inlined.</footer>
</main>
<script type="application/json" id="kestrel-data">${json}</script>
<script>${inlineScript(v.uplotJs)}</script>
<script>${inlineScript(v.lightweightChartsJs)}</script>
<script>${inlineScript(CLIENT_JS)}</script>
</body>
</html>
`
}
