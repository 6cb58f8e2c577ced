/**
 * The settings a backtest takes when it is not told: one place, so `kestrel backtest`, the quickstart and the
 * API agree (a fee left out is not free).
 */

/** Fee as a fraction of notional, maker and taker, when none is given: 10 bps. */
export const DEFAULT_FEE_RATE = 0.001

/** Starting cash when none is given. */
export const DEFAULT_CASH = 100_000
