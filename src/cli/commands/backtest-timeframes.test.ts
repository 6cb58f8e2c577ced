/**
 * `kestrel backtest --config` with SPY at 1m (five bars a session, 2024-01-02..04) and at 1d (closes 200, 210,
 * a quarantined day, 230): one instrument, two feeds, each named in the report; a strategy listing both
 * timeframes sees each day's close from the next session on; fills and equity equal the 1m feed's alone.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-bt-timeframes-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

const minute = ['timestamp,open,high,low,close,volume']
;['2024-01-02', '2024-01-03', '2024-01-04'].forEach((d, k) => {
  for (let i = 0; i < 5; i++) {
    const c = 100 + k * 10 + i
    minute.push(`${d}T14:3${i}:00Z,${c},${c + 0.5},${c - 0.5},${c},1000`)
  }
})
writeFileSync(join(dir, 'SPY_1m.csv'), minute.join('\n') + '\n')
// Line 4 (2024-01-04) closes at -5: quarantined.
writeFileSync(
  join(dir, 'SPY_1d.csv'),
  'timestamp,open,high,low,close,volume\n2024-01-02,190,205,185,200,1e5\n2024-01-03,200,215,195,210,1e5\n' +
    '2024-01-04,210,225,205,-5,1e5\n2024-01-05,220,235,215,230,1e5\n',
)
// Buys (last completed day's close / 10) shares at the first 1m bar that sees a new daily close.
writeFileSync(
  join(dir, 'echo.ts'),
  `import { defineStrategy, z } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'index.ts'))}
export default defineStrategy({
  name: 'daily-echo',
  params: z.object({}),
  create(ctx) {
    let last = NaN
    return {
      onBar(bar) {
        if (bar.timeframe !== '1m') return
        const d = ctx.history(bar.instrumentId, '1d', 1)
        const c = d.close.length > 0 ? d.close[d.close.length - 1] : NaN
        if (!(c > 0) || c === last) return
        last = c
        ctx.submit(ctx.orders.market(bar.instrumentId, 'BUY', c / 10))
      },
    }
  },
})
`,
)
const MINUTE = '{ file: SPY_1m.csv }'
const DAILY = '{ file: SPY_1d.csv, timeframe: 1d }'
function config(name: string, strategy: string, data: readonly string[]): string {
  const path = join(dir, name)
  writeFileSync(
    path,
    `strategies: [${strategy}]\naccount: { cash: 10000 }\nbacktest:\n  data:\n${data.map((d) => `    - ${d}\n`).join('')}`,
  )
  return path
}
const HOLD = '{ use: buy-and-hold, params: { size: 10 } }'

describe('backtest --config: one instrument at two timeframes', () => {
  it('runs on both feeds, names each in the report, and fills as on the 1m feed alone', async () => {
    const report = join(dir, 'two.html')
    const r = await run([
      'backtest',
      '--config',
      config('two.yaml', HOLD, [MINUTE, DAILY]),
      '--json',
      '--report',
      report,
    ])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.equal(d.title, 'buy-and-hold on SPY')
    assert.deepEqual(
      d.instruments.map((i: { id: string }) => i.id),
      ['SPY.SIM'],
    )
    assert.deepEqual(
      d.settings.data.map((s: Record<string, unknown>) => [s.timeframe, s.bars, s.from, s.to]),
      [
        ['1m', 15, '2024-01-02 09:30', '2024-01-04 09:34'],
        ['1d', 3, '2024-01-02', '2024-01-05'],
      ],
    )
    assert.deepEqual(
      d.quarantine.map((q: Record<string, unknown>) => [q.source, q.line, q.reason]),
      [[join(dir, 'SPY_1d.csv'), 4, 'NON_POSITIVE_PRICE']],
    )
    assert.match(readFileSync(report, 'utf8'), /SPY\.SIM 1m, SPY\.SIM 1d/)
    const alone = JSON.parse((await run(['backtest', '--config', config('one.yaml', HOLD, [MINUTE]), '--json'])).out)
    assert.deepEqual(d.fills, alone.fills)
    assert.equal(d.fills.length, 1)
    assert.deepEqual(d.equity, alone.equity)
    assert.equal(d.finalEquity, alone.finalEquity)
    assert.equal(d.periodsPerYear, alone.periodsPerYear)
  })

  it('shows a strategy with timeframes [1m, 1d] the last completed day, never the day in progress', async () => {
    const strategy = '{ use: ./echo.ts, params: {}, timeframes: [1m, 1d] }'
    const r = await run(['backtest', '--config', config('echo.yaml', strategy, [MINUTE, DAILY]), '--json'])
    assert.equal(r.code, 0, r.err)
    // Day 1 has no completed day; 2024-01-02 (200) is seen from 2024-01-03, 2024-01-03 (210) from 2024-01-04;
    // each order fills at the open of the next 1m bar (opening 14:31).
    assert.deepEqual(
      JSON.parse(r.out).fills.map((f: Record<string, unknown>) => [f.time, f.quantity, f.price]),
      [
        ['2024-01-03T14:31:00Z', 20, 111],
        ['2024-01-04T14:31:00Z', 21, 121],
      ],
    )
  })

  it('refuses a run whose 1d feed has too few good bars, listing both feeds', async () => {
    const r = await run([
      'backtest',
      '--config',
      config('min.yaml', HOLD, [MINUTE, DAILY]),
      '--json',
      '--min-bars',
      '5',
    ])
    assert.equal(r.code, 1)
    assert.match(r.err, /DATA_VALIDATION_FAILED.*SPY\.SIM 1d: 3 bars, .*at least 5/)
    const d = JSON.parse(r.out)
    assert.deepEqual(
      d.data.map((f: Record<string, unknown>) => [f.instrumentId, f.timeframe, f.rowsAccepted]),
      [
        ['SPY.SIM', '1m', 15],
        ['SPY.SIM', '1d', 3],
      ],
    )
  })

  it('refuses the same instrument twice at one timeframe, naming both entries', async () => {
    const r = await run([
      'backtest',
      '--config',
      config('dup.yaml', HOLD, [MINUTE, DAILY, `{ file: SPY_1m.csv, from: 2024-01-03 }`]),
    ])
    assert.equal(r.code, 1)
    assert.match(r.err, /CONFIG_INVALID.*backtest\.data\[2\]: SPY\.SIM 1m is given twice \(also backtest\.data\[0\]\)/)
  })
})
