/** Test support: loads a bundled 1-minute CSV (`timestamp,open,high,low,close,volume`, open-stamped). */
import { readFileSync } from 'node:fs'
import { toBarSeries } from '../../core/index.ts'
import type { Bar, BarSeries } from '../../core/index.ts'

const MIN = 60_000

/** Reads `data/bundled/<name>.csv` into a 1m series (test data only; the product reads CSV with `src/data/csv`). */
export function loadBundled(name: string): BarSeries {
  const lines = readFileSync(new URL(`../../../data/bundled/${name}.csv`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
  const bars: Bar[] = lines.slice(1).map((l) => {
    const [ts, o, h, lo, c, v] = l.split(',')
    const openTime = Date.parse(ts!)
    return {
      instrumentId: name,
      timeframe: '1m',
      openTime,
      closeTime: openTime + MIN,
      open: Number(o),
      high: Number(h),
      low: Number(lo),
      close: Number(c),
      volume: Number(v),
    }
  })
  return toBarSeries(bars, name, '1m')
}
