/** Absolute and percentage price oscillators (TA-Lib APO, PPO). */
import { requireFastBelowSlow } from './macd.ts'
import { createMovingAverage, maLookback, movingAverage } from '../average/ma.ts'
import { sma } from '../average/sma.ts'
import type { StreamingIndicator } from '../types.ts'
import { nanFill, outArray, pInt } from '../checks.ts'
import { defineIndicator } from '../define.ts'

/** PPO's percentage, with TA-Lib's guard: 0 when the slow MA is (near) zero. */
function pct(fast: number, slow: number): number {
  return slow > -1e-14 && slow < 1e-14 ? 0.0 : ((fast - slow) / slow) * 100.0
}

/**
 * TA-Lib's price oscillator: fast MA − slow MA (APO) or its percentage of the slow MA (PPO), both MAs from the
 * first bar. Lookback that of the slow MA.
 */
export function priceOscillator(
  values: Float64Array,
  fast: number,
  slow: number,
  maType: number,
  percent: boolean,
  out?: Float64Array,
): Float64Array {
  const n = values.length
  const o = outArray(percent ? 'ppo' : 'apo', n, out)
  if (maType === 0 && fast > 1) return smaOscillator(values, fast, slow, percent, o)
  const f = movingAverage(values, fast, maType)
  movingAverage(values, slow, maType, o)
  const lb = Math.max(maLookback(slow, maType), maLookback(fast, maType))
  if (percent) for (let i = lb; i < n; i++) o[i] = pct(f[i], o[i])
  else for (let i = lb; i < n; i++) o[i] = f[i] - o[i]
  nanFill(o, 0, lb)
  return o
}

/** The SMA case (TA-Lib's default): both averages from {@link sma}'s exact window sums, so a tie is exactly 0. */
function smaOscillator(
  values: Float64Array,
  fast: number,
  slow: number,
  percent: boolean,
  o: Float64Array,
): Float64Array {
  const n = values.length
  const lb = slow - 1
  const f = sma(values, fast)
  sma(values, slow, o)
  if (percent) for (let i = lb; i < n; i++) o[i] = pct(f[i]!, o[i]!)
  else for (let i = lb; i < n; i++) o[i] = f[i]! - o[i]!
  return o
}

/** APO: fast MA − slow MA. */
export function apo(values: Float64Array, fast = 12, slow = 26, maType = 0, out?: Float64Array): Float64Array {
  return priceOscillator(values, fast, slow, maType, false, out)
}

/** PPO: (fast MA − slow MA) / slow MA · 100. */
export function ppo(values: Float64Array, fast = 12, slow = 26, maType = 0, out?: Float64Array): Float64Array {
  return priceOscillator(values, fast, slow, maType, true, out)
}

/** Streaming twin of {@link apo} and {@link ppo}. */
export class PriceOscillator implements StreamingIndicator {
  private readonly fastMa: StreamingIndicator
  private readonly slowMa: StreamingIndicator
  private last: number | undefined

  constructor(
    fast: number,
    slow: number,
    maType: number,
    readonly percent: boolean,
  ) {
    this.fastMa = createMovingAverage(fast, maType)
    this.slowMa = createMovingAverage(slow, maType)
  }

  update(x: number, replace = false): number | undefined {
    const f = this.fastMa.update(x, replace)
    const s = this.slowMa.update(x, replace)
    if (f === undefined || s === undefined) return (this.last = undefined)
    this.last = this.percent ? pct(f, s) : f - s
    return this.last
  }

  get isStable(): boolean {
    return this.last !== undefined
  }

  get value(): number | undefined {
    return this.last
  }

  reset(): void {
    this.fastMa.reset()
    this.slowMa.reset()
    this.last = undefined
  }
}

function poDef(name: 'apo' | 'ppo', description: string) {
  const percent = name === 'ppo'
  return defineIndicator({
    name,
    description,
    inputs: ['close'],
    params: [pInt('fastperiod', 12, 2), pInt('slowperiod', 26, 2), pInt('matype', 0, 0, 8)],
    outputs: ['real'],
    lookback: ([f, s, t]) => Math.max(maLookback(s, t), maLookback(f, t)),
    compute: ([x], [f, s, t]) => {
      requireFastBelowSlow(name, f, s)
      return [priceOscillator(x, f, s, t, percent)]
    },
    stream: ([f, s, t]) => {
      requireFastBelowSlow(name, f, s)
      return new PriceOscillator(f, s, t, percent)
    },
    testParams: [
      [5, 20, 1],
      [3, 10, 7],
      [4, 9, 8],
    ],
  })
}

/** TA-Lib APO. Kestrel rejects fast ≥ slow. */
export const apoDef = poDef('apo', 'Absolute price oscillator (fast MA − slow MA)')

/** TA-Lib PPO. Kestrel rejects fast ≥ slow. */
export const ppoDef = poDef('ppo', 'Percentage price oscillator')
