/**
 * Stage 2 (after a transformation such as import, resampling or adjustment) and stage 3 (before features):
 * the checks that make sure nothing was lost or invented on the way.
 */
import { barCloseTime, isoUtc, parseAnyTimeframe } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { makeReport, type Finding, type ValidationReport } from './types.ts'

/**
 * Stage 2: rows in = rows out + rows quarantined; bars strictly increasing, non-overlapping, closeTime = open +
 * timeframe (for a month bar, the start of the next month).
 */
export function validateTransform(
  out: BarSeries,
  counts: { readonly rowsIn: number; readonly quarantined: number },
  source = out.instrumentId,
): ValidationReport {
  const n = out.openTime.length
  const findings: Finding[] = []
  const rejected = new Uint8Array(n)
  if (counts.rowsIn !== n + counts.quarantined) {
    findings.push({
      stage: 'transform',
      severity: 'error',
      reason: 'ROW_COUNT_MISMATCH',
      message: `${source}: ${counts.rowsIn} rows in but ${n} out + ${counts.quarantined} quarantined = ${n + counts.quarantined}`,
      details: { ...counts, rowsOut: n },
    })
  }
  // An empty series may have no known timeframe (nothing parsed); there is nothing to check per bar then.
  const tf = n === 0 ? undefined : parseAnyTimeframe(out.timeframe)
  const { openTime: T, closeTime: E } = out
  const at = (i: number, reason: string, msg: string) => {
    findings.push({
      stage: 'transform',
      severity: 'error',
      reason,
      index: i,
      timestamp: T[i],
      message: `${source} ${isoUtc(T[i]!)}: ${msg}`,
    })
    rejected[i] = 1
  }
  for (let i = 0; i < n; i++) {
    if (E[i] !== barCloseTime(T[i]!, tf!))
      at(i, 'BAD_CLOSE_TIME', `close time ${isoUtc(E[i]!)} is not open + ${out.timeframe}`)
    if (i > 0 && !(T[i]! > T[i - 1]!))
      at(i, 'NOT_INCREASING', `open time not after the previous bar's ${isoUtc(T[i - 1]!)}`)
    else if (i > 0 && E[i - 1]! > T[i]!)
      at(i, 'OVERLAP', `bar overlaps the previous one, which closes at ${isoUtc(E[i - 1]!)}`)
  }
  return makeReport('transform', n, findings, rejected)
}

/** Stage 3: no NaN or infinity anywhere and at least `minHistory` bars. */
export function validateForFeatures(s: BarSeries, minHistory = 1, source = s.instrumentId): ValidationReport {
  const n = s.openTime.length
  const findings: Finding[] = []
  const rejected = new Uint8Array(n)
  const cols = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const
  for (const f of cols) {
    const a = s[f]
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i]!)) {
        rejected[i] = 1
        findings.push({
          stage: 'features',
          severity: 'error',
          reason: 'NON_FINITE',
          index: i,
          field: f,
          timestamp: s.openTime[i],
          message: `${source} row ${i}: ${f} is ${a[i]}`,
        })
      }
    }
  }
  if (n < minHistory) {
    findings.push({
      stage: 'features',
      severity: 'error',
      reason: 'INSUFFICIENT_HISTORY',
      message: `${source}: ${n} bars, features need at least ${minHistory}`,
      details: { rows: n, minHistory },
    })
  }
  return makeReport('features', n, findings, rejected)
}
