import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../cli/testing.ts'
import { EventBus } from '../core/index.ts'
import type { ScannerAlert } from '../strategy/index.ts'
import { runScan } from './scan.ts'

const example = resolve(new URL('../../examples/scan.yaml', import.meta.url).pathname)
const bundled = resolve(new URL('../../data/bundled', import.meta.url).pathname)
const dir = mkdtempSync(join(tmpdir(), 'kestrel-scan-app-'))
after(() => rmSync(dir, { recursive: true, force: true }))

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

  it('scans stored series as it scans their files', async () => {
    const db = join(dir, 'k.duckdb')
    const imp = await runCliCaptured([
      'data',
      'import',
      `${bundled}/SPY_1m.csv`,
      `${bundled}/IBM_1m.csv`,
      '--venue',
      'SIM',
      '--db',
      db,
    ])
    assert.equal(imp.code, 0, imp.err)
    const layers = readFileSync(example, 'utf8').split('\n  layer1:')[1]!
    const fromFiles = join(dir, 'files.yaml')
    writeFileSync(
      fromFiles,
      `scan:\n  data:\n    - file: ${bundled}/SPY_1m.csv\n    - file: ${bundled}/IBM_1m.csv\n  layer1:${layers}`.replace(
        /\n {2}layer2:[\s\S]*$/,
        '\n',
      ),
    )
    const fromStore = join(dir, 'store.yaml')
    writeFileSync(
      fromStore,
      `scan:\n  data:\n    - { store: k.duckdb, symbol: SPY }\n    - { store: k.duckdb, symbol: IBM }\n  layer1:${layers}`.replace(
        /\n {2}layer2:[\s\S]*$/,
        '\n',
      ),
    )
    const a = await runScan({ config: fromFiles, env: {} })
    const b = await runScan({ config: fromStore, env: {} })
    assert.ok(a.layer1.length > 10)
    assert.deepEqual(b.layer1, a.layer1)
    assert.deepEqual(b.layer1_5, a.layer1_5)
  })
})
