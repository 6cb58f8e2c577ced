/**
 * A Gaussian hidden Markov model over one series (e.g. returns), after Rabiner (1989), "A Tutorial on Hidden
 * Markov Models", Proc. IEEE 77(2): Baum-Welch (EM) with the scaled forward-backward recursions (§V.A),
 * Viterbi decoding in log space, and forward filtering P(state_t | x_1..x_t) for online use, which reads
 * only the past. States are ordered by ascending variance after fitting (state 0 = calmest).
 */
import { KestrelError } from '../../core/index.ts'
import { intParam, numParam } from '../common/params.ts'

/** Parameters of a Gaussian HMM with K states. */
export interface GaussianHmm {
  readonly K: number
  /** Initial state probabilities. */
  readonly pi: Float64Array
  /** Transition matrix, row-major K×K: A[i·K + j] = P(j | i). */
  readonly A: Float64Array
  readonly means: Float64Array
  readonly variances: Float64Array
}

/** Options of {@link fitHmm}. */
export interface HmmFitOptions {
  readonly states?: number
  readonly maxIter?: number
  /** Stop when the log-likelihood improves by less than tol·max(1, |log-likelihood|). Default 1e-8. */
  readonly tol?: number
}

/** Result of {@link fitHmm}. */
export interface HmmFit {
  readonly model: GaussianHmm
  readonly logLikelihood: number
  readonly iterations: number
  readonly converged: boolean
}

const LOG_2PI = Math.log(2 * Math.PI)

function density(x: number, m: number, v: number): number {
  return Math.exp(-0.5 * (LOG_2PI + Math.log(v) + ((x - m) * (x - m)) / v))
}

function checkSeries(x: Float64Array, where: string): void {
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i]!))
      throw new KestrelError('PARAM_INVALID', `${where}: value ${i} is ${x[i]}; drop NaN before fitting`, { index: i })
}

/** Starting point: K quantile groups of the sorted data, sticky transitions. */
function initialModel(x: Float64Array, K: number): GaussianHmm {
  const s = Float64Array.from(x).sort()
  const means = new Float64Array(K)
  const variances = new Float64Array(K)
  let total = 0
  for (const v of x) total += v
  const gm = total / x.length
  let gv = 0
  for (const v of x) gv += (v - gm) ** 2
  gv /= x.length
  for (let k = 0; k < K; k++) {
    const a = Math.floor((k * s.length) / K)
    const b = Math.floor(((k + 1) * s.length) / K)
    let m = 0
    for (let i = a; i < b; i++) m += s[i]!
    m /= b - a
    let v = 0
    for (let i = a; i < b; i++) v += (s[i]! - m) ** 2
    means[k] = m
    variances[k] = Math.max(v / (b - a), gv * 1e-3)
  }
  const A = new Float64Array(K * K).fill(K > 1 ? 0.1 / (K - 1) : 1)
  for (let k = 0; k < K; k++) A[k * K + k] = K > 1 ? 0.9 : 1
  return { K, pi: new Float64Array(K).fill(1 / K), A, means, variances }
}

/** Scaled forward pass; returns log-likelihood. Fills alpha (T×K) and the scale factors c. */
function forward(x: Float64Array, m: GaussianHmm, alpha: Float64Array, c: Float64Array, b: Float64Array): number {
  const { K, A } = m
  const norm = Float64Array.from(m.variances, (v) => 1 / Math.sqrt(2 * Math.PI * v))
  const half = Float64Array.from(m.variances, (v) => -0.5 / v)
  let ll = 0
  for (let t = 0; t < x.length; t++) {
    let sum = 0
    for (let j = 0; j < K; j++) {
      let p: number
      if (t === 0) p = m.pi[j]!
      else {
        p = 0
        for (let i = 0; i < K; i++) p += alpha[(t - 1) * K + i]! * A[i * K + j]!
      }
      const d = x[t]! - m.means[j]!
      const e = norm[j]! * Math.exp(d * d * half[j]!)
      b[t * K + j] = e
      alpha[t * K + j] = p * e
      sum += p * e
    }
    if (!(sum > 0)) sum = Number.MIN_VALUE
    c[t] = sum
    for (let j = 0; j < K; j++) alpha[t * K + j] /= sum
    ll += Math.log(sum)
  }
  return ll
}

/** Fits a Gaussian HMM by Baum-Welch. Deterministic: the start comes from the data's quantiles. */
export function fitHmm(x: Float64Array, opts: HmmFitOptions = {}): HmmFit {
  checkSeries(x, 'fitHmm')
  const K = intParam('fitHmm(states)', opts.states ?? 2, 1)
  const maxIter = intParam('fitHmm(maxIter)', opts.maxIter ?? 200, 1)
  const tol = numParam('fitHmm(tol)', opts.tol ?? 1e-8, 0)
  const T = x.length
  if (T < 2 * K) throw new KestrelError('PARAM_INVALID', `fitHmm: ${T} values are too few for ${K} states`, { T, K })
  let m = initialModel(x, K)
  const floor = Math.max(...m.variances) * 1e-6
  const alpha = new Float64Array(T * K)
  const beta = new Float64Array(T * K)
  const b = new Float64Array(T * K)
  const c = new Float64Array(T)
  let prev = -Infinity
  let ll = -Infinity
  let it = 0
  let converged = false
  for (; it < maxIter; it++) {
    ll = forward(x, m, alpha, c, b)
    if (ll - prev < tol * Math.max(1, Math.abs(ll)) && it > 0) {
      converged = true
      break
    }
    prev = ll
    for (let j = 0; j < K; j++) beta[(T - 1) * K + j] = 1
    for (let t = T - 2; t >= 0; t--)
      for (let i = 0; i < K; i++) {
        let s = 0
        for (let j = 0; j < K; j++) s += m.A[i * K + j]! * b[(t + 1) * K + j]! * beta[(t + 1) * K + j]!
        beta[t * K + i] = s / c[t + 1]!
      }
    const xiSum = new Float64Array(K * K)
    const gSum = new Float64Array(K)
    const gSumNoLast = new Float64Array(K)
    const gx = new Float64Array(K)
    const pi = new Float64Array(K)
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < K; i++) {
        const g = alpha[t * K + i]! * beta[t * K + i]!
        gSum[i] += g
        gx[i] += g * x[t]!
        if (t === 0) pi[i] = g
        if (t < T - 1) {
          gSumNoLast[i] += g
          for (let j = 0; j < K; j++)
            xiSum[i * K + j] +=
              (alpha[t * K + i]! * m.A[i * K + j]! * b[(t + 1) * K + j]! * beta[(t + 1) * K + j]!) / c[t + 1]!
        }
      }
    }
    const means = new Float64Array(K)
    const variances = new Float64Array(K)
    for (let k = 0; k < K; k++) means[k] = gx[k]! / gSum[k]!
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++) variances[k] += alpha[t * K + k]! * beta[t * K + k]! * (x[t]! - means[k]!) ** 2
    for (let k = 0; k < K; k++) variances[k] = Math.max(variances[k]! / gSum[k]!, floor)
    const A = new Float64Array(K * K)
    for (let i = 0; i < K; i++) {
      let row = 0
      for (let j = 0; j < K; j++) row += xiSum[i * K + j]!
      for (let j = 0; j < K; j++) A[i * K + j] = row > 0 ? xiSum[i * K + j]! / row : 1 / K
    }
    m = { K, pi, A, means, variances }
  }
  return { model: sortByVariance(m), logLikelihood: ll, iterations: it, converged }
}

/** Reorders states by ascending variance. */
export function sortByVariance(m: GaussianHmm): GaussianHmm {
  const K = m.K
  const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => m.variances[a]! - m.variances[b]!)
  const A = new Float64Array(K * K)
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) A[i * K + j] = m.A[order[i]! * K + order[j]!]!
  return {
    K,
    pi: Float64Array.from(order, (k) => m.pi[k]!),
    A,
    means: Float64Array.from(order, (k) => m.means[k]!),
    variances: Float64Array.from(order, (k) => m.variances[k]!),
  }
}

/** Most likely state path (Viterbi, log space). */
export function viterbi(x: Float64Array, m: GaussianHmm): Int32Array {
  checkSeries(x, 'viterbi')
  const { K } = m
  const T = x.length
  const path = new Int32Array(T)
  if (T === 0) return path
  const back = new Int32Array(T * K)
  let d = new Float64Array(K)
  let nd = new Float64Array(K)
  const logE = (t: number, k: number) =>
    -0.5 * (LOG_2PI + Math.log(m.variances[k]!) + (x[t]! - m.means[k]!) ** 2 / m.variances[k]!)
  for (let k = 0; k < K; k++) d[k] = Math.log(m.pi[k]!) + logE(0, k)
  for (let t = 1; t < T; t++) {
    for (let j = 0; j < K; j++) {
      let best = -Infinity
      let arg = 0
      for (let i = 0; i < K; i++) {
        const v = d[i]! + Math.log(m.A[i * K + j]!)
        if (v > best) {
          best = v
          arg = i
        }
      }
      nd[j] = best + logE(t, j)
      back[t * K + j] = arg
    }
    ;[d, nd] = [nd, d]
  }
  let arg = 0
  for (let k = 1; k < K; k++) if (d[k]! > d[arg]!) arg = k
  path[T - 1] = arg
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * K + path[t]!]!
  return path
}

/** Online filter: P(state_t | x_1..x_t), O(K²) per update. NaN input leaves the state and returns NaN. */
export class HmmFilter {
  private p: Float64Array
  private readonly next: Float64Array
  private started = false
  private readonly out: Float64Array

  constructor(readonly model: GaussianHmm) {
    this.p = new Float64Array(model.K)
    this.next = new Float64Array(model.K)
    this.out = new Float64Array(model.K)
  }

  /** Adds one observation; returns the filtered state probabilities (reused array). */
  update(x: number): Float64Array {
    const { K, A } = this.model
    if (!Number.isFinite(x)) return this.out.fill(NaN)
    let sum = 0
    for (let j = 0; j < K; j++) {
      let prior: number
      if (!this.started) prior = this.model.pi[j]!
      else {
        prior = 0
        for (let i = 0; i < K; i++) prior += this.p[i]! * A[i * K + j]!
      }
      this.next[j] = prior * density(x, this.model.means[j]!, this.model.variances[j]!)
      sum += this.next[j]!
    }
    if (!(sum > 0)) this.next.fill(1 / K)
    else for (let j = 0; j < K; j++) this.next[j] /= sum
    this.p.set(this.next)
    this.started = true
    this.out.set(this.p)
    return this.out
  }
  /** Most probable state now. */
  get state(): number {
    let a = 0
    for (let k = 1; k < this.model.K; k++) if (this.p[k]! > this.p[a]!) a = k
    return this.started ? a : -1
  }
  reset(): void {
    this.p.fill(0)
    this.started = false
  }
}

/** Batch forward filter: one Float64Array of probabilities per state. */
export function hmmFilter(x: Float64Array, m: GaussianHmm): Float64Array[] {
  const f = new HmmFilter(m)
  const out = Array.from({ length: m.K }, () => new Float64Array(x.length))
  for (let t = 0; t < x.length; t++) {
    const p = f.update(x[t]!)
    for (let k = 0; k < m.K; k++) out[k]![t] = p[k]!
  }
  return out
}
