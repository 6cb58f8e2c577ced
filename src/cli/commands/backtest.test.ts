import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-backtest-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function run(argv: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/kestrel.mjs', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
    maxBuffer: 64 * 1024 * 1024, // the report of 23 years of daily bars, with its equity and returns series
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

// SMA(2) crosses above SMA(4) at the close of bar 4 and below at bar 7; a last cross up at bar 11 has no next bar.
const closes = [10, 10, 10, 10, 12, 14, 13, 11, 9, 9, 10, 12]
const csv = join(dir, 'TOY_1d.csv')
writeFileSync(
  csv,
  'timestamp,open,high,low,close,volume\n' +
    closes
      .map((c, i) => {
        const o = i === 0 ? c : closes[i - 1]! + 0.1
        const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)
        return `${day}T00:00:00Z,${o},${Math.max(o, c) + 0.5},${Math.min(o, c) - 0.5},${c},1000`
      })
      .join('\n') +
    '\n',
)

describe('kestrel backtest', () => {
  it('prints the contract JSON: fills at the next open with ISO times, fees, trades, final equity and metrics', () => {
    const r = run([
      'backtest',
      '--data',
      csv,
      '--strategy',
      'sma-cross',
      '--param',
      'fast=2',
      '--param',
      'slow=4',
      '--size',
      '10',
      '--fee-rate',
      '0.001',
      '--cash',
      '10000',
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.deepEqual(
      d.fills.map((f: Record<string, unknown>) => [f.time, f.side, f.quantity, f.price, f.fee]),
      [
        ['2024-01-06T00:00:00Z', 'BUY', 10, 12.1, 0.121],
        ['2024-01-09T00:00:00Z', 'SELL', 10, 11.1, 0.111],
      ],
    )
    assert.ok(Math.abs(d.finalEquity - 9989.768) < 1e-9)
    assert.equal(d.trades.length, 1)
    assert.equal(d.trades[0].side, 'LONG')
    assert.ok(Math.abs(d.trades[0].pnl - -10.232) < 1e-9)
    assert.equal(typeof d.metrics.sharpeRatio, 'number')
    assert.ok(Math.abs(d.metrics.totalReturn - (9989.768 / 10000 - 1)) < 1e-12)
  })

  it('runs what a config describes: two strategies, per-venue fees and a fill model', () => {
    const cfg = join(dir, 'bt.yaml')
    writeFileSync(
      cfg,
      `strategies:
  - { use: sma-cross, params: { fast: 5, slow: 20, size: 50 } }
  - { use: buy-and-hold, params: { size: 10 } }
account: { cash: 50000, type: margin, leverage: 2 }
backtest:
  data:
    - { file: ${JSON.stringify(join(process.cwd(), 'data/bundled/SPY_1m.csv'))}, venue: ARCA }
  venues:
    ARCA: { fees: { type: per-share, perShare: 0.005, minPerOrder: 1 } }
  fill: { spreadBps: 2, slippage: { type: percent, bps: 1 } }
`,
    )
    const r = run(['backtest', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    // Order ids carry no strategy names (engine-assigned, see order-ids.ts): each fill names its strategy.
    const ids = new Set(d.fills.map((f: { strategyId: string }) => f.strategyId))
    assert.ok(d.fills.every((f: { orderId: string }) => /^N1-S[12]-\d+$/.test(f.orderId)))
    assert.deepEqual([...ids].sort(), ['buy-and-hold', 'sma-cross'])
    assert.ok(d.fills.every((f: { fee: number }) => f.fee >= 1 - 1e-12))
  })

  it("loads a user's TypeScript strategy file and writes the tearsheet", () => {
    const html = join(dir, 'my.html')
    const r = run([
      'backtest',
      '--data',
      'data/bundled/SPY_1d.csv',
      '--strategy',
      './examples/my-strategy.ts',
      '--fee-rate',
      '0.0005',
      '--report',
      html,
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    const d = JSON.parse(r.out)
    assert.ok(d.fills.length > 4)
    assert.match(readFileSync(html, 'utf8'), /<html/i)
  })

  it('names the key path of a bad config value', () => {
    const cfg = join(dir, 'bad.yaml')
    writeFileSync(
      cfg,
      `strategies: [{ use: sma-cross }]\nbacktest:\n  data: [{ file: x.csv }]\n  fill: { participation: 2 }\n`,
    )
    const r = run(['backtest', '--config', cfg])
    assert.equal(r.code, 1)
    assert.match(r.err, /CONFIG_INVALID[^]*backtest\.fill\.participation \(line 4\)/)
  })

  it('exits 1 with the reason for an unknown strategy or a bad parameter', () => {
    const a = run(['backtest', '--data', csv, '--strategy', 'nope'])
    assert.equal(a.code, 1)
    assert.match(a.err, /STRATEGY_INVALID.*built-ins are sma-cross/)
    const b = run(['backtest', '--data', csv, '--strategy', 'sma-cross', '--param', 'fast=0'])
    assert.equal(b.code, 1)
    assert.match(b.err, /PARAM_INVALID.*fast/)
  })

  it('loads a strategy file from a folder outside the project, importing only from kestrel', () => {
    // The dir has no package.json (so Node would call a .ts file CommonJS) and no node_modules.
    const outside = mkdtempSync(join(tmpdir(), 'kestrel-user-'))
    try {
      writeFileSync(join(outside, 'mine.ts'), readFileSync('examples/my-strategy.ts', 'utf8'))
      const r = run(['backtest', '--data', 'data/bundled/SPY_1d.csv', '--strategy', join(outside, 'mine.ts'), '--json'])
      assert.equal(r.code, 0, r.err)
      assert.equal(JSON.parse(r.out).title, 'rsi-reversion on SPY')
      writeFileSync(join(outside, 'needs.ts'), "import { thing } from 'not-installed-pkg'\nexport default thing\n")
      const m = run(['backtest', '--data', csv, '--strategy', join(outside, 'needs.ts')])
      assert.equal(m.code, 1)
      assert.match(m.err, /STRATEGY_INVALID.*cannot load 'not-installed-pkg'.*npm install not-installed-pkg/)
      const n = run(['backtest', '--data', csv, '--strategy', join(outside, 'absent.ts')])
      assert.equal(n.code, 1)
      assert.match(n.err, /FILE_NOT_FOUND.*absent\.ts: no such file/)
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('refuses ETH-BTC on a USD account, runs it in BTC with --currency BTC, and in USD with an FX series', () => {
    // The toy closes in BTC (÷ 100); BTC costs 20 000 + 1 000·i USD at the close of day i.
    const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)
    const pair = join(dir, 'ETH-BTC_1d.csv')
    const rows = closes.map((c, i) => {
      const o = i === 0 ? c : closes[i - 1]! + 0.1
      return `${day(i)}T00:00:00Z,${o / 100},${(Math.max(o, c) + 0.5) / 100},${(Math.min(o, c) - 0.5) / 100},${c / 100},1000`
    })
    writeFileSync(pair, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`)
    const fx = join(dir, 'BTCUSD_1d.csv')
    const fxRows = closes.map(
      (_, i) =>
        `${day(i)}T00:00:00Z,${20_000 + 1_000 * i},${20_000 + 1_000 * i},${20_000 + 1_000 * i},${20_000 + 1_000 * i},1`,
    )
    writeFileSync(fx, `timestamp,open,high,low,close,volume\n${fxRows.join('\n')}\n`)
    const args = [
      'backtest',
      '--data',
      pair,
      '--param',
      'fast=2',
      '--param',
      'slow=4',
      '--size',
      '10',
      '--fee-rate',
      '0.001',
    ]

    const refused = run(args)
    assert.equal(refused.code, 1)
    assert.match(refused.err, /CURRENCY_MISMATCH.*ETH-BTC\.SIM is quoted in BTC, the account in USD.*--currency BTC/)

    const btc = JSON.parse(run([...args, '--currency', 'BTC', '--cash', '10', '--json']).out)
    assert.equal(btc.currency, 'BTC')
    assert.deepEqual(btc.instruments, [{ id: 'ETH-BTC.SIM', quoteCurrency: 'BTC' }])
    assert.deepEqual(
      btc.fills.map((f: { side: string; price: number }) => [f.side, f.price]),
      [
        ['BUY', 0.121],
        ['SELL', 0.111],
      ],
    )
    // 10 − 10·0.121·1.001 + 10·0.111·0.999
    assert.ok(Math.abs(btc.finalEquity - 9.89768) < 1e-9, String(btc.finalEquity))

    const usd = JSON.parse(run([...args, '--fx', `BTCUSD=${fx}`, '--json']).out)
    assert.equal(usd.currency, 'USD')
    assert.deepEqual(usd.instruments, [{ id: 'ETH-BTC.SIM', quoteCurrency: 'BTC', convertedBy: 'BTCUSD' }])
    // Buy at day 5's open: FX day 4 closed then (24 000). Sell at day 8's open: FX day 7 (27 000).
    //   −1.21121 BTC × 24 000 + 1.10889 BTC × 27 000 = 870.99 USD; fees 0.00121 × 24 000 + 0.00111 × 27 000
    assert.ok(Math.abs(usd.finalEquity - 100_870.99) < 1e-6, String(usd.finalEquity))
    assert.ok(Math.abs(usd.feesPaid - 59.01) < 1e-9, String(usd.feesPaid))
    assert.ok(Math.abs(usd.fills[0].fee - 0.00121) < 1e-12, 'fill fees stay in the quote currency')
  })
})
