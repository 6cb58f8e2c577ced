/**
 * `renderTearsheet(input)`: one self-contained HTML report of a backtest. Inline CSS and inline SVG only: no
 * script, no external font, image, stylesheet or link, so it opens offline and prints well. Deterministic.
 */
import { formatMetric, METRIC_LABELS, metricValue } from '../metrics/metric-labels.ts'
import type { PerformanceInput } from '../types.ts'
import { decimalsFor, esc, histogramChart, lineChart } from './svg.ts'
import { tearsheetJson, type SeriesJson, type TearsheetData, type TearsheetOptions } from './tearsheet-json.ts'

const C = {
  strategy: '#2563eb',
  benchmark: '#94a3b8',
  drawdown: '#dc2626',
  sharpe: '#7c3aed',
  vol: '#ea580c',
  exposure: '#0d9488',
  win: '#16a34a',
  loss: '#dc2626',
}

/** Percent with as many decimals as the tick step needs (a fixed count when no step is given). */
const pct =
  (d = 1) =>
  (v: number, step?: number) => {
    const s = (v * 100).toFixed(step === undefined ? d : decimalsFor(step * 100))
    return `${/^-0\.?0*$/.test(s) ? s.slice(1) : s}%`
  }
const num = (v: number) =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toFixed(2)}M`
    : Math.abs(v) >= 1e4
      ? `${(v / 1e3).toFixed(0)}k`
      : v.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** ` ≈ 21 d`-style length of a span of `years`. */
function approxDuration(years: number): string {
  const days = years * 365.25
  if (days >= 60) return ` ≈ ${(days / 30.44).toFixed(0)} mo`
  if (days >= 2) return ` ≈ ${days.toFixed(0)} d`
  return ` ≈ ${(days * 24).toFixed(1)} h`
}

/** `2024-01-02` for a midnight time stamp, else `2024-01-02 14:30:00 UTC`. */
function shortIso(iso: string): string {
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : `${iso.slice(0, 19).replace('T', ' ')} UTC`
}

function arrays(s: SeriesJson): { time: number[]; value: number[] } {
  return { time: s.time, value: s.value.map((v) => (v === null ? NaN : v)) }
}

function downsampledNote(...series: (SeriesJson | undefined)[]): string {
  const s = series.find((x) => x && x.sourcePoints > x.time.length)
  return s
    ? `<p class="note">Drawn from ${s.sourcePoints.toLocaleString('en-US')} points, thinned to each bucket's low and high.</p>`
    : ''
}

function kpis(d: TearsheetData): string {
  const m = d.metrics
  const tiles: [string, string, number][] = [
    ['Total return', formatMetric(m.totalReturn, 'pct'), m.totalReturn],
    ['CAGR', formatMetric(m.annualReturn, 'pct'), m.annualReturn],
    ['Sharpe', formatMetric(m.sharpeRatio, 'ratio'), m.sharpeRatio],
    ['Sortino', formatMetric(m.sortinoRatio, 'ratio'), m.sortinoRatio],
    ['Max drawdown', formatMetric(m.maxDrawdown, 'pct'), m.maxDrawdown],
    ['Volatility', formatMetric(m.annualVolatility, 'pct'), 0],
    [m.trades.basis === 'trades' ? 'Trades' : 'Periods', formatMetric(m.trades.count, 'count'), 0],
    ['Hit rate', formatMetric(m.trades.hitRate, 'pct'), 0],
  ]
  return `<div class="kpis">${tiles
    .map(
      ([k, v, sign]) =>
        `<div class="kpi"><div class="kpi-label">${esc(k)}</div><div class="kpi-value${sign < 0 ? ' neg' : sign > 0 ? ' pos' : ''}">${esc(v)}</div></div>`,
    )
    .join('')}</div>`
}

function heatColor(v: number, scale: number): string {
  const a = Math.min(1, Math.abs(v) / scale)
  const alpha = (0.1 + 0.75 * a).toFixed(3)
  return v >= 0 ? `rgba(22,163,74,${alpha})` : `rgba(220,38,38,${alpha})`
}

function monthlyHeatmap(d: TearsheetData): string {
  if (d.monthlyReturns.length === 0) return '<p class="note">No complete month.</p>'
  const years = [...new Set(d.monthlyReturns.map((m) => m.year))].sort((a, b) => a - b)
  const byKey = new Map(d.monthlyReturns.map((m) => [`${m.year}-${m.month}`, m.value]))
  const yearly = new Map(d.yearlyReturns.map((y) => [y.year, y.value]))
  const scale = Math.max(1e-12, ...d.monthlyReturns.map((m) => Math.abs(m.value)))
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const cell = (v: number | undefined, strong = false) => {
    if (v === undefined) return '<td class="hm-empty"></td>'
    const text = (v * 100).toFixed(1).replace(/^-0\.0$/, '0.0')
    const bg = text === '0.0' ? '#f8fafc' : heatColor(v, scale)
    const dark = Math.abs(v) / scale > 0.6 ? ' class="hm-dark"' : ''
    return `<td style="background:${bg}"${dark}>${strong ? `<b>${text}</b>` : text}</td>`
  }
  const rows = years
    .map(
      (y) =>
        `<tr><th>${y}</th>${months.map((_, i) => cell(byKey.get(`${y}-${i + 1}`))).join('')}${cell(yearly.get(y), true)}</tr>`,
    )
    .join('')
  return `<table class="heatmap"><thead><tr><th></th>${months.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead><tbody>${rows}</tbody></table><p class="note">Compounded return per UTC calendar month, in percent.</p>`
}

function metricsTables(d: TearsheetData): string {
  const groups = new Map<string, string[]>()
  const periods = d.metrics.trades.basis === 'periods'
  for (const l of METRIC_LABELS) {
    const group = periods && l.group === 'Trades' ? 'Outcomes (per period)' : l.group
    const kind = periods && /^trades\.(expectancy|average)/.test(l.key) ? 'pct' : l.kind
    const rows = groups.get(group) ?? []
    rows.push(
      `<tr><td>${esc(l.label)}</td><td class="num">${esc(formatMetric(metricValue(d.metrics, l.key), kind))}</td></tr>`,
    )
    groups.set(group, rows)
  }
  return `<div class="metric-groups">${[...groups]
    .map(
      ([g, rows]) =>
        `<div class="metric-group"><h3>${esc(g)}</h3><table class="metrics">${rows.join('')}</table></div>`,
    )
    .join('')}</div>`
}

function tradeTable(d: TearsheetData, maxRows: number): string {
  const n = d.trades.length
  if (n === 0) return '<p class="note">No round-trip trades.</p>'
  const shown = d.trades.slice(0, maxRows)
  const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19)
  const rows = shown
    .map(
      (t, i) =>
        `<tr><td class="num">${i + 1}</td><td>${esc(t.instrumentId)}</td><td>${t.side}</td><td>${iso(t.entryTime)}</td><td>${iso(t.exitTime)}</td><td class="num">${num(t.quantity)}</td><td class="num">${t.entryPrice.toFixed(4)}</td><td class="num">${t.exitPrice.toFixed(4)}</td><td class="num">${t.fees.toFixed(2)}</td><td class="num ${t.pnl < 0 ? 'neg' : 'pos'}">${t.pnl.toFixed(2)}</td><td class="num ${t.returnPct < 0 ? 'neg' : 'pos'}">${(t.returnPct * 100).toFixed(2)}%</td></tr>`,
    )
    .join('')
  const more =
    n > shown.length
      ? `<p class="note">Showing the first ${shown.length} of ${n} trades; the JSON form lists all of them.</p>`
      : ''
  return `<div class="scroll"><table class="trades"><thead><tr><th>#</th><th>Instrument</th><th>Side</th><th>Entry (UTC)</th><th>Exit (UTC)</th><th>Qty</th><th>Entry</th><th>Exit</th><th>Fees</th><th>P&amp;L</th><th>Return</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`
}

const CSS = `
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--pos:#15803d;--neg:#b91c1c}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:28px 20px 48px}
header h1{margin:0 0 4px;font-size:24px;letter-spacing:-.01em}header .sub{color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-top:18px}
section h2{margin:0 0 10px;font-size:15px;font-weight:600}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}.grid2 section{margin-top:18px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
.kpis{display:grid;grid-template-columns:repeat(8,1fr);gap:10px;margin-top:18px}
@media (max-width:900px){.kpis{grid-template-columns:repeat(4,1fr)}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.kpi-label{color:var(--muted);font-size:12px}.kpi-value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.pos{color:var(--pos)}.neg{color:var(--neg)}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eef2f7;stroke-width:1}svg .zero{stroke:#94a3b8;stroke-width:1}
svg .frame{fill:none;stroke:var(--line)}svg .tick,svg .legend,svg .empty{fill:#64748b;font:11px system-ui,sans-serif}
svg .legend{fill:#334155}
.note{color:var(--muted);font-size:12px;margin:6px 0 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
.heatmap{width:100%;table-layout:fixed}.heatmap th{font-weight:500;color:var(--muted);font-size:12px;padding:4px}
.heatmap td{text-align:center;padding:6px 2px;font-size:12px;border:2px solid #fff;border-radius:4px}.heatmap td.hm-dark{color:#fff}
.heatmap td.hm-empty{background:#f1f5f9}
.metric-groups{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:8px 24px}
.metric-group h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:10px 0 4px}
table.metrics{width:100%}table.metrics td{padding:3px 0;border-bottom:1px solid #f1f5f9}
td.num{text-align:right}
.scroll{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:8px}
table.trades{width:100%;font-size:12.5px}table.trades th{position:sticky;top:0;background:#f1f5f9;text-align:left;padding:6px 8px;font-weight:600}
table.trades td{padding:4px 8px;border-top:1px solid #f1f5f9;white-space:nowrap}
footer{color:var(--muted);font-size:12px;margin-top:22px}
`

/** Renders the tearsheet of a backtest result as one self-contained HTML document. */
export function renderTearsheet(input: PerformanceInput, options: TearsheetOptions = {}): string {
  return renderTearsheetData(tearsheetJson(input, options), options.maxTradeRows ?? 500)
}

/** Renders already-built tearsheet data (see {@link tearsheetJson}) as HTML. */
export function renderTearsheetData(d: TearsheetData, maxTradeRows = 500): string {
  const s = d.series
  const eq = arrays(s.equity)
  const lines = [{ name: 'Strategy', ...eq, color: C.strategy }]
  if (s.benchmark) lines.push({ name: 'Benchmark (rebased)', ...arrays(s.benchmark), color: C.benchmark })
  const equityChart = lineChart(s.benchmark ? [lines[1]!, lines[0]!] : lines, {
    yFormat: num,
    label: 'Equity curve against the benchmark',
    height: 300,
  })
  const underwater = lineChart([{ name: 'Drawdown', ...arrays(s.drawdown), color: C.drawdown, area: true }], {
    yFormat: pct(0),
    zero: true,
    label: 'Underwater curve (drawdown from the running peak)',
    height: 200,
  })
  const rs = lineChart([{ name: 'Rolling Sharpe', ...arrays(s.rollingSharpe), color: C.sharpe }], {
    yFormat: (v, step) => v.toFixed(decimalsFor(step)),
    label: 'Rolling Sharpe ratio',
    height: 220,
    width: 520,
  })
  const rv = lineChart([{ name: 'Rolling volatility', ...arrays(s.rollingVolatility), color: C.vol }], {
    yFormat: pct(0),
    label: 'Rolling annualised volatility',
    height: 220,
    width: 520,
  })
  const exposure = s.exposure
    ? lineChart([{ name: 'Exposure', ...arrays(s.exposure), color: C.exposure, area: true }], {
        yFormat: pct(0),
        zero: true,
        label: 'Gross exposure as a fraction of equity',
        height: 180,
      })
    : '<p class="note">No exposure curve was given.</p>'
  const hist = histogramChart(d.tradeHistogram, {
    xFormat: pct(1),
    label: 'Distribution of trade returns',
    posColor: C.win,
    negColor: C.loss,
  })
  const window = `${d.rollingWindow.toLocaleString('en-US')} periods${approxDuration(d.rollingWindow / d.periodsPerYear)}`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)} · Kestrel tearsheet</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(d.title)}</h1><div class="sub">${esc(shortIso(d.start))} → ${esc(shortIso(d.end))} · ${d.metrics.periods.toLocaleString('en-US')} returns · ${d.periodsPerYear.toLocaleString('en-US')} periods a year</div></header>
${kpis(d)}
<section id="equity"><h2>Equity${s.benchmark ? ' against the benchmark' : ''}</h2>${equityChart}${downsampledNote(s.equity, s.benchmark)}</section>
<section id="underwater"><h2>Underwater (drawdown from peak)</h2>${underwater}</section>
<section id="monthly-returns"><h2>Monthly returns</h2>${monthlyHeatmap(d)}</section>
<div class="grid2" id="rolling">
<section id="rolling-sharpe"><h2>Rolling Sharpe (${esc(window)})</h2>${rs}</section>
<section id="rolling-volatility"><h2>Rolling volatility (${esc(window)}, annualised)</h2>${rv}</section>
</div>
<section id="exposure"><h2>Exposure</h2>${exposure}</section>
<section id="trade-distribution"><h2>Trade P&amp;L distribution</h2>${hist}<p class="note">Net return per round trip; ${d.trades.length} trades.</p></section>
<section id="metrics"><h2>Metrics</h2>${metricsTables(d)}<p class="note">empyrical conventions: simple returns, annualised by periods per year, std with ddof 1; skew and excess kurtosis are scipy's biased estimators; VaR and CVaR are per-period returns at the left tail.</p></section>
<section id="trades"><h2>Trades</h2>${tradeTable(d, maxTradeRows)}</section>
<footer>Kestrel tearsheet. Self-contained: no scripts, fonts or network requests.</footer>
</main>
</body>
</html>
`
}
