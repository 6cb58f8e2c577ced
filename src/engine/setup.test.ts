import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { writeBarsFile } from '../data/index.ts'
import { buyAndHold, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { loadCsvBars } from './setup.ts'
import { randomBars } from './testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-setup-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('loading bar files for a backtest', () => {
  it('inspects a Parquet file as the import does and carries its quarantine into the run', async () => {
    const s = randomBars(4, 30, 'PQ.SIM')
    s.close[12] = -s.close[12]!
    const file = join(dir, 'PQ_1m.parquet')
    async function* one() {
      yield s
    }
    await writeBarsFile(one(), file, 'parquet')
    const l = await loadCsvBars(file)
    assert.equal(l.instrument.id, 'PQ.SIM')
    assert.equal(l.series.openTime.length, 29)
    assert.deepEqual(
      l.quarantine.map((q) => [q.reason, q.field, q.timestamp]),
      [['NON_POSITIVE_PRICE', 'close', 12 * 60_000]],
    )
    const r = await runBacktest({
      instruments: [l.instrument],
      feeds: [l.feed],
      strategies: [{ definition: buyAndHold as unknown as StrategyDefinition, params: { size: 1 } }],
      account: { cash: 10_000 },
    })
    assert.equal(r.stats.bars, 29)
    assert.deepEqual(
      r.data.map((d) => [d.source, d.rowsIn, d.rowsAccepted, d.quarantine.length]),
      [[file, 30, 29, 1]],
    )
  })
})
