/**
 * Combinatorial purged cross-validation (López de Prado, AFML ch. 12): split n observations into N contiguous
 * groups, test on every combination of k groups (C(N, k) splits, purged and embargoed like purged k-fold) and
 * recombine the test groups into φ = k/N · C(N, k) complete backtest paths.
 */
import { requireParam } from '../../core/index.ts'
import {
  checkLabelTimes,
  contiguousGroups,
  purgedTrainIndices,
  type LabelTimes,
  type PurgedSplit,
} from './purged-kfold.ts'

/** Binomial coefficient C(n, k). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0
  let r = 1
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i
  return Math.round(r)
}

/** All k-subsets of {0 … n−1} in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = []
  const c = Array.from({ length: k }, (_, i) => i)
  if (k === 0 || k > n) return k === 0 ? [[]] : []
  for (;;) {
    out.push([...c])
    let i = k - 1
    while (i >= 0 && c[i] === n - k + i) i--
    if (i < 0) return out
    c[i]!++
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1
  }
}

/** One CPCV split: the test groups and the purged training indices. */
export interface CpcvSplit extends PurgedSplit {
  readonly testGroups: readonly number[]
}

/** The result of {@link combinatorialPurgedCV}. */
export interface Cpcv {
  /** The N groups as [start, end) index blocks. */
  readonly groups: readonly [number, number][]
  readonly splits: readonly CpcvSplit[]
  /**
   * φ backtest paths; `paths[p][g]` is the split whose test predictions for group g belong to path p. Every path
   * covers each group once; every (split, test group) pair is used by exactly one path.
   */
  readonly paths: readonly (readonly number[])[]
}

/** Number of backtest paths φ = k/N · C(N, k) = C(N − 1, k − 1). */
export function cpcvPathCount(nGroups: number, kTest: number): number {
  return binomial(nGroups - 1, kTest - 1)
}

/** Combinatorial purged cross-validation over labelled observations. */
export function combinatorialPurgedCV(times: LabelTimes, nGroups: number, kTest: number, embargoPct = 0): Cpcv {
  checkLabelTimes(times)
  const n = times.t0.length
  requireParam(
    Number.isInteger(kTest) && kTest >= 1 && kTest < nGroups,
    'kTest',
    `an integer in [1, N − 1 = ${nGroups - 1}]`,
    kTest,
  )
  requireParam(embargoPct >= 0 && embargoPct < 1, 'embargoPct', 'a fraction in [0, 1)', embargoPct)
  const groups = contiguousGroups(n, nGroups)
  const embargo = Math.floor(n * embargoPct)
  const splits: CpcvSplit[] = combinations(nGroups, kTest).map((testGroups) => {
    const blocks = testGroups.map((g) => groups[g]!)
    const test: number[] = []
    for (const [a, b] of blocks) for (let i = a; i < b; i++) test.push(i)
    return { testGroups, test: Int32Array.from(test), train: purgedTrainIndices(times, blocks, embargo) }
  })
  const phi = cpcvPathCount(nGroups, kTest)
  const paths: number[][] = Array.from({ length: phi }, () => new Array<number>(nGroups).fill(-1))
  const used = new Array<number>(nGroups).fill(0)
  splits.forEach((s, si) => {
    for (const g of s.testGroups) paths[used[g]!++]![g] = si
  })
  return { groups, splits, paths }
}
