/** The tearsheet's transaction-cost table: one row per parent order of a scheduled execution model. */
import { esc } from './svg.ts'
import type { TearsheetData } from './tearsheet-json.ts'

/** Rows listed at most; the note says how many were left out. */
const MAX_ROWS = 200

const bps = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(1))
const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)} %`)
const qty = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 4 })

/** The `tca-parents` section, or nothing when the run worked no parent orders. */
export function parentTcaSection(d: TearsheetData): string {
  const rows = d.tcaParents ?? []
  if (rows.length === 0) return ''
  const body = rows
    .slice(0, MAX_ROWS)
    .map(
      (r) =>
        `<tr><td>${esc(r.algo)}</td><td>${esc(r.instrumentId)}</td><td>${r.side}</td><td class="num">${qty(r.quantity)}</td><td class="num">${qty(r.filled)}</td><td class="num">${bps(r.shortfallBps)}</td><td class="num">${bps(r.slippageVsArrivalBps)}</td><td class="num">${bps(r.slippageVsVwapBps)}</td><td class="num">${bps(r.slippageVsCloseBps)}</td><td class="num">${pct(r.participation)}</td></tr>`,
    )
    .join('')
  const more = rows.length > MAX_ROWS ? ` The first ${MAX_ROWS} of ${rows.length} parents are listed.` : ''
  return `<section id="tca-parents"><h2>Transaction costs of parent orders</h2><table class="list"><thead><tr><th>algo</th><th>instrument</th><th>side</th><th>quantity</th><th>filled</th><th>shortfall bps</th><th>vs arrival bps</th><th>vs VWAP bps</th><th>vs close bps</th><th>participation</th></tr></thead><tbody>${body}</tbody></table><p class="note">Positive is worse for the order. Shortfall against the arrival price (unfilled quantity at the interval's last close); slippage of the average fill against the arrival price, the interval's VWAP and its last close; participation of the interval's volume.${more}</p></section>`
}
