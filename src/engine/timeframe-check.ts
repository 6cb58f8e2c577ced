/**
 * A stated bar length must agree with the data: bars closer together than their stated length overlap, and
 * bars never that close are longer than stated. Either way every annualised number would be wrong, so the
 * contradiction is an error that names both lengths.
 */
import { KestrelError, parseTimeframe, type ErrorCode } from '../core/index.ts'
import { inferTimeframeMs, timeframeText } from '../data/index.ts'

/** Where the stated timeframe came from, for the error: `--timeframe` (USAGE) or a config key (CONFIG_INVALID). */
export interface TimeframeSource {
  readonly code: ErrorCode
  /** `--timeframe` or `backtest.data[0].timeframe`. */
  readonly name: string
  /** The data file. */
  readonly file: string
}

/**
 * Throws when `timeframe` contradicts the spacing of `openTime`: the median spacing is shorter than it, or no
 * two consecutive bars are closer than 1.5 × it (so gaps in thin data do not count against a true timeframe).
 */
export function checkTimeframeMatchesData(openTime: Float64Array, timeframe: string, src: TimeframeSource): void {
  const tf = parseTimeframe(timeframe)
  const median = inferTimeframeMs(openTime)
  if (median === undefined) return
  let closest = Infinity
  for (let i = 1; i < openTime.length; i++) {
    const d = openTime[i]! - openTime[i - 1]!
    if (d > 0 && d < closest) closest = d
  }
  if (median >= tf.ms && closest < 1.5 * tf.ms) return
  const spacing =
    closest === median ? timeframeText(median) : `${timeframeText(median)} (median; closest ${timeframeText(closest)})`
  throw new KestrelError(
    src.code,
    `${src.name} ${tf.text} contradicts ${src.file}: its bars are ${spacing} apart; ` +
      `give ${src.name} ${timeframeText(median)} or leave it out to infer it`,
    { key: src.name, timeframe: tf.text, file: src.file, medianSpacingMs: median, closestSpacingMs: closest },
  )
}
