/** Bar length inference from the spacing of timestamps, and the text form of a length in ms. */
import { KestrelError, MS } from '../../core/index.ts'

/** `60000` → `1m`, `86400000` → `1d`, `604800000` → `1w`, `90000` → `90s`. */
export function timeframeText(ms: number): string {
  if (ms % MS.week === 0) return `${ms / MS.week}w`
  if (ms % MS.day === 0) return `${ms / MS.day}d`
  if (ms % MS.hour === 0) return `${ms / MS.hour}h`
  if (ms % MS.minute === 0) return `${ms / MS.minute}m`
  return `${Math.max(1, Math.round(ms / MS.second))}s`
}

/**
 * The median positive spacing of consecutive timestamps (over at most `sample` pairs), in ms; undefined when
 * there are fewer than two distinct times. Daily bars with weekends give one day; minute bars with gaps one minute.
 */
export function inferTimeframeMs(times: Float64Array, sample = 20_000): number | undefined {
  const diffs: number[] = []
  for (let i = 1; i < times.length && diffs.length < sample; i++) {
    const d = times[i]! - times[i - 1]!
    if (d > 0) diffs.push(d)
  }
  if (diffs.length === 0) return undefined
  diffs.sort((a, b) => a - b)
  return diffs[Math.floor((diffs.length - 1) / 2)]
}

/**
 * The timeframe a median spacing of `ms` means: `1mo` for 28 to 31 days (calendar months), else
 * {@link timeframeText} of it.
 */
export function timeframeOfSpacing(ms: number): string {
  return ms >= 28 * MS.day && ms <= 31 * MS.day ? '1mo' : timeframeText(ms)
}

/** The bar length of a file's timestamps as text (`1m`, `1mo` for one bar a month); DATA_BAD_FILE naming `path` when it cannot be inferred. */
export function inferTimeframeText(path: string, times: Float64Array): string {
  const ms = inferTimeframeMs(times)
  if (ms === undefined) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: cannot infer the timeframe from ${times.length} rows; pass timeframe`,
      { path },
    )
  }
  return timeframeOfSpacing(ms)
}
