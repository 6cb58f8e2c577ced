import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import { EventBus } from '../core/index.ts'
import type { ScannerAlert } from '../strategy/index.ts'
import { runScan } from './scan.ts'

const example = resolve(new URL('../../examples/scan.yaml', import.meta.url).pathname)

describe('runScan', () => {
  it('publishes exactly the layer-2 alerts on alert.scanner.<name>, in output order, and is deterministic', async () => {
    const bus = new EventBus({ historySize: 0 })
    const seen: { topic: string; alert: ScannerAlert }[] = []
    bus.subscribe<ScannerAlert>('alert.>', (alert, topic) => seen.push({ topic, alert }))
    const r = await runScan({ config: example, env: {}, bus })
    assert.deepEqual(
      seen.map((s) => s.alert),
      r.layer2,
    )
    for (const s of seen) assert.equal(s.topic, `alert.scanner.${s.alert.scanner}`)
    assert.deepEqual(
      r.universe.map((u) => u.instrumentId),
      ['SPY.SIM', 'BAC.SIM', 'IBM.SIM'],
    )
    const again = await runScan({ config: example, env: {} })
    assert.deepEqual(JSON.stringify(again.layer1), JSON.stringify(r.layer1))
    assert.deepEqual(JSON.stringify(again.layer1_5), JSON.stringify(r.layer1_5))
  })
})
