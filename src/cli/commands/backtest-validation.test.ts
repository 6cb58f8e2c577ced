import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-backtest-validation-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the CLI in-process and captures the text it writes. */
const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10) + 'T00:00:00Z'

/** Flat bars at 10, with the given rows replaced (index → `open,high,low,close,volume`). */
function writeBars(name: string, n: number, bad: Record<number, string> = {}): string {
  const path = join(dir, name)
  const rows = Array.from({ length: n }, (_, i) => `${day(i)},${bad[i] ?? '10,10.5,9.5,10,1000'}`)
  writeFileSync(path, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`)
  return path
}

// Row 5 (line 7) closes at -5; the last row (line 13) has high 9 < low 11 and closes at 50: held to the end, it
// would value a position bought at 10 at 50.
const impossible = writeBars('TOY_1d.csv', 12, { 5: '10,10.5,9.5,-5,1000', 11: '10,9,11,50,1000' })

const hold = ['--strategy', 'buy-and-hold', '--size', '100', '--cash', '10000', '--fee-rate', '0']

describe('kestrel backtest validates its input', () => {
  it('quarantines a bar with high < low and one with a negative close, so their gain is gone', async () => {
    const r = await run(['backtest', '--data', impossible, ...hold, '--json'])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    // Bought 100 at the second bar's open (10), valued at the last good close (10): no gain, no loss.
    assert.equal(d.finalEquity, 10000)
    assert.equal(d.quarantinedRows, 2)
    assert.deepEqual(
      d.quarantine.map((q: Record<string, unknown>) => [q.source, q.line, q.field, q.reason]),
      [
        [impossible, 7, 'close', 'NON_POSITIVE_PRICE'],
        [impossible, 13, 'high', 'HIGH_BELOW_LOW'],
      ],
    )
    assert.match(d.quarantine[1].message, /high 9 < low 11/)
    assert.equal(d.quarantine[1].timestamp, day(11))
    assert.match(r.err, /2 rows quarantined/)
    assert.match(r.err, /line 7: close -5 is not > 0/)
    assert.match(r.err, /line 13: high 9 < low 11/)
  })

  it('quarantines the same rows when the file comes from a config', async () => {
    const cfg = join(dir, 'bt.yaml')
    writeFileSync(
      cfg,
      `strategies: [{ use: buy-and-hold, params: { size: 100 } }]\naccount: { cash: 10000 }\nbacktest:\n  data: [{ file: ${JSON.stringify(impossible)} }]\n`,
    )
    const r = await run(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.equal(d.finalEquity, 10000)
    assert.equal(d.quarantinedRows, 2)
    assert.deepEqual(
      d.quarantine.map((q: Record<string, unknown>) => q.line),
      [7, 13],
    )
  })

  it('refuses to run on a file with no good rows: exit 1 with the report', async () => {
    const none = writeBars('NONE_1d.csv', 3, { 0: '10,9,11,10,1000', 1: '-1,10,9,10,1000', 2: '10,9,11,10,1000' })
    const r = await run(['backtest', '--data', none, ...hold, '--json'])
    assert.equal(r.code, 1)
    assert.match(r.err, /DATA_VALIDATION_FAILED.*NONE\.SIM 1d: 0 bars passed validation/)
    assert.match(r.err, /3 rows quarantined/)
    assert.match(r.err, /line 3: open -1 is not > 0/)
    const d = JSON.parse(r.out)
    assert.equal(d.error.code, 'DATA_VALIDATION_FAILED')
    assert.equal(d.quarantinedRows, 3)
    assert.deepEqual(
      d.quarantine.map((q: Record<string, unknown>) => [q.line, q.reason]),
      [
        [2, 'HIGH_BELOW_LOW'],
        [3, 'NON_POSITIVE_PRICE'],
        [4, 'HIGH_BELOW_LOW'],
      ],
    )
    assert.equal(d.fills, undefined, 'no run, so no fills')
  })

  it('refuses to run when a stage-3 check fails (fewer bars than --min-bars)', async () => {
    const few = writeBars('FEW_1d.csv', 4, { 1: '10,9,11,10,1000' })
    const r = await run(['backtest', '--data', few, ...hold, '--min-bars', '5'])
    assert.equal(r.code, 1)
    assert.match(r.err, /DATA_VALIDATION_FAILED.*FEW\.SIM 1d: 3 bars, features need at least 5/)
    assert.match(r.err, /1 row quarantined/)
  })
})
