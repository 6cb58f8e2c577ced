import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { EventBus, topic, topicMatches } from './bus.ts'

describe('EventBus', () => {
  it('delivers to exact, * and > subscribers in subscription order', () => {
    const bus = new EventBus()
    const seen: string[] = []
    bus.subscribe('order.filled', () => seen.push('exact'))
    bus.subscribe('order.*', () => seen.push('star'))
    bus.subscribe('>', () => seen.push('all'))
    bus.subscribe('data.>', () => seen.push('data'))
    bus.publish('order.filled', 1)
    assert.deepEqual(seen, ['exact', 'star', 'all'])
  })

  it('matches > only with at least one more segment', () => {
    assert.equal(topicMatches('data.>', 'data'), false)
    assert.equal(topicMatches('data.>', 'data.bar.AAPL.1m'), true)
    assert.equal(topicMatches('data.*.AAPL', 'data.bar.AAPL'), true)
    assert.equal(topicMatches('data.*', 'data.bar.AAPL'), false)
  })

  it('agrees with a reference matcher on random topics', () => {
    const seg = fc.constantFrom('a', 'b', 'c')
    fc.assert(
      fc.property(
        fc.array(seg, { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom('a', 'b', '*', '>'), { minLength: 1, maxLength: 4 }),
        (t, p) => {
          const re = new RegExp(
            '^' +
              p
                .map((s, i) => (s === '*' ? '[^.]+' : s === '>' ? (i === p.length - 1 ? '.+' : '(?!)') : s))
                .join('\\.') +
              '$',
          )
          assert.equal(topicMatches(p.join('.'), t.join('.')), re.test(t.join('.')))
        },
      ),
    )
  })

  it('typed topics carry their payload type and unsubscribe works', () => {
    const bus = new EventBus()
    const Fills = topic<{ qty: number }>('order.filled')
    let total = 0
    const off = bus.subscribe(Fills, (f) => (total += f.qty))
    bus.publish(Fills, { qty: 2 })
    off()
    bus.publish(Fills, { qty: 5 })
    assert.equal(total, 2)
  })

  it('keeps a bounded history and replays it', () => {
    const bus = new EventBus({ historySize: 3 })
    for (let i = 1; i <= 5; i++) bus.publish(`t.${i % 2 ? 'odd' : 'even'}`, i)
    assert.deepEqual(
      bus.history().map((e) => e.payload),
      [3, 4, 5],
    )
    const got: number[] = []
    assert.equal(
      bus.replay<number>('t.odd', (p) => got.push(p)),
      2,
    )
    assert.deepEqual(got, [3, 5])
  })

  it('runs async subscribers serially in publish order and drains', async () => {
    const bus = new EventBus()
    const out: number[] = []
    bus.subscribeAsync<number>('x', async (n) => {
      await new Promise((r) => setTimeout(r, 5 - n))
      out.push(n)
    })
    for (let i = 0; i < 5; i++) bus.publish('x', i)
    await bus.drain()
    assert.deepEqual(out, [0, 1, 2, 3, 4])
  })

  it('rethrows a handler error by default (fail fast)', () => {
    const bus = new EventBus()
    bus.subscribe('x', () => {
      throw new Error('boom')
    })
    assert.throws(() => bus.publish('x', 1), /boom/)
  })
})

describe('the strategies’ view of the bus', () => {
  it('subscribes to anything but publishes only on signal.> and alert.>, with no way back to the bus', async () => {
    const { strategyBus, EventBus: Bus } = await import('./bus.ts')
    const bus = new Bus()
    const got: string[] = []
    const sb = strategyBus(bus)
    sb.subscribe('>', (_p, t) => got.push(t))
    sb.publish('signal.momentum.AAPL', 1)
    sb.publish('alert.scanner', 2)
    for (const t of ['order.canceled', 'risk.kill', 'position.changed', 'signal', 'signal.*', 'signals.x', 'alert..x'])
      assert.throws(() => sb.publish(t, {}), { code: 'PARAM_INVALID' }, t)
    bus.publish('order.filled', 3)
    assert.deepEqual(got, ['signal.momentum.AAPL', 'alert.scanner', 'order.filled'])
    assert.ok(Object.isFrozen(sb))
    assert.ok(!Object.values(sb).some((v) => v === bus))
    const h = sb.history()
    ;(h[0] as { payload: unknown }).payload = 'changed'
    assert.equal(bus.history()[0]!.payload, 1, 'history entries are copies')
  })
})
