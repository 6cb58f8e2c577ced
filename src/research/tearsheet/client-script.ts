/**
 * The script inlined in the tearsheet: it draws every chart from the report's embedded JSON with uPlot (series:
 * hover legend with values, drag to zoom, double-click to reset) and TradingView Lightweight Charts (prices with
 * the trades as markers: wheel and drag to zoom and pan, crosshair legend). Plain ES2017 in a string, no template
 * literals inside, so it needs no build step. It registers the charts on `window.kestrel` for tests.
 */
export const CLIENT_JS = String.raw`(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('kestrel-data').textContent);
  var K = (window.kestrel = { data: D, charts: {}, priceCharts: {}, errors: [] });
  var tz = D.clock.daily ? 'Etc/UTC' : D.clock.timeZone === 'UTC' ? 'Etc/UTC' : D.clock.timeZone;
  var C = { strategy: '#2563eb', benchmark: '#94a3b8', drawdown: '#dc2626', sharpe: '#7c3aed', vol: '#ea580c',
    exposure: '#0d9488', beta: '#0891b2', win: '#16a34a', loss: '#dc2626' };
  function pct(d) { return function (v) { return v == null || !isFinite(v) ? '–' : (v * 100).toFixed(d) + '%'; }; }
  function fix(d) { return function (v) { return v == null || !isFinite(v) ? '–' : v.toFixed(d); }; }
  // percent ticks with as many decimals as their spacing needs
  function pctTicks(u, vals) {
    var step = vals.length > 1 ? Math.abs(vals[1] - vals[0]) * 100 : 1;
    var d = step > 0 ? Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9) + (Math.abs(step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9)) - Math.round(step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9)))) > 1e-6 ? 1 : 0))) : 0;
    return vals.map(function (v) { return v == null ? '' : (v * 100).toFixed(d) + '%'; });
  }
  // log-axis ticks at 1, 2, 5 × 10^k (every integer multiple when that gives too few), else even steps
  function logSplits(u, ax, lo, hi) {
    function pick(ms) {
      var out = [];
      for (var k = Math.floor(Math.log10(lo)); Math.pow(10, k) <= hi; k++)
        ms.forEach(function (m) { var v = m * Math.pow(10, k); if (v >= lo && v <= hi) out.push(v); });
      return out;
    }
    var out = pick([1, 2, 5]);
    if (out.length < 3) out = pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    if (out.length >= 3) return out;
    var raw = (hi - lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * p; }).filter(function (x) { return x >= raw; })[0];
    out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
    return out;
  }
  function money(v) { return v == null || !isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }); }
  var dateFmt = new Intl.DateTimeFormat('en-CA', D.clock.daily
    ? { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }
    : { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  function fmtTime(sec) { return dateFmt.format(new Date(sec * 1000)).replace(',', ''); }
  function width(el) { return Math.max(280, el.clientWidth || 900); }

  // time-series chart: several lines on one time axis (joined on their time stamps)
  function lines(id, defs, o) {
    var el = document.getElementById('chart-' + id);
    if (!el) return;
    var tables = defs.map(function (s) {
      return [s.data.time.map(function (t) { return t / 1000; }), s.data.value.map(function (v) { return v == null ? null : s.map ? s.map(v) : v; })];
    });
    var data = tables.length === 1 ? tables[0] : uPlot.join(tables);
    var series = [{ label: D.clock.daily ? 'Day' : 'Time', value: function (u, v) { return v == null ? '–' : fmtTime(v); } }];
    defs.forEach(function (s) {
      series.push({ label: s.label, stroke: s.color, width: 1.5, spanGaps: true, dash: s.dash,
        fill: s.area ? s.color + '2e' : undefined, value: function (u, v) { return o.fmt(v); } });
    });
    var u = new uPlot({
      width: width(el), height: o.height || 260, series: series,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), tz); },
      scales: { y: o.log ? { distr: 3, range: function (u, lo, hi) { return [lo / 1.02, hi * 1.02]; } } : {} },
      axes: [{}, { size: 64, splits: o.log ? logSplits : undefined, values: o.pctTicks ? pctTicks : function (u, vals) { return vals.map(o.fmt); } }],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
    }, data, el);
    K.charts[id] = u;
  }

  // bar chart over numbers (histograms, years)
  function bars(id, x, defs, o) {
    var el = document.getElementById('chart-' + id);
    if (!el) return;
    var series = [{ label: o.xLabel, value: function (u, v) { return v == null ? '–' : o.xFmt(v); } }];
    var n = defs.length;
    defs.forEach(function (s, i) {
      series.push({ label: s.label, stroke: s.color, fill: s.color + 'b3', width: 0,
        paths: uPlot.paths.bars({ size: [n > 1 ? 0.42 : 0.9, 80], align: n > 1 ? (i === 0 ? -1 : 1) : 0 }),
        points: { show: false }, value: function (u, v) { return v == null ? '–' : o.yFmt(v); } });
    });
    var pad = x.length > 1 ? (x[1] - x[0]) / 2 : 0.5;
    var xLo = x[0] - pad;
    var xHi = x[x.length - 1] + pad;
    var u = new uPlot({
      width: width(el), height: o.height || 240, series: series,
      scales: { x: { time: false, range: function () { return [xLo, xHi]; } } },
      axes: [{ values: function (u, vals) { return vals.map(o.xTick || o.xFmt); } }, { size: 56, values: o.pctTicks ? pctTicks : function (u, vals) { return vals.map(o.yFmt); } }],
      cursor: { drag: { x: true, y: false } },
    }, [x].concat(defs.map(function (s) { return s.y; })), el);
    K.charts[id] = u;
  }

  var S = D.series;
  var eq = [{ label: 'Strategy', data: S.equity, color: C.strategy }];
  if (S.benchmark) eq.push({ label: D.benchmarkName + ' (rebased)', data: S.benchmark, color: C.benchmark });
  lines('equity', eq, { fmt: money, height: 300 });
  lines('equity-log', eq, { fmt: money, log: true, height: 260 });
  var dd = [{ label: 'Strategy', data: S.drawdown, color: C.drawdown, area: true }];
  if (S.benchmarkDrawdown) dd.push({ label: D.benchmarkName, data: S.benchmarkDrawdown, color: C.benchmark });
  lines('underwater', dd, { fmt: pct(2), pctTicks: true, height: 200 });
  lines('rolling-sharpe', [{ label: 'Rolling Sharpe', data: S.rollingSharpe, color: C.sharpe }], { fmt: fix(2), height: 220 });
  lines('rolling-volatility', [{ label: 'Rolling volatility', data: S.rollingVolatility, color: C.vol }], { fmt: pct(2), pctTicks: true, height: 220 });
  if (S.rollingBeta) lines('rolling-beta', [{ label: 'Rolling beta', data: S.rollingBeta, color: C.beta }], { fmt: fix(2), height: 220 });
  if (S.exposure) lines('exposure', [{ label: 'Exposure', data: S.exposure, color: C.exposure, area: true }], { fmt: pct(1), pctTicks: true, height: 180 });

  function mids(h) { return h.counts.map(function (_, i) { return (h.edges[i] + h.edges[i + 1]) / 2; }); }
  var rh = D.returnHistogram;
  if (rh.counts.length) {
    var rd = [{ label: 'Strategy', y: rh.counts, color: C.strategy }];
    if (rh.benchmarkCounts) rd.push({ label: D.benchmarkName, y: rh.benchmarkCounts, color: C.benchmark });
    bars('return-distribution', mids(rh), rd, { xLabel: 'Return', xFmt: pct(2), yFmt: String });
  }
  var th = D.tradeHistogram;
  if (th.counts.length) bars('trade-distribution', mids(th), [{ label: 'Trades', y: th.counts, color: C.win }], { xLabel: 'Trade return', xFmt: pct(2), yFmt: String });
  var yr = D.yearlyReturns;
  if (yr.length) {
    var yd = [{ label: 'Strategy', y: yr.map(function (y) { return y.value; }), color: C.strategy }];
    if (D.benchmarkMetrics) yd.push({ label: D.benchmarkName, y: yr.map(function (y) { return y.benchmark; }), color: C.benchmark });
    bars('yearly-returns', yr.map(function (y) { return y.year; }), yd, { xLabel: 'Year', xFmt: String, xTick: function (v) { return Number.isInteger(v) ? String(v) : ''; }, yFmt: pct(2), pctTicks: true });
  }

  // prices with the trades
  var LW = window.LightweightCharts;
  D.prices.forEach(function (p, k) {
    var el = document.getElementById('chart-price-' + k);
    if (!el || !LW) return;
    var chart = LW.createChart(el, {
      width: width(el), height: 360,
      layout: { background: { color: '#ffffff' }, textColor: '#334155' },
      grid: { vertLines: { color: '#f1f5f9' }, horzLines: { color: '#f1f5f9' } },
      timeScale: { timeVisible: !D.clock.daily, secondsVisible: false },
      localization: { timeFormatter: fmtTime },
    });
    var s = chart.addSeries(LW.CandlestickSeries, { upColor: '#16a34a', downColor: '#dc2626', borderVisible: false, wickUpColor: '#16a34a', wickDownColor: '#dc2626' });
    s.setData(p.time.map(function (t, i) { return { time: t / 1000, open: p.open[i], high: p.high[i], low: p.low[i], close: p.close[i] }; }));
    var buy = function (m) { return (m.kind === 'entry') === (m.side === 'LONG'); };
    LW.createSeriesMarkers(s, p.markers.map(function (m) {
      return { time: m.time / 1000, position: buy(m) ? 'belowBar' : 'aboveBar', color: buy(m) ? '#16a34a' : '#dc2626',
        shape: buy(m) ? 'arrowUp' : 'arrowDown', text: (m.kind === 'entry' ? 'in ' : 'out ') + '#' + (m.trade + 1) };
    }));
    var legend = document.getElementById('legend-price-' + k);
    chart.subscribeCrosshairMove(function (param) {
      var b = param.time !== undefined && param.seriesData.get(s);
      legend.textContent = b ? fmtTime(param.time) + '  O ' + b.open + '  H ' + b.high + '  L ' + b.low + '  C ' + b.close : p.instrumentId;
    });
    chart.timeScale().fitContent();
    K.priceCharts[p.instrumentId] = { chart: chart, series: s };
  });

  window.addEventListener('resize', function () {
    Object.keys(K.charts).forEach(function (id) {
      var u = K.charts[id];
      u.setSize({ width: width(u.root.parentNode), height: u.height });
    });
  });
  K.ready = true;
})();`
