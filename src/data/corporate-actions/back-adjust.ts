/**
 * Back-adjustment: prices before each ex-date are scaled so the series has no split or dividend jumps and the
 * latest prices stay as traded. Splits divide prices by the ratio and multiply volume by it; a dividend D scales
 * earlier prices by (1 − D / close of the last bar before the ex-date) (the CRSP / Yahoo convention).
 */
import { KestrelError, allocBarSeries } from '../../core/index.ts'
import type { BarSeries, EpochMs } from '../../core/index.ts'
import { zoneConverter } from '../csv/index.ts'
import type { CorporateAction } from './actions.ts'

/** One action as applied: the factors it put on the bars before its ex-date. */
export interface AppliedAction {
  readonly action: CorporateAction
  /** Start of the ex-date (UTC ms); bars opening before it are adjusted. */
  readonly exTime: EpochMs
  readonly priceFactor: number
  readonly volumeFactor: number
  /** Bars the action touched. */
  readonly bars: number
}

/** The adjusted series and what was applied. */
export interface Adjustment {
  readonly series: BarSeries
  readonly applied: AppliedAction[]
}

/**
 * Back-adjusts `s` with the actions for `symbol`. `timezone` places the start of each ex-date (default UTC,
 * which suits bars stamped in UTC on the session date, e.g. the bundled daily files).
 */
export function backAdjust(
  s: BarSeries,
  actions: readonly CorporateAction[],
  symbol: string,
  timezone = 'UTC',
): Adjustment {
  const zone = zoneConverter(timezone, 'backAdjust(timezone)')
  const mine = actions
    .filter((a) => a.symbol.toUpperCase() === symbol.toUpperCase())
    .map((a) => ({ a, exTime: zone.toUtc(Date.parse(`${a.date}T00:00:00Z`)) }))
    .sort((x, y) => x.exTime - y.exTime)
  const n = s.openTime.length
  const out = allocBarSeries(s.instrumentId, s.timeframe, n)
  out.openTime.set(s.openTime)
  out.closeTime.set(s.closeTime)
  const applied: AppliedAction[] = []
  let price = 1
  let volume = 1
  let k = mine.length - 1
  let i = n - 1
  const touched: number[] = []
  // Walk back in time; each ex-date crossed multiplies in its factor for every earlier bar.
  for (; i >= -1; i--) {
    while (k >= 0 && (i < 0 || s.openTime[i]! < mine[k]!.exTime)) {
      const { a, exTime } = mine[k]!
      let pf: number
      let vf: number
      if (a.type === 'split') {
        pf = 1 / a.value
        vf = a.value
      } else {
        if (i < 0) {
          pf = 1
          vf = 1
        } else {
          const prev = s.close[i]!
          if (!(a.value < prev)) {
            throw new KestrelError(
              'DATA_BAD_ROW',
              `dividend ${a.value} on ${a.date} (line ${a.line}) is not below the prior close ${prev}`,
              {
                action: a,
              },
            )
          }
          pf = 1 - a.value / prev
          vf = 1
        }
      }
      price *= pf
      volume *= vf
      applied.unshift({ action: a, exTime, priceFactor: pf, volumeFactor: vf, bars: 0 })
      touched.unshift(i + 1)
      k--
    }
    if (i < 0) break
    out.open[i] = s.open[i]! * price
    out.high[i] = s.high[i]! * price
    out.low[i] = s.low[i]! * price
    out.close[i] = s.close[i]! * price
    out.volume[i] = s.volume[i]! * volume
  }
  return { series: out, applied: applied.map((x, j) => ({ ...x, bars: touched[j]! })) }
}
