/**
 * A dense primal active-set solver for the portfolio QP
 *
 *   minimise ½ xᵀQx − cᵀx   subject to   Σx = budget,   lower ≤ x ≤ upper
 *
 * with Q symmetric positive definite. This is the shape of every long-only / capped mean-variance problem.
 * The method (Nocedal & Wright, Numerical Optimization, §16.5) walks from a feasible point, fixing variables
 * at the bound they hit and releasing the one whose multiplier has the wrong sign, and ends at the exact
 * KKT point (no step size, no tolerance on the objective), in a finite number of iterations.
 */
import { KestrelError, solve, type Matrix, type Vector } from '../../core/index.ts'

export interface BoxQpProblem {
  q: Matrix
  c: Vector
  lower: Vector
  upper: Vector
  budget: number
}

export interface QpResult {
  x: Vector
  /** Multiplier of the budget constraint. */
  nu: number
  iterations: number
  /** Indices at their lower/upper bound at the solution. */
  atLower: number[]
  atUpper: number[]
}

const EPS = 1e-12

/** Solves the box-and-budget QP exactly. Throws PARAM_INVALID when it is infeasible. */
export function solveBoxQp(p: BoxQpProblem, maxIterations = 10_000): QpResult {
  const n = p.c.length
  const lo = p.lower
  const hi = p.upper
  for (let i = 0; i < n; i++) {
    if (lo[i]! > hi[i]! + EPS)
      throw new KestrelError('PARAM_INVALID', `qp: lower[${i}] ${lo[i]} > upper[${i}] ${hi[i]}`)
  }
  const sumLo = lo.reduce((a, b) => a + b, 0)
  const sumHi = hi.reduce((a, b) => a + b, 0)
  if (p.budget < sumLo - 1e-9 || p.budget > sumHi + 1e-9) {
    throw new KestrelError(
      'PARAM_INVALID',
      `qp: budget ${p.budget} is outside [Σlower, Σupper] = [${sumLo}, ${sumHi}]: no feasible weights`,
    )
  }
  // Feasible start: lower bounds, then fill up to the budget in index order.
  const x = lo.slice()
  let rem = p.budget - sumLo
  for (let i = 0; i < n && rem > 0; i++) {
    const add = Math.min(hi[i]! - x[i]!, rem)
    x[i]! += add
    rem -= add
  }
  // Working set: 0 free, -1 fixed at lower, +1 fixed at upper.
  const state = new Int8Array(n)
  for (let i = 0; i < n; i++) {
    if (x[i]! <= lo[i]! + EPS) state[i] = -1
    else if (x[i]! >= hi[i]! - EPS) state[i] = 1
  }
  // Keep at least one free variable when possible so the budget row is solvable.
  if (!state.some((s) => s === 0)) {
    const i = state.findIndex((_, k) => hi[k]! - lo[k]! > EPS)
    if (i >= 0) state[i] = 0
  }

  let nu: number
  for (let it = 1; it <= maxIterations; it++) {
    const free: number[] = []
    for (let i = 0; i < n; i++) if (state[i] === 0) free.push(i)
    // Solve the equality-constrained sub-problem over the free variables.
    let target: Vector
    if (free.length === 0) {
      // Every variable sits at a bound: the budget multiplier can be any value that keeps every bound
      // multiplier's sign right; take the middle of that interval (or of the violated one, to release).
      let lamLo = -Infinity
      let lamHi = Infinity
      for (let i = 0; i < n; i++) {
        let g = -p.c[i]!
        for (let j = 0; j < n; j++) g += p.q[i]![j]! * x[j]!
        if (state[i] === -1) lamLo = Math.max(lamLo, -g)
        else lamHi = Math.min(lamHi, -g)
      }
      const lam =
        Number.isFinite(lamLo) && Number.isFinite(lamHi) ? (lamLo + lamHi) / 2 : Number.isFinite(lamLo) ? lamLo : lamHi
      target = x.slice()
      nu = -lam
    } else {
      const m = free.length
      const a: Matrix = Array.from({ length: m + 1 }, () => new Array<number>(m + 1).fill(0))
      const b = new Array<number>(m + 1).fill(0)
      let fixedSum = 0
      for (let i = 0; i < n; i++) if (state[i] !== 0) fixedSum += x[i]!
      for (let r = 0; r < m; r++) {
        const i = free[r]!
        let rhs = p.c[i]!
        for (let j = 0; j < n; j++) if (state[j] !== 0) rhs -= p.q[i]![j]! * x[j]!
        for (let s = 0; s < m; s++) a[r]![s] = p.q[i]![free[s]!]!
        a[r]![m] = 1
        a[m]![r] = 1
        b[r] = rhs
      }
      b[m] = p.budget - fixedSum
      const sol = solve(a, b)
      target = x.slice()
      for (let r = 0; r < m; r++) target[free[r]!] = sol[r]!
      nu = -sol[m]!
    }
    // Step toward the target, stopping at the first bound hit.
    let alpha = 1
    let blocking = -1
    let blockingSide = 0
    for (let i = 0; i < n; i++) {
      if (state[i] !== 0) continue
      const d = target[i]! - x[i]!
      if (d < -EPS && target[i]! < lo[i]! - EPS) {
        const a = (lo[i]! - x[i]!) / d
        if (a < alpha) [alpha, blocking, blockingSide] = [a, i, -1]
      } else if (d > EPS && target[i]! > hi[i]! + EPS) {
        const a = (hi[i]! - x[i]!) / d
        if (a < alpha) [alpha, blocking, blockingSide] = [a, i, 1]
      }
    }
    for (let i = 0; i < n; i++) if (state[i] === 0) x[i] = x[i]! + alpha * (target[i]! - x[i]!)
    if (blocking >= 0) {
      x[blocking] = blockingSide < 0 ? lo[blocking]! : hi[blocking]!
      state[blocking] = blockingSide as -1 | 1
      continue
    }
    // At the sub-problem optimum: check the multipliers of the fixed variables.
    // Gradient g = Qx − c; stationarity g_i + ν' = μ_i with ν' = −nu (budget multiplier as solved).
    let worst = -1
    let worstViolation = 1e-10
    for (let i = 0; i < n; i++) {
      if (state[i] === 0) continue
      let g = -p.c[i]!
      for (let j = 0; j < n; j++) g += p.q[i]![j]! * x[j]!
      const mu = g - nu // multiplier of the active bound: ≥ 0 at lower, ≤ 0 at upper
      const violation = state[i] === -1 ? -mu : mu
      if (violation > worstViolation) [worst, worstViolation] = [i, violation]
    }
    if (worst < 0) {
      const atLower: number[] = []
      const atUpper: number[] = []
      for (let i = 0; i < n; i++) {
        if (x[i]! <= lo[i]! + 1e-12) atLower.push(i)
        else if (x[i]! >= hi[i]! - 1e-12) atUpper.push(i)
      }
      return { x, nu, iterations: it, atLower, atUpper }
    }
    state[worst] = 0
  }
  throw new KestrelError('INTERNAL', `qp: no convergence in ${maxIterations} iterations`)
}
