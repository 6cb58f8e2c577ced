import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WallClock, barAt, makeInstrument, type Bar } from '../core/index.ts'
import { SimulatedExchange } from '../execution/index.ts'
import { smaCross, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { LiveRunner, type DataClient } from './live-runner.ts'
import { randomBars } from './testing.ts'

const inst = makeInstrument({ symbol: 'LIVE', venue: 'PAPER', assetClass: 'equity' })

/** A data client that replays bars asynchronously, one per macrotask, as a socket would. */
class ReplayClient implements DataClient {
  readonly name = 'replay'
  private handler: ((b: Bar) => void) | undefined
  constructor(
    private readonly bars: Bar[],
    private readonly onTime: (t: number) => void,
  ) {}
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  subscribeBars(_id: string, _tf: string, h: (b: Bar) => void): void {
    this.handler = h
  }
  async play(): Promise<void> {
    for (const b of this.bars) {
      await new Promise((r) => setImmediate(r))
      this.onTime(b.closeTime)
      this.handler!(b)
    }
  }
}

describe('live runner', () => {
  it('runs the same strategy code to the same fills as the backtest (paper venue)', async () => {
    const series = randomBars(5, 400, inst.id)
    const params = { fast: 5, slow: 20, size: 3 }
    const bt = await runBacktest({
      instruments: [inst],
      feeds: [{ instrumentId: inst.id, timeframe: '1m', data: series }],
      strategies: [{ definition: smaCross as unknown as StrategyDefinition, params }],
      account: { cash: 100_000 },
      fees: { type: 'percent', takerRate: 0.001 },
    })
    let now = 0
    const clock = new WallClock(() => now)
    const runnerRef: { r?: LiveRunner } = {}
    const paper = new SimulatedExchange({
      venue: 'PAPER',
      now: () => clock.now(),
      account: {
        canAfford: (id, side, q, p, fee) => runnerRef.r!.kernel.portfolio.canAfford(id, side, q, p, fee),
        strategyPosition: (sid, id) => runnerRef.r!.kernel.portfolio.tracker(sid, id).position.quantity,
        belowMaintenance: () => false,
        openPositions: () => [],
      },
      fees: { name: 'pct', fee: (x) => x.quantity * x.price * 0.001 },
    })
    paper.addInstrument(inst)
    const bars = Array.from({ length: 400 }, (_, i) => barAt(series, i))
    const client = new ReplayClient(bars, (t) => (now = t))
    const live = new LiveRunner({
      clock,
      instruments: [inst],
      venues: [paper],
      account: { cash: 100_000 },
      strategies: [{ definition: smaCross as unknown as StrategyDefinition, params }],
      subscriptions: [{ client, instrumentId: inst.id, kind: 'bars', timeframe: '1m' }],
    })
    runnerRef.r = live
    await live.start()
    await client.play()
    const res = await live.stop()
    assert.ok(bt.fills.length > 5)
    assert.deepEqual(
      res.fills,
      bt.fills.map((f) => ({
        ...f,
        fillId: f.fillId.replace('SIM', 'PAPER'),
        venueOrderId: f.venueOrderId?.replace('SIM', 'PAPER'),
      })),
    )
    assert.equal(res.finalEquity, bt.finalEquity)
  })
})
