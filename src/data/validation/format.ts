/** How validation messages print numbers for people: returns as simple percentages, spans of time, ratios. */

/** A close-to-close log return `r` as the simple return e^r − 1 in percent: `+5.13%`, `-60.0%`, `+1,381,550%`. */
export function formatReturn(logReturn: number): string {
  const p = Math.expm1(logReturn) * 100
  if (!Number.isFinite(p)) return `${p > 0 ? '+' : ''}${p}%`
  const a = Math.abs(p)
  const sign = p > 0 ? '+' : p < 0 ? '-' : ''
  let body: string
  if (a === 0) body = '0'
  else if (a < 0.01) body = a.toPrecision(2)
  else if (a < 10) body = a.toFixed(2)
  else if (a < 1000) body = a.toFixed(1)
  else body = grouped(Math.round(a))
  return `${sign}${body}%`
}

/** An integer with thousands separators: `1,381,550` (toLocaleString is slow enough to matter per finding). */
function grouped(x: number): string {
  const s = String(x)
  if (x < 1e4 || !/^\d+$/.test(s)) return s
  let out = ''
  for (let k = s.length; k > 0; k -= 3) out = s.slice(Math.max(0, k - 3), k) + (out ? `,${out}` : '')
  return out
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const YEAR = 365.25 * DAY

/** A length of time in the unit that reads best: `45 s`, `90 minutes`, `36 hours`, `12 days`, `1000 years`. */
export function formatSpan(ms: number): string {
  const a = Math.abs(ms)
  const n = (x: number) => grouped(Math.round(x))
  if (a >= 2 * YEAR) return `${n(a / YEAR)} years`
  if (a >= 2 * DAY) return `${n(a / DAY)} days`
  if (a >= 2 * HOUR) return `${n(a / HOUR)} hours`
  if (a >= 2 * MINUTE) return `${n(a / MINUTE)} minutes`
  return `${Math.round(a / 1000)} s`
}

/** A price ratio of at least 1, to three significant digits: `20`, `1,000,000`, `3.5e+12`. */
export function formatRatio(r: number): string {
  if (r >= 1e15) return r.toPrecision(3)
  const x = Number(r.toPrecision(3))
  return Number.isInteger(x) ? grouped(x) : String(x)
}
