/**
 * Tiny, dependency-free SVG charts for the tearsheet: time-series lines and areas with nice axes, and bar
 * histograms. Output is deterministic (fixed decimals, no random ids) and needs no script, font or network.
 */
import type { Histogram } from './series.ts'

/** Escapes text for HTML and SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** One line (or area) of a time-series chart. */
export interface LineSeries {
  readonly name: string
  readonly time: ArrayLike<number>
  readonly value: ArrayLike<number>
  readonly color: string
  /** Fill between the line and zero. */
  readonly area?: boolean
  readonly dashed?: boolean
}

/** Size and axis formatting of a chart. */
export interface ChartOptions {
  readonly width?: number
  readonly height?: number
  /** Formats a y tick; `step` is the spacing between ticks (to choose decimals). */
  readonly yFormat: (v: number, step: number) => string
  /** Always include 0 in the y range and draw it. */
  readonly zero?: boolean
  /** Accessible description. */
  readonly label: string
}

const M = { left: 64, right: 18, top: 14, bottom: 30 }
const f1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1)

/** Decimals needed to tell apart ticks `step` apart (0 for steps ≥ 1). */
export function decimalsFor(step: number): number {
  if (!(step > 0)) return 0
  const d = -Math.floor(Math.log10(step) + 1e-9)
  // a step like 2.5 × 10^k needs one more digit
  const needsExtra = Math.abs(step / Math.pow(10, -d) - Math.round(step / Math.pow(10, -d))) > 1e-6
  return Math.max(0, d + (needsExtra ? 1 : 0))
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const p = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p
  const out: number[] = []
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v)
  return out
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const UNITS: [number, 'ms' | 'month'][] = [
  [MINUTE, 'ms'],
  [5 * MINUTE, 'ms'],
  [15 * MINUTE, 'ms'],
  [30 * MINUTE, 'ms'],
  [HOUR, 'ms'],
  [3 * HOUR, 'ms'],
  [6 * HOUR, 'ms'],
  [12 * HOUR, 'ms'],
  [DAY, 'ms'],
  [2 * DAY, 'ms'],
  [7 * DAY, 'ms'],
  [14 * DAY, 'ms'],
  [1, 'month'],
  [3, 'month'],
  [6, 'month'],
  [12, 'month'],
  [24, 'month'],
  [60, 'month'],
  [120, 'month'],
]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Calendar-aligned UTC time ticks (at most ~7) over [t0, t1], with labels suited to the span. */
export function timeTicks(t0: number, t1: number): { t: number; label: string }[] {
  const span = t1 - t0
  if (!(span > 0)) return [{ t: t0, label: new Date(t0).toISOString().slice(0, 10) }]
  const approx = (u: [number, 'ms' | 'month']) => (u[1] === 'ms' ? u[0] : u[0] * 30.44 * DAY)
  const unit = UNITS.find((u) => span / approx(u) <= 7) ?? UNITS[UNITS.length - 1]!
  const out: { t: number; label: string }[] = []
  const iso = (t: number) => new Date(t).toISOString()
  if (unit[1] === 'ms') {
    const step = unit[0]
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      const s = iso(t)
      const label =
        step < DAY ? (span > DAY ? `${s.slice(5, 10)} ${s.slice(11, 16)}` : s.slice(11, 16)) : s.slice(0, 10)
      out.push({ t, label })
    }
  } else {
    const k = unit[0]
    const d0 = new Date(t0)
    let y = d0.getUTCFullYear()
    let m = d0.getUTCMonth()
    // first boundary at or after t0 that is a multiple of k months from January
    m = Math.ceil((m + (Date.UTC(y, m, 1) < t0 ? 1 : 0)) / k) * k
    for (;;) {
      y += Math.floor(m / 12)
      m %= 12
      const t = Date.UTC(y, m, 1)
      if (t > t1) break
      out.push({ t, label: k >= 12 ? String(y) : `${MONTHS[m]} ${y}` })
      m += k
    }
  }
  return out
}

/** A time-series chart of one or more lines, with a legend when there are several. */
export function lineChart(series: readonly LineSeries[], opts: ChartOptions): string {
  const W = opts.width ?? 960
  const H = opts.height ?? 260
  let t0 = Infinity
  let t1 = -Infinity
  let lo = opts.zero ? 0 : Infinity
  let hi = opts.zero ? 0 : -Infinity
  for (const s of series) {
    for (let i = 0; i < s.value.length; i++) {
      const v = s.value[i]!
      if (!Number.isFinite(v)) continue
      t0 = Math.min(t0, s.time[i]!)
      t1 = Math.max(t1, s.time[i]!)
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
  }
  const head = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.label)}">`
  if (!Number.isFinite(t0))
    return `${head}<text x="${W / 2}" y="${H / 2}" class="empty" text-anchor="middle">no data</text></svg>`
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 || 1
    lo -= Math.abs(lo) * 0.05 || 1
  }
  const pad = (hi - lo) * 0.04
  const yTicks = niceTicks(lo - (opts.zero && lo === 0 ? 0 : pad), hi + pad)
  const yLo = Math.min(lo - (lo === 0 && opts.zero ? 0 : pad), yTicks[0]!)
  const yHi = Math.max(hi + pad, yTicks[yTicks.length - 1]!)
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const x = (t: number) => M.left + (t1 === t0 ? pw / 2 : ((t - t0) / (t1 - t0)) * pw)
  const y = (v: number) => M.top + (1 - (v - yLo) / (yHi - yLo)) * ph
  const parts: string[] = [head]
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : Math.abs(yTicks[0]!) || 1
  for (const v of yTicks) {
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f1(y(v))}" y2="${f1(y(v))}"/>`,
      `<text class="tick" x="${M.left - 8}" y="${f1(y(v) + 4)}" text-anchor="end">${esc(opts.yFormat(v, yStep))}</text>`,
    )
  }
  for (const { t, label } of timeTicks(t0, t1)) {
    parts.push(
      `<line class="grid grid-x" x1="${f1(x(t))}" x2="${f1(x(t))}" y1="${M.top}" y2="${H - M.bottom}"/>`,
      `<text class="tick" x="${f1(x(t))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(label)}</text>`,
    )
  }
  if (opts.zero || (yLo < 0 && yHi > 0)) {
    parts.push(`<line class="zero" x1="${M.left}" x2="${W - M.right}" y1="${f1(y(0))}" y2="${f1(y(0))}"/>`)
  }
  for (const s of series) {
    const segs: string[][] = []
    let cur: string[] = []
    for (let i = 0; i < s.value.length; i++) {
      const v = s.value[i]!
      if (!Number.isFinite(v)) {
        if (cur.length) segs.push(cur)
        cur = []
        continue
      }
      cur.push(`${f1(x(s.time[i]!))},${f1(y(v))}`)
    }
    if (cur.length) segs.push(cur)
    for (const seg of segs) {
      if (s.area) {
        const base = f1(y(Math.min(Math.max(0, yLo), yHi)))
        const first = seg[0]!.split(',')[0]
        const last = seg[seg.length - 1]!.split(',')[0]
        parts.push(
          `<path d="M${first},${base}L${seg.join('L')}L${last},${base}Z" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`,
        )
      }
      parts.push(
        `<path d="M${seg.join('L')}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 4"' : ''} stroke-linejoin="round"/>`,
      )
    }
  }
  if (series.length > 1) {
    let lx = M.left + 10
    for (const s of series) {
      parts.push(
        `<rect x="${lx}" y="${M.top + 4}" width="14" height="3" fill="${s.color}"/>`,
        `<text class="legend" x="${lx + 20}" y="${M.top + 9}">${esc(s.name)}</text>`,
      )
      lx += 30 + s.name.length * 7
    }
  }
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${pw}" height="${ph}"/>`, '</svg>')
  return parts.join('')
}

/** A bar histogram; bars left of zero are drawn in `negColor`, the rest in `posColor`. */
export function histogramChart(
  h: Histogram,
  opts: {
    width?: number
    height?: number
    xFormat: (v: number) => string
    label: string
    posColor: string
    negColor: string
  },
): string {
  const W = opts.width ?? 960
  const H = opts.height ?? 240
  const head = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.label)}">`
  if (h.counts.length === 0)
    return `${head}<text x="${W / 2}" y="${H / 2}" class="empty" text-anchor="middle">no trades</text></svg>`
  const lo = h.edges[0]!
  const hi = h.edges[h.edges.length - 1]!
  const cMax = Math.max(...h.counts)
  const yTicks = niceTicks(0, cMax, 4).filter((v) => Number.isInteger(v))
  const yHi = Math.max(cMax * 1.08, yTicks[yTicks.length - 1]!)
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const x = (v: number) => M.left + ((v - lo) / (hi - lo)) * pw
  const y = (c: number) => M.top + (1 - c / yHi) * ph
  const parts: string[] = [head]
  for (const v of yTicks) {
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f1(y(v))}" y2="${f1(y(v))}"/>`,
      `<text class="tick" x="${M.left - 8}" y="${f1(y(v) + 4)}" text-anchor="end">${v}</text>`,
    )
  }
  for (let i = 0; i < h.counts.length; i++) {
    const a = h.edges[i]!
    const b = h.edges[i + 1]!
    const color = (a + b) / 2 < 0 ? opts.negColor : opts.posColor
    const c = h.counts[i]!
    parts.push(
      `<rect x="${f1(x(a) + 1)}" y="${f1(y(c))}" width="${f1(Math.max(1, x(b) - x(a) - 2))}" height="${f1(y(0) - y(c))}" fill="${color}"><title>${esc(opts.xFormat(a))} to ${esc(opts.xFormat(b))}: ${c}</title></rect>`,
    )
  }
  for (const v of niceTicks(lo, hi, 8)) {
    parts.push(
      `<text class="tick" x="${f1(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(opts.xFormat(v))}</text>`,
    )
  }
  if (lo < 0 && hi > 0)
    parts.push(`<line class="zero" x1="${f1(x(0))}" x2="${f1(x(0))}" y1="${M.top}" y2="${H - M.bottom}"/>`)
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${pw}" height="${ph}"/>`, '</svg>')
  return parts.join('')
}
