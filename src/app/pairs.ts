/**
 * Pairs research over bar files: Engle-Granger statistics of every pair (y, x) of the files, y's file given
 * before x's, on the closes of the bars both files have (matched on the bar's timestamp). What
 * `kestrel pairs scan` prints.
 */
import { KestrelError } from '../core/index.ts'
import type { QuarantinedRow } from '../data/index.ts'
import { loadCsvBars } from '../engine/index.ts'
import { pairStats, type PairStats } from '../features/index.ts'

/** Options of {@link scanPairFiles}. */
export interface PairsScanOptions {
  /** Largest ADF lag (AIC picks 0…maxLags); default ceil(12·(n/100)^¼) for the n common bars of each pair. */
  readonly maxLags?: number
}

/** One input file as read. */
export interface PairsScanFile {
  readonly file: string
  readonly symbol: string
  readonly bars: number
  /** Rows not used, with the reason (they are missing from every pair of this file). */
  readonly quarantine: readonly QuarantinedRow[]
}

/** What {@link scanPairFiles} found. */
export interface PairsScan {
  readonly files: readonly PairsScanFile[]
  /** One row per pair, in the order (file 1, file 2), (file 1, file 3), …, (file 2, file 3), … */
  readonly pairs: readonly PairStats[]
}

/** Closes of `a` and `b` at the bar timestamps (open times) both have, in time order. */
function align(
  a: { openTime: ArrayLike<number>; close: ArrayLike<number> },
  b: { openTime: ArrayLike<number>; close: ArrayLike<number> },
): { y: Float64Array; x: Float64Array } {
  const y: number[] = []
  const x: number[] = []
  let i = 0
  let j = 0
  while (i < a.openTime.length && j < b.openTime.length) {
    const ta = a.openTime[i]!
    const tb = b.openTime[j]!
    if (ta === tb) {
      y.push(a.close[i++]!)
      x.push(b.close[j++]!)
    } else if (ta < tb) i++
    else j++
  }
  return { y: Float64Array.from(y), x: Float64Array.from(x) }
}

/** Reads the bar files and tests every pair of them for cointegration. */
export async function scanPairFiles(files: readonly string[], opts: PairsScanOptions = {}): Promise<PairsScan> {
  if (files.length < 2) throw new KestrelError('USAGE', `pairs scan: needs at least two bar files, got ${files.length}`)
  const loaded = []
  for (const f of files) loaded.push(await loadCsvBars(f))
  const seen = new Map<string, string>()
  for (const [i, l] of loaded.entries()) {
    const prev = seen.get(l.instrument.symbol)
    if (prev !== undefined)
      throw new KestrelError(
        'USAGE',
        `pairs scan: ${files[i]} and ${prev} both hold ${l.instrument.symbol}; give each instrument once`,
        { symbol: l.instrument.symbol },
      )
    seen.set(l.instrument.symbol, files[i]!)
  }
  const pairs: PairStats[] = []
  for (let i = 0; i < loaded.length; i++)
    for (let j = i + 1; j < loaded.length; j++) {
      const a = loaded[i]!
      const b = loaded[j]!
      const { y, x } = align(a.series, b.series)
      const what = `pairs scan: ${a.instrument.symbol} (${files[i]}) and ${b.instrument.symbol} (${files[j]})`
      if (y.length < 20)
        throw new KestrelError(
          'DATA_VALIDATION_FAILED',
          `${what} share ${y.length} bar timestamps; at least 20 are needed`,
          { y: files[i], x: files[j], common: y.length },
        )
      const limit = Math.floor(y.length / 2) - 1
      if (opts.maxLags !== undefined && opts.maxLags > limit)
        throw new KestrelError(
          'USAGE',
          `${what}: --max-lags ${opts.maxLags} is too large for their ${y.length} common bars (at most ${limit})`,
          { maxLags: opts.maxLags, common: y.length },
        )
      try {
        pairs.push(
          pairStats(
            { name: a.instrument.symbol, values: y },
            { name: b.instrument.symbol, values: x },
            { maxLag: opts.maxLags },
          ),
        )
      } catch (e) {
        if (e instanceof KestrelError)
          throw new KestrelError(e.code, `${what}: ${e.message}`, { y: files[i], x: files[j] }, { cause: e })
        throw e
      }
    }
  return {
    files: loaded.map((l, i) => ({
      file: files[i]!,
      symbol: l.instrument.symbol,
      bars: l.series.openTime.length,
      quarantine: l.quarantine,
    })),
    pairs,
  }
}
