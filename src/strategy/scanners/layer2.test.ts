import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBus, Rng, isKestrelError, type CatalystSource, type NewsItem } from '../../core/index.ts'
import { CatalystOrchestrator, newsCatalystScanner, type CatalystContext } from './catalyst.ts'
import { correlationBreakScanner, sectorRotationScanner } from './intermarket.ts'
import { synthBars, T0 } from './testing.ts'
import type { ScannerAlert } from './types.ts'

const MIN = 60_000

const memorySource = (items: NewsItem[]): CatalystSource => ({
  name: 'memory',
  async *read(from, to) {
    for (const i of items) if (i.time >= from && i.time < to) yield i
  },
})
const series = [synthBars('AAA.SIM', new Array(60).fill(10)), synthBars('BBB.SIM', new Array(60).fill(20))]
const l1 = (instrumentId: string, minute: number, score: number): ScannerAlert => ({
  time: T0 + minute * MIN,
  instrumentId,
  scanner: 'unusual-volume',
  score,
  details: {},
})
const ctx = (layer1: ScannerAlert[], s = series): CatalystContext => ({
  series: s,
  layer1,
  from: T0,
  to: T0 + 60 * MIN,
})

describe('layer-2 catalyst orchestrator', () => {
  it('publishes news alerts on alert.scanner.news in time order, confirmed ones at the confirming alert', async () => {
    const items: NewsItem[] = [
      { id: 'n1', time: T0 + 5 * MIN, symbols: ['AAA'], headline: 'AAA beats', source: 'wire', sentiment: 0.6 },
      {
        id: 'n2',
        time: T0 + 2 * MIN,
        symbols: ['BBB.SIM', 'ZZZ'],
        headline: 'BBB guides down',
        source: 'wire',
        sentiment: -0.4,
      },
      { id: 'n3', time: T0 + 70 * MIN, symbols: ['AAA'], headline: 'outside the span', source: 'wire' },
    ]
    const bus = new EventBus()
    const seen: [string, ScannerAlert][] = []
    bus.subscribe<ScannerAlert>('alert.scanner.>', (a, t) => seen.push([t, a]))
    const orch = new CatalystOrchestrator(bus, [
      newsCatalystScanner(memorySource(items), { confirmWindowMs: 10 * MIN }),
    ])
    // AAA's volume alert 3 minutes after its news confirms it; BBB's alert comes before its news and does not
    const out = await orch.run(ctx([l1('AAA.SIM', 8, 0.5), l1('BBB.SIM', 1, 0.9)]))
    assert.deepEqual(
      out.map((a) => [a.instrumentId, (a.time - T0) / MIN, a.score, a.details.confirmedBy]),
      [
        ['BBB.SIM', 2, 0.4, null],
        ['AAA.SIM', 8, 1 - 0.4 * 0.5, 'unusual-volume'],
      ],
    )
    assert.deepEqual(
      seen.map(([t]) => t),
      ['alert.scanner.news', 'alert.scanner.news'],
    )
    assert.deepEqual(
      seen.map(([, a]) => a),
      out,
    )
  })

  it('requireConfirmation drops unconfirmed items; a duplicate scanner name is refused', async () => {
    const items: NewsItem[] = [{ id: 'n1', time: T0 + 5 * MIN, symbols: ['AAA'], headline: 'x', source: 's' }]
    const s = newsCatalystScanner(memorySource(items), { requireConfirmation: true })
    assert.deepEqual(await s.scan(ctx([])), [])
    assert.throws(
      () => new CatalystOrchestrator(new EventBus(), [s, s]),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})

/** A seeded random walk of n log returns with σ = 0.001. */
function walk(n: number, seed: number, drift: (i: number) => number = () => 0): number[] {
  const r = new Rng(seed)
  let p = 100
  return Array.from({ length: n }, (_, i) => (p *= Math.exp(0.001 * r.normal() + drift(i))))
}

describe('layer-2 inter-market scanners', () => {
  it('sector rotation: flags the members when their sector turns from weak to strong against the benchmark', () => {
    const n = 200
    const bench = walk(n, 1)
    // members track the benchmark, lagging by 0.0005 per step until step 100, leading by as much afterwards
    const member = (seed: number) => {
      const r = new Rng(seed)
      let p = 50
      return bench.map((b, i) => {
        if (i > 0) p *= (b / bench[i - 1]!) * Math.exp((i <= 100 ? -0.0005 : 0.0005) + 0.0002 * r.normal())
        return p
      })
    }
    const s = [synthBars('SPY.SIM', bench), synthBars('XLK1.SIM', member(3)), synthBars('XLK2.SIM', member(4))]
    const scanner = sectorRotationScanner({ benchmark: 'SPY', sectors: { tech: ['XLK1', 'XLK2.SIM'] }, lookback: 20 })
    const out = scanner.scan({ series: s, layer1: [], from: T0, to: T0 + n * MIN }) as ScannerAlert[]
    assert.deepEqual(
      out.map((a) => [a.instrumentId, a.details.direction, a.details.sector]),
      [
        ['XLK1.SIM', 'into', 'tech'],
        ['XLK2.SIM', 'into', 'tech'],
      ],
    )
    const step = (out[0]!.time - T0) / MIN - 1
    assert.ok(step > 100 && step <= 120, `rotation at step ${step}`)
    assert.ok((out[0]!.details.units as number) > 1)
    // causal: cut before that step, no alert
    const cut = s.map((x) => synthBars(x.instrumentId, Array.from(x.close.subarray(0, step))))
    assert.deepEqual(scanner.scan({ series: cut, layer1: [], from: T0, to: T0 + n * MIN }), [])
  })

  it('correlation break: flags both markets once when their returns stop moving together', () => {
    const n = 400
    const ra = new Rng(5)
    const rb = new Rng(6)
    const a: number[] = []
    const b: number[] = []
    let pa = 100
    let pb = 100
    for (let i = 0; i < n; i++) {
      const x = 0.001 * ra.normal()
      const y = 0.001 * rb.normal()
      pa *= Math.exp(x)
      pb *= Math.exp(i < 300 ? x + 0.2 * y : y)
      a.push(pa)
      b.push(pb)
    }
    const s = [synthBars('ES.SIM', a), synthBars('NQ.SIM', b)]
    const out = correlationBreakScanner({ a: 'ES', b: 'NQ', window: 20, baseline: 200, threshold: 0.5 }).scan({
      series: s,
      layer1: [],
      from: T0,
      to: T0 + n * MIN,
    }) as ScannerAlert[]
    assert.deepEqual(
      out.map((x) => [x.instrumentId, x.details.other]),
      [
        ['ES.SIM', 'NQ.SIM'],
        ['NQ.SIM', 'ES.SIM'],
      ],
    )
    const step = (out[0]!.time - T0) / MIN - 1
    assert.ok(step > 300 && step < 320, `break at step ${step}`)
    assert.ok((out[0]!.details.baseline as number) - (out[0]!.details.correlation as number) >= 0.5)
  })
})
