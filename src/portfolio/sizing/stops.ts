/** Stop and target placement: beyond support/resistance, trailing, and take-profit at an R multiple. */
import { requireParam } from '../../core/index.ts'

/**
 * A stop just beyond the nearest level on the losing side: for a long, below the highest support under the
 * entry (minus `buffer`); for a short, above the lowest resistance over it (plus `buffer`). Falls back to
 * `fallback` when no level is there.
 */
export function stopBeyondLevel(
  entry: number,
  levels: readonly number[],
  buffer: number,
  side: 'LONG' | 'SHORT',
  fallback: number,
): number {
  requireParam(buffer >= 0, 'stopBeyondLevel(buffer)', '≥ 0', buffer)
  if (side === 'LONG') {
    let best = -Infinity
    for (const l of levels) if (l < entry && l > best) best = l
    return Number.isFinite(best) ? best - buffer : fallback
  }
  let best = Infinity
  for (const l of levels) if (l > entry && l < best) best = l
  return Number.isFinite(best) ? best + buffer : fallback
}

/** Take-profit at `r` times the initial risk |entry − stop| in the winning direction. */
export function takeProfit(entry: number, stop: number, r: number): number {
  requireParam(r > 0, 'takeProfit(r)', '> 0', r)
  return entry + (entry - stop) * r
}

/**
 * A trailing stop that only ever moves in the position's favour: for a long it follows the highest price seen
 * minus the offset (an amount, or a fraction with `percent`).
 */
export class TrailingStop {
  private extreme: number
  private stopPrice: number

  constructor(
    readonly side: 'LONG' | 'SHORT',
    entry: number,
    readonly offset: number,
    readonly percent = false,
  ) {
    requireParam(offset > 0, 'TrailingStop(offset)', '> 0', offset)
    this.extreme = entry
    this.stopPrice = this.level(entry)
  }

  /** Feeds a new price (use the bar's high for longs, low for shorts); returns the stop. */
  update(price: number): number {
    if (this.side === 'LONG' ? price > this.extreme : price < this.extreme) {
      this.extreme = price
      const s = this.level(price)
      this.stopPrice = this.side === 'LONG' ? Math.max(this.stopPrice, s) : Math.min(this.stopPrice, s)
    }
    return this.stopPrice
  }

  /** Would a trade at `price` hit the stop? */
  hit(price: number): boolean {
    return this.side === 'LONG' ? price <= this.stopPrice : price >= this.stopPrice
  }

  get stop(): number {
    return this.stopPrice
  }

  private level(p: number): number {
    const d = this.percent ? p * this.offset : this.offset
    return this.side === 'LONG' ? p - d : p + d
  }
}
