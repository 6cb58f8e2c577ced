/** The highest usage of each account limit seen when an order was accepted, for `kestrel risk status`. */
import type { ExposureBook, ExposureSlot } from './exposure-book.ts'
import type { LimitUsage } from './pre-trade.ts'

/** Peaks of gross exposure, leverage, open orders and per-instrument position (worst case with open orders). */
export class PeakUsage {
  gross = 0
  leverage = 0
  open = 0
  readonly position = new Map<string, number>()

  /** Notes the usage just after an accepted order on `s`. */
  note(book: ExposureBook, s: ExposureSlot, equity: number, openOrders: number): void {
    const g = book.grossWorst
    if (g > this.gross) this.gross = g
    const lev = equity > 0 ? g / equity : 0
    if (lev > this.leverage) this.leverage = lev
    if (openOrders > this.open) this.open = openOrders
    const w = Math.max(Math.abs(s.position + s.openBuy), Math.abs(s.position - s.openSell))
    if (w > (this.position.get(s.instrument.id) ?? 0)) this.position.set(s.instrument.id, w)
  }

  /** Adds the peak to each usage row it knows. */
  annotate(usage: readonly LimitUsage[]): LimitUsage[] {
    return usage.map((u) => {
      const pk =
        u.limit === 'maxGrossExposure'
          ? this.gross
          : u.limit === 'maxLeverage'
            ? this.leverage
            : u.limit === 'maxOpenOrders'
              ? this.open
              : u.limit.startsWith('maxPosition ')
                ? (this.position.get(u.limit.slice(12)) ?? 0)
                : undefined
      return pk === undefined ? u : { ...u, peak: pk }
    })
  }
}
