/**
 * Hierarchical Risk Parity (López de Prado, "Building Diversified Portfolios that Outperform Out of Sample",
 * Journal of Portfolio Management, 2016): tree clustering on the correlation distance d = √((1−ρ)/2),
 * quasi-diagonalisation of the covariance, then recursive bisection with inverse-variance allocation.
 */
import { assertCovariance, covToCorr, type Matrix, type Vector } from '../../core/index.ts'

/** d_ij = √((1 − ρ_ij)/2). */
export function correlationDistance(corr: Matrix): Matrix {
  return corr.map((r) => r.map((p) => Math.sqrt(Math.max(0, (1 - p) / 2))))
}

/** One merge of the single-linkage tree (scipy's linkage row: the two clusters, their distance, the size). */
export interface LinkageStep {
  readonly a: number
  readonly b: number
  readonly distance: number
  readonly size: number
}

/**
 * Single-linkage clustering on the Euclidean distance between columns of the distance matrix (the paper's
 * d̃, step 2), as scipy.cluster.hierarchy.linkage(d̃, 'single') does. Cluster ids: 0..n−1 leaves, then n, n+1...
 */
export function singleLinkage(dist: Matrix): LinkageStep[] {
  const n = dist.length
  // d̃_ij = ‖D_i − D_j‖₂ over columns.
  const dt: Matrix = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0
      for (let k = 0; k < n; k++) s += (dist[k]![i]! - dist[k]![j]!) ** 2
      return Math.sqrt(s)
    }),
  )
  const members = new Map<number, number[]>()
  for (let i = 0; i < n; i++) members.set(i, [i])
  const steps: LinkageStep[] = []
  let next = n
  while (members.size > 1) {
    let best = Infinity
    let ba = -1
    let bb = -1
    const ids = [...members.keys()]
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        let d = Infinity
        for (const i of members.get(ids[x]!)!) for (const j of members.get(ids[y]!)!) d = Math.min(d, dt[i]![j]!)
        if (d < best - 1e-15) [best, ba, bb] = [d, ids[x]!, ids[y]!]
      }
    }
    const merged = [...members.get(ba)!, ...members.get(bb)!]
    members.delete(ba)
    members.delete(bb)
    members.set(next, merged)
    steps.push({ a: ba, b: bb, distance: best, size: merged.length })
    next++
  }
  return steps
}

/** Leaf order of the tree (the paper's getQuasiDiag). */
export function quasiDiagonal(steps: readonly LinkageStep[], n: number): number[] {
  if (n === 1) return [0]
  const expand = (id: number): number[] => (id < n ? [id] : [...expand(steps[id - n]!.a), ...expand(steps[id - n]!.b)])
  return expand(n + steps.length - 1)
}

function clusterVariance(cov: Matrix, items: readonly number[]): number {
  const ivp = items.map((i) => 1 / cov[i]![i]!)
  const s = ivp.reduce((a, b) => a + b, 0)
  const w = ivp.map((v) => v / s)
  let v = 0
  for (let x = 0; x < items.length; x++)
    for (let y = 0; y < items.length; y++) v += w[x]! * w[y]! * cov[items[x]!]![items[y]!]!
  return v
}

/** HRP weights from a covariance matrix (the correlation is derived from it). Sum to 1, all > 0. */
export function hrp(cov: Matrix): Vector {
  const n = cov.length
  assertCovariance(cov, n)
  const order = quasiDiagonal(singleLinkage(correlationDistance(covToCorr(cov))), n)
  const w = new Array<number>(n).fill(1)
  const stack: number[][] = [order]
  while (stack.length) {
    const items = stack.pop()!
    if (items.length <= 1) continue
    const half = items.length >> 1
    const left = items.slice(0, half)
    const right = items.slice(half)
    const vl = clusterVariance(cov, left)
    const vr = clusterVariance(cov, right)
    const alpha = 1 - vl / (vl + vr)
    for (const i of left) w[i]! *= alpha
    for (const i of right) w[i]! *= 1 - alpha
    stack.push(right, left)
  }
  return w
}
