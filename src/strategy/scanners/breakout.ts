/**
 * Layer-1 scanner: price breakout. Bar i breaks out up when its close is above the highest high of the
 * `lookback` bars before it (down: below their lowest low); bar i itself is not part of the channel, so nothing
 * after it is used. Only the first bar of a run is an alert: a close that keeps making new highs bar after bar
 * was flagged when it began. Score: the distance beyond the channel in units of the mean absolute one-bar close
 * change over the channel's bars, squashed to [0, 1) (a flat channel scores 1).
 */
import { requireInt, squash, type BarScanner, type ScannerAlert } from './types.ts'

/** Options of {@link breakoutScanner}. */
export interface BreakoutOptions {
  /** Bars in the channel before the breakout bar. Default 20. */
  readonly lookback?: number
  /** Scanner name in the alerts. Default `breakout`. */
  readonly name?: string
}

/** The N-bar high/low breakout scanner (see the module comment). */
export function breakoutScanner(opts: BreakoutOptions = {}): BarScanner {
  const lookback = opts.lookback ?? 20
  const name = opts.name ?? 'breakout'
  requireInt(lookback, 'breakout.lookback', 2)
  return {
    name,
    scan(s) {
      const out: ScannerAlert[] = []
      let prev = 0 // direction of bar i-1's breakout: 1 up, -1 down, 0 none
      for (let i = lookback; i < s.close.length; i++) {
        let hh = -Infinity
        let ll = Infinity
        let moves = 0
        for (let j = i - lookback; j < i; j++) {
          if (s.high[j]! > hh) hh = s.high[j]!
          if (s.low[j]! < ll) ll = s.low[j]!
          if (j > i - lookback) moves += Math.abs(s.close[j]! - s.close[j - 1]!)
        }
        const c = s.close[i]!
        const dir = c > hh ? 1 : c < ll ? -1 : 0
        if (dir !== 0 && dir !== prev) {
          const beyond = dir > 0 ? c - hh : ll - c
          const unit = moves / (lookback - 1)
          out.push({
            time: s.closeTime[i]!,
            instrumentId: s.instrumentId,
            scanner: name,
            score: unit > 0 ? squash(beyond / unit) : 1,
            details: { direction: dir > 0 ? 'up' : 'down', close: c, channelHigh: hh, channelLow: ll, lookback },
          })
        }
        prev = dir
      }
      return out
    },
  }
}
