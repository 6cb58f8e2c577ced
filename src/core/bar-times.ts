/**
 * When a bar opens and closes, for fixed bar lengths and for calendar months alike. A month bar (`1mo`) spans
 * one calendar month of its UTC date (a daily or monthly bar is dated, not timed): it opens at its stamp (the
 * month's first session, or the first of the month) and closes at the start of the next month. A month bar
 * stamped at its close (the month's last session, or the first of the next month) opens on the first of its month.
 */
import type { AnyTimeframe, EpochMs } from './time.ts'

/** The month of `t` (UTC) as a running number: `year * 12 + month`, January 0. */
export function monthIndex(t: EpochMs): number {
  const d = new Date(t)
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

/** The first instant (00:00 UTC on the 1st) of the month with running number `m` ({@link monthIndex}). */
export function monthStartOf(m: number): EpochMs {
  return Date.UTC(Math.floor(m / 12), ((m % 12) + 12) % 12, 1)
}

/** The close of a bar of `tf` opening at `open`: open + length, or the start of the month after `count` months. */
export function barCloseTime(open: EpochMs, tf: AnyTimeframe): EpochMs {
  return tf.unit === 'mo' ? monthStartOf(monthIndex(open) + tf.count) : open + tf.ms
}

/**
 * The open of a bar of `tf` stamped `t` at its `stampedAt` end: `t` itself for `open`; for `close`, `t` less the
 * length, or for months the first of the month that `t` closes (the month of the instant before `t`).
 */
export function barOpenTime(t: EpochMs, tf: AnyTimeframe, stampedAt: 'open' | 'close' = 'open'): EpochMs {
  if (stampedAt === 'open') return t
  return tf.unit === 'mo' ? monthStartOf(monthIndex(t - 1) - tf.count + 1) : t - tf.ms
}

/** Open and close times of bars stamped `stamps` at their `stampedAt` end ({@link barOpenTime}, {@link barCloseTime}). */
export function barTimes(
  stamps: ArrayLike<number>,
  tf: AnyTimeframe,
  stampedAt: 'open' | 'close' = 'open',
): { openTime: Float64Array; closeTime: Float64Array } {
  const n = stamps.length
  const openTime = new Float64Array(n)
  const closeTime = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    openTime[i] = barOpenTime(stamps[i]!, tf, stampedAt)
    closeTime[i] = barCloseTime(openTime[i]!, tf)
  }
  return { openTime, closeTime }
}
