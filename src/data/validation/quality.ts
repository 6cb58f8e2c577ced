/**
 * A stored series' quality score in [0, 1], from what its calendar expects and what its imports set aside:
 *
 *   coverage    C = rows / (rows + missing)         missing: bars the calendar expects between the first and
 *                                                    last bar that are not stored (see `findGaps`)
 *   quarantine  Q = quarantined / rows seen          rows seen: the rows its imports read (the ingestion log's
 *                                                    rowsRead), or rows + quarantined when none is logged
 *   gaps        G = gap runs / (rows + missing)      a run: consecutive missing bars (one per session at most
 *                                                    for intraday bars)
 *   score       = C × (1 − Q) × (1 − G), rounded to 4 decimals
 *
 * So a complete, clean series scores 1; each missing bar lowers coverage, each quarantined row the clean share,
 * and a series missing bars in many places scores lower than one missing the same bars in one stretch.
 */
import type { TradingCalendar } from '../calendars/index.ts'
import { findGaps } from './gaps.ts'

/** The parts of a quality score and the score. */
export interface SeriesQuality {
  readonly score: number
  /** rows / (rows + missing). */
  readonly coverage: number
  /** Bars the calendar expects over the series' range that are not stored. */
  readonly missing: number
  /** Runs of consecutive missing bars. */
  readonly gaps: number
  /** quarantined / rows seen. */
  readonly quarantineRate: number
  readonly quarantined: number
  readonly rowsSeen: number
}

/** The counts a score is made of. */
export interface QualityCounts {
  readonly rows: number
  readonly missing: number
  readonly gaps: number
  readonly quarantined: number
  /** Rows the imports read; default rows + quarantined. */
  readonly rowsSeen?: number
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4

/** The score of the counts (the formula in the module comment). An empty series scores 0. */
export function qualityScore(c: QualityCounts): SeriesQuality {
  const seen = c.rowsSeen !== undefined && c.rowsSeen > 0 ? c.rowsSeen : c.rows + c.quarantined
  const expected = c.rows + c.missing
  const coverage = expected > 0 ? c.rows / expected : 0
  const quarantineRate = seen > 0 ? Math.min(1, c.quarantined / seen) : 0
  const gapShare = expected > 0 ? c.gaps / expected : 0
  return {
    score: round4(coverage * (1 - quarantineRate) * (1 - gapShare)),
    coverage,
    missing: c.missing,
    gaps: c.gaps,
    quarantineRate,
    quarantined: c.quarantined,
    rowsSeen: seen,
  }
}

/** The quality of a series from its sorted bar open times, bar length, calendar and import counts. */
export function seriesQuality(
  openTime: Float64Array,
  tfMs: number,
  calendar: TradingCalendar,
  counts: { readonly quarantined: number; readonly rowsSeen?: number },
): SeriesQuality {
  const runs = findGaps(openTime, tfMs, calendar)
  return qualityScore({
    rows: openTime.length,
    missing: runs.reduce((a, r) => a + r.count, 0),
    gaps: runs.length,
    ...counts,
  })
}
