/** What validation reports: findings with severity, row, field and a stable reason code. */
import type { EpochMs } from '../../core/index.ts'
import type { Severity } from '../store/types.ts'

/** The three places data is checked. */
export type ValidationStage = 'ingest' | 'transform' | 'features'

/** One problem found. Errors reject the row (quarantine); warnings keep it. */
export interface Finding {
  readonly stage: ValidationStage
  readonly severity: Severity
  /** Stable code, e.g. `HIGH_BELOW_LOW`, `OUTLIER_RANGE`, `GAP`, `SUSPECTED_UNADJUSTED_SPLIT`. */
  readonly reason: string
  readonly message: string
  /** Row index in the series that was checked. */
  readonly index?: number
  /** 1-based line in the source file. */
  readonly line?: number
  readonly timestamp?: EpochMs
  readonly field?: string
  /** For summarised findings (gap runs): how many bars. */
  readonly count?: number
  readonly details?: Readonly<Record<string, unknown>>
}

/** The result of one stage. */
export interface ValidationReport {
  readonly stage: ValidationStage
  /** Rows checked. */
  readonly rows: number
  readonly findings: Finding[]
  /** 1 where the row has an error and must go to quarantine (same length as the series). */
  readonly rejected: Uint8Array
  readonly errors: number
  readonly warnings: number
}

/** Findings counted by reason: `{ OUTLIER_RANGE: 3, GAP: 2 }`. Gap runs count their missing bars. */
export function countByReason(findings: readonly Finding[], severity?: Severity): Record<string, number> {
  const out: Record<string, number> = {}
  for (const f of findings) {
    if (severity && f.severity !== severity) continue
    out[f.reason] = (out[f.reason] ?? 0) + (f.reason === 'GAP' ? (f.count ?? 1) : 1)
  }
  return out
}

/** Builds a report from findings. */
export function makeReport(
  stage: ValidationStage,
  rows: number,
  findings: Finding[],
  rejected: Uint8Array,
): ValidationReport {
  let errors = 0
  let warnings = 0
  for (const f of findings) {
    if (f.severity === 'error') errors++
    else if (f.severity === 'warning') warnings++
  }
  return { stage, rows, findings, rejected, errors, warnings }
}
