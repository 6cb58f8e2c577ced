/**
 * Blackout windows around scheduled releases: a strategy or risk check stays out of the market from
 * `beforeMs` before an important release until `afterMs` after it. Each event takes the widest window of the
 * rules its importance meets; overlapping or touching windows merge. Windows are half-open [start, end).
 */
import { KestrelError } from '../../../core/index.ts'
import type { EpochMs } from '../../../core/index.ts'

/** Events at or above `minImportance` black out [time − beforeMs, time + afterMs). */
export interface BlackoutRule {
  readonly minImportance: number
  readonly beforeMs: number
  readonly afterMs: number
}

/** What a window needs of an event. */
export interface ScheduledRelease {
  readonly time: EpochMs
  readonly importance: number
  readonly name?: string
}

/** One merged window and the releases inside it. */
export interface BlackoutWindow {
  readonly start: EpochMs
  readonly end: EpochMs
  readonly releases: readonly ScheduledRelease[]
}

/** The merged, sorted windows of `events` under `rules`. */
export function blackoutWindows(events: readonly ScheduledRelease[], rules: readonly BlackoutRule[]): BlackoutWindow[] {
  for (const r of rules) {
    if (!(r.beforeMs >= 0 && r.afterMs >= 0 && r.beforeMs + r.afterMs > 0))
      throw new KestrelError(
        'PARAM_INVALID',
        `blackout rule: beforeMs and afterMs must be ≥ 0 and not both 0, got ${r.beforeMs}, ${r.afterMs}`,
        {
          rule: r,
        },
      )
  }
  const raw: { start: number; end: number; ev: ScheduledRelease }[] = []
  for (const ev of events) {
    let before = -1
    let after = -1
    for (const r of rules) {
      if (ev.importance < r.minImportance) continue
      before = Math.max(before, r.beforeMs)
      after = Math.max(after, r.afterMs)
    }
    if (before >= 0) raw.push({ start: ev.time - before, end: ev.time + after, ev })
  }
  raw.sort((a, b) => a.start - b.start || a.end - b.end)
  const out: { start: number; end: number; releases: ScheduledRelease[] }[] = []
  for (const w of raw) {
    const last = out[out.length - 1]
    if (last && w.start <= last.end) {
      last.end = Math.max(last.end, w.end)
      last.releases.push(w.ev)
    } else out.push({ start: w.start, end: w.end, releases: [w.ev] })
  }
  return out
}

/** Answers "is this instant in a blackout?" over a set of windows in O(log n). */
export class BlackoutCalendar {
  readonly windows: readonly BlackoutWindow[]

  constructor(events: readonly ScheduledRelease[], rules: readonly BlackoutRule[]) {
    this.windows = blackoutWindows(events, rules)
  }

  /** The window containing `t`, if any. */
  windowAt(t: EpochMs): BlackoutWindow | undefined {
    let lo = 0
    let hi = this.windows.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const w = this.windows[mid]!
      if (t < w.start) hi = mid - 1
      else if (t >= w.end) lo = mid + 1
      else return w
    }
    return undefined
  }

  /** True when `t` is inside a window. */
  inBlackout(t: EpochMs): boolean {
    return this.windowAt(t) !== undefined
  }
}
