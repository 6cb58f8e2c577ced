/**
 * The candlestick patterns against TA-Lib (npm `talib`) on seeded random OHLC series made to contain them:
 * prices on a 0.25 grid (so equal opens, closes and lows occur), shapes drawn from dojis, short and long bodies,
 * marubozu, hammers and stars, gaps, and trends that run for several bars. Every output at every bar equals
 * TA-Lib's exactly, every pattern fires at least once in both directions it has, and the streaming twin gives the
 * batch output at every bar, also after a replaced bar.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { defineCandle } from './candle.ts'
import { CANDLE_PATTERNS } from './index.ts'

interface Talib {
  execute(args: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
}
const talib = createRequire(import.meta.url)('talib') as Talib

interface Ohlc {
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
}

/** A seeded series rich in candle shapes (see the file comment). */
export function patternRichSeries(seed: number, n: number): Ohlc {
  let s = seed >>> 0
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
  const q = (x: number): number => Math.round(x * 4) / 4
  const pick = (k: number): number => Math.floor(rnd() * k)
  const out: Ohlc = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
  }
  let prev = 100
  let drift = 0
  let left = 0
  for (let i = 0; i < n; i++) {
    if (left-- <= 0) {
      drift = pick(3) - 1
      left = 3 + pick(10)
    }
    const gap =
      rnd() < 0.2
        ? (rnd() < 0.5 ? -1 : 1) * (rnd() < 0.3 ? 3 + pick(12) * 0.5 : 0.25 + pick(12) * 0.25)
        : rnd() < 0.5
          ? 0
          : q((rnd() - 0.5) * 1)
    const open = q(prev + gap)
    const shape = pick(8)
    const body = [
      0,
      0.25,
      0.5 + pick(3) * 0.25,
      2 + pick(9) * 0.25,
      5 + pick(12) * 0.5,
      1 + pick(4) * 0.25,
      0,
      3 + pick(8) * 0.5,
    ][shape]!
    const dir = rnd() < 0.7 && drift !== 0 ? drift : rnd() < 0.5 ? -1 : 1
    const close = q(open + dir * body)
    const shadow = (): number => [0, 0, 0.25, 0.5, 1 + pick(8) * 0.25, 3 + pick(8) * 0.5][pick(6)]!
    let up = shadow()
    let dn = shadow()
    if (shape === 5) {
      // hammer or inverted hammer: one long shadow, the other (almost) none
      if (rnd() < 0.5) [up, dn] = [pick(2) * 0.25, 2 + body * 2 + pick(6) * 0.5]
      else [up, dn] = [2 + body * 2 + pick(6) * 0.5, pick(2) * 0.25]
    }
    if (shape === 6) [up, dn] = [pick(3) === 0 ? 0 : 2 + pick(6) * 0.5, pick(3) === 0 ? 0 : 2 + pick(6) * 0.5]
    if (shape === 7) [up, dn] = [0, 0] // marubozu
    out.open[i] = open
    out.close[i] = close
    out.high[i] = Math.max(open, close) + up
    out.low[i] = Math.min(open, close) - dn
    prev = close
    if (prev < 20) prev += 30
  }
  return out
}

function talibRun(name: string, d: Ohlc, penetration: number | undefined): number[] {
  const n = d.open.length
  const args: Record<string, unknown> = {
    name: name.toUpperCase(),
    startIdx: 0,
    endIdx: n - 1,
    open: Array.from(d.open),
    high: Array.from(d.high),
    low: Array.from(d.low),
    close: Array.from(d.close),
  }
  if (penetration !== undefined) args.optInPenetration = penetration
  const r = talib.execute(args)
  const full = new Array<number>(n).fill(NaN)
  const vals = r.result.outInteger ?? []
  for (let i = 0; i < r.nbElement; i++) full[r.begIndex + i] = vals[i]!
  return full
}

/**
 * Hand-made bars [open, high, low, close] relative to the close before the template, for patterns too specific for the
 * random shapes; {@link plantedSeries} plants each between stretches of random bars.
 */
const TEMPLATES: Record<string, readonly (readonly [number, number, number, number])[]> = {
  // long white, black body gapping up, black opening in it and closing into the first body
  twoCrows: [
    [0, 4.5, -0.5, 4],
    [6, 6.25, 4.75, 5],
    [5.5, 5.75, 1.75, 2],
  ],
  // long black with a long lower shadow, a smaller black inside its range, a small black marubozu inside that
  threeStarsInSouth: [
    [10, 10.25, -3, 4],
    [7, 7.25, 0, 4.5],
    [3, 3, 2.5, 2.5],
  ],
  // long white, a small black gapping up, a black opening above it and closing lower, still above the first
  upsideGap2Crows: [
    [0, 4.25, -0.25, 4],
    [5.5, 5.75, 4.75, 5],
    [6, 6.25, 4.25, 4.5],
  ],
  // long black, a black gapping down, two lower bars, a white closing into the gap (mirrored: the bearish one)
  breakaway: [
    [0, 0.25, -6.25, -6],
    [-7, -6.75, -8.25, -8],
    [-8.25, -7, -9.25, -9],
    [-9.25, -9, -10.25, -10],
    [-10, -6.25, -10.25, -6.5],
  ],
  // two black marubozu, a black gapping down with an upper shadow into the second, a black engulfing its range
  concealBabySwallow: [
    [0, 0, -4, -4],
    [-4.25, -4.25, -8, -8],
    [-8.5, -7.5, -9.75, -9.5],
    [-7.25, -7, -10.75, -10.5],
  ],
  // long white, a small black gapping up, two small candles holding in the upper half, a white breakout
  matHold: [
    [0, 6.25, -0.25, 6],
    [7.5, 7.75, 6.75, 7],
    [6.5, 6.75, 5.5, 5.75],
    [6, 6.25, 5.25, 5.5],
    [5.75, 9.25, 5.5, 9],
  ],
  // long white, three small black candles falling inside its range, a long white closing above it (mirrored: falling)
  riseFall3Methods: [
    [0, 6.25, -0.25, 6],
    [5.5, 5.75, 4.75, 5],
    [5, 5.25, 4.25, 4.5],
    [4.5, 4.75, 3.75, 4],
    [4.25, 10.25, 4, 10],
  ],
}

/** Templates planted mirrored too (prices negated about the base: the pattern's other direction). */
const MIRRORED = new Set(['breakaway', 'riseFall3Methods'])

/** Random bars with every template planted, many times over, each after 12 to 30 random bars. */
function plantedSeries(seed: number, rounds: number): Ohlc {
  const names = Object.keys(TEMPLATES).flatMap((k) => (MIRRORED.has(k) ? [k, `-${k}`] : [k]))
  const random = patternRichSeries(seed, rounds * names.length * 40)
  const cols: number[][] = [[], [], [], []]
  let r = 0
  let shift = 0
  const take = (o: number, h: number, l: number, c: number): void => {
    cols[0]!.push(o)
    cols[1]!.push(h)
    cols[2]!.push(l)
    cols[3]!.push(c)
  }
  for (let k = 0; k < rounds * names.length; k++) {
    for (let j = 0; j < 12 + ((k * 7) % 19); j++, r++) {
      take(random.open[r]! + shift, random.high[r]! + shift, random.low[r]! + shift, random.close[r]! + shift)
    }
    const base = cols[3]![cols[3]!.length - 1]!
    const name = names[k % names.length]!
    const m = name.startsWith('-') ? -1 : 1
    for (const [o, h, l, c] of TEMPLATES[name.replace('-', '')]!) {
      if (m > 0) take(base + o, base + h, base + l, base + c)
      else take(base - o, base - l, base - h, base - c)
    }
    // the random bars continue from where the template ended
    shift = cols[3]![cols[3]!.length - 1]! - random.close[r - 1]!
  }
  const f = (i: number) => Float64Array.from(cols[i]!)
  return { open: f(0), high: f(1), low: f(2), close: f(3) }
}

const SERIES = [...[1, 2, 3, 4].map((seed) => patternRichSeries(seed, 4000)), plantedSeries(5, 20)]

/** Patterns TA-Lib defines with one sign only (all others fire in both directions on these series). */
const ONE_SIGN: Record<string, number> = {
  cdldoji: 100,
  cdlhammer: 100,
  cdlhangingman: -100,
  cdlshootingstar: -100,
  cdlinvertedhammer: 100,
  cdlmorningstar: 100,
  cdleveningstar: -100,
  cdl3whitesoldiers: 100,
  cdl3blackcrows: -100,
  cdlpiercing: 100,
  cdldarkcloudcover: -100,
  cdldragonflydoji: 100,
  cdlgravestonedoji: 100,
  cdllongleggeddoji: 100,
  cdlmorningdojistar: 100,
  cdleveningdojistar: -100,
  cdlrickshawman: 100,
  cdltakuri: 100,
  cdlhomingpigeon: 100,
  cdlinneck: -100,
  cdlonneck: -100,
  cdlthrusting: -100,
  cdlmatchinglow: 100,
  cdl2crows: -100,
  cdl3starsinsouth: 100,
  cdladvanceblock: -100,
  cdlidentical3crows: -100,
  cdlstalledpattern: -100,
  cdlsticksandwich: 100,
  cdlunique3river: 100,
  cdlupsidegap2crows: -100,
  cdlconcealbabyswall: 100,
  cdlladderbottom: 100,
  cdlmathold: 100,
}

describe('candlestick patterns on seeded pattern-rich series', () => {
  for (const pattern of CANDLE_PATTERNS) {
    const def = defineCandle(pattern)
    it(`${pattern.name} equals TA-Lib at every bar and fires`, () => {
      const seen = new Set<number>()
      for (const pen of pattern.penetration === undefined ? [undefined] : [pattern.penetration, 0, 1]) {
        for (const d of SERIES) {
          const want = talibRun(pattern.name, d, pen)
          const got = def.compute(d, pen === undefined ? [] : [pen])[0]!
          for (let i = 0; i < want.length; i++) {
            if (!Object.is(got[i], want[i]))
              assert.fail(`${pattern.name}(${pen ?? ''})[${i}]: ${got[i]} vs TA-Lib ${want[i]}`)
            if (pen === pattern.penetration && want[i]! !== 0 && !Number.isNaN(want[i])) seen.add(Math.sign(want[i]!))
          }
        }
      }
      const wantSigns = ONE_SIGN[pattern.name] === undefined ? [-1, 1] : [Math.sign(ONE_SIGN[pattern.name]!)]
      assert.deepEqual([...seen].sort(), wantSigns, `${pattern.name} fires with signs ${wantSigns}`)
    })
    it(`${pattern.name} streams the batch output at every bar, also after a replaced bar`, () => {
      const d = SERIES[0]!
      const batch = def.compute(d, [])[0]!
      const s = def.stream([])
      for (let i = 0; i < d.open.length; i++) {
        const bar = { open: d.open[i]!, high: d.high[i]!, low: d.low[i]!, close: d.close[i]!, volume: 0, time: i }
        if (i % 5 === 2) s.update({ ...bar, open: bar.low, close: bar.high })
        const v = s.update(bar, i % 5 === 2)
        if (i < def.lookback([])) assert.equal(v, undefined)
        else assert.equal(v?.[0], batch[i], `${pattern.name} stream at ${i}`)
      }
    })
  }
})
