import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { EventBus, isKestrelError } from '../../core/index.ts'
import { FeatureRequestQueue } from './feature-queue.ts'
import type { ScannerAlert } from './types.ts'

const a = (instrumentId: string, scanner: string, score: number, time = 0): ScannerAlert => ({
  time,
  instrumentId,
  scanner,
  score,
  details: {},
})
const features = { 'unusual-volume': ['vwap', 'rvol(20)'], breakout: ['atr(14)'], news: ['sentiment'] }

describe('feature request queue', () => {
  it('hands out batches by priority, one request per instrument with the union of its specs', () => {
    const q = new FeatureRequestQueue({ batchSize: 2, features })
    q.pushAll([
      a('A', 'unusual-volume', 0.6, 1),
      a('B', 'breakout', 0.9, 2),
      a('C', 'news', 0.6, 0),
      a('A', 'breakout', 0.7, 3),
      a('D', 'momentum-shift', 1, 0), // no specs for it: not queued
    ])
    assert.equal(q.size, 3)
    assert.deepEqual(q.nextBatch(), [
      { instrumentId: 'B', features: ['atr(14)'], priority: 0.9, time: 2, scanners: ['breakout'] },
      {
        instrumentId: 'A',
        features: ['atr(14)', 'rvol(20)', 'vwap'],
        priority: 0.7,
        time: 1,
        scanners: ['breakout', 'unusual-volume'],
      },
    ])
    assert.deepEqual(
      q.nextBatch().map((r) => r.instrumentId),
      ['C'],
    )
    assert.deepEqual(q.nextBatch(), [])
    // an instrument served once is queued again by a new alert
    q.push(a('B', 'news', 0.1, 9))
    assert.deepEqual(
      [...q.drain()].map((b) => b.map((r) => [r.instrumentId, r.features])),
      [[['B', ['sentiment']]]],
    )
  })

  it('breaks priority ties by the earlier alert, then the instrument; applies minScore and defaultFeatures', () => {
    const q = new FeatureRequestQueue({ batchSize: 10, features: {}, defaultFeatures: ['rsi(14)'], minScore: 0.2 })
    q.pushAll([a('Z', 'x', 0.5, 1), a('Y', 'x', 0.5, 1), a('X', 'x', 0.5, 0), a('W', 'x', 0.1, 0)])
    assert.deepEqual(
      q.nextBatch().map((r) => r.instrumentId),
      ['X', 'Y', 'Z'],
    )
    assert.throws(
      () => new FeatureRequestQueue({ batchSize: 0, features }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })

  it('listens on the bus: alerts published under alert.scanner.> are queued until it stops listening', () => {
    const bus = new EventBus({ historySize: 0 })
    const q = new FeatureRequestQueue({ batchSize: 5, features })
    const stop = q.listen(bus)
    bus.publish('alert.scanner.news', a('A', 'news', 0.4))
    bus.publish('alert.other.news', a('B', 'news', 0.9))
    stop()
    bus.publish('alert.scanner.news', a('C', 'news', 0.9))
    assert.deepEqual(
      q.nextBatch().map((r) => [r.instrumentId, r.features]),
      [['A', ['sentiment']]],
    )
  })

  it('drains every flagged instrument exactly once, in batches no larger than the size, priorities not rising', () => {
    const alert = fc.record({
      instrumentId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      scanner: fc.constantFrom('unusual-volume', 'breakout', 'news'),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      time: fc.integer({ min: 0, max: 100 }),
    })
    fc.assert(
      fc.property(fc.array(alert, { maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (alerts, size) => {
        const q = new FeatureRequestQueue({ batchSize: size, features })
        q.pushAll(alerts.map((x) => ({ ...x, details: {} })))
        const batches = [...q.drain()]
        const flat = batches.flat()
        assert.ok(batches.every((b) => b.length >= 1 && b.length <= size))
        assert.deepEqual(flat.map((r) => r.instrumentId).sort(), [...new Set(alerts.map((x) => x.instrumentId))].sort())
        for (let i = 1; i < flat.length; i++) assert.ok(flat[i]!.priority <= flat[i - 1]!.priority)
        for (const r of flat)
          assert.equal(
            r.priority,
            Math.max(...alerts.filter((x) => x.instrumentId === r.instrumentId).map((x) => x.score)),
          )
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})
