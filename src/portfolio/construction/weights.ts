/** Simple allocation rules: equal weight and inverse volatility. */
import { KestrelError, type Vector } from '../../core/index.ts'

/** 1/n each. */
export function equalWeight(n: number): Vector {
  if (!(Number.isInteger(n) && n > 0))
    throw new KestrelError('PARAM_INVALID', `equalWeight(n): expected integer > 0, got ${n}`)
  return new Array<number>(n).fill(1 / n)
}

/** Weights proportional to 1/σᵢ (pass `power` 2 for inverse variance). */
export function inverseVolatility(vols: Vector, power = 1): Vector {
  vols.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v))
      throw new KestrelError('PARAM_INVALID', `inverseVolatility: vol[${i}] must be > 0, got ${v}`)
  })
  const inv = vols.map((v) => 1 / v ** power)
  const s = inv.reduce((a, b) => a + b, 0)
  return inv.map((v) => v / s)
}
