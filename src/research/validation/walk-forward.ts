/**
 * Walk-forward splits: train on a window, test on the window right after it, step forward, repeat. Rolling (a
 * fixed-length train window) or anchored (the train window always starts at 0 and grows).
 */
import { requireParam } from '../../core/index.ts'

/** A half-open index range [start, end). */
export interface IndexRange {
  readonly start: number
  readonly end: number
}

/** One walk-forward fold. */
export interface WalkForwardFold {
  readonly train: IndexRange
  readonly test: IndexRange
}

/** Options of {@link walkForwardSplits}. */
export interface WalkForwardOptions {
  /** Number of observations. */
  readonly n: number
  readonly trainSize: number
  readonly testSize: number
  /** How far each fold moves, default `testSize` (test windows tile without overlap). */
  readonly step?: number
  /** Anchored: every train window starts at 0. Default false (rolling). */
  readonly anchored?: boolean
  /** Observations dropped between train and test (an embargo against label leakage), default 0. */
  readonly gap?: number
}

/** Walk-forward folds over `n` observations; the last test window ends at or before `n` (no partial folds). */
export function walkForwardSplits(o: WalkForwardOptions): WalkForwardFold[] {
  const step = o.step ?? o.testSize
  const gap = o.gap ?? 0
  requireParam(Number.isInteger(o.n) && o.n >= 0, 'n', 'an integer >= 0', o.n)
  requireParam(Number.isInteger(o.trainSize) && o.trainSize >= 1, 'trainSize', 'an integer >= 1', o.trainSize)
  requireParam(Number.isInteger(o.testSize) && o.testSize >= 1, 'testSize', 'an integer >= 1', o.testSize)
  requireParam(Number.isInteger(step) && step >= 1, 'step', 'an integer >= 1', step)
  requireParam(Number.isInteger(gap) && gap >= 0, 'gap', 'an integer >= 0', gap)
  const out: WalkForwardFold[] = []
  for (let trainEnd = o.trainSize; trainEnd + gap + o.testSize <= o.n; trainEnd += step) {
    out.push({
      train: { start: o.anchored ? 0 : trainEnd - o.trainSize, end: trainEnd },
      test: { start: trainEnd + gap, end: trainEnd + gap + o.testSize },
    })
  }
  return out
}
