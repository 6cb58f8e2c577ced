import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { isKestrelError, kestrelConfigSchema, loadConfigText } from '../core/index.ts'
import { migrateConfigFile, migrateConfigText } from './config-migrate.ts'

const OLD = `# A backtest of the older shape.
storage:
  path: k.duckdb

# The run.
backtest:
  cash: 50000 # starting cash
  currency: EUR
  account: { type: margin, leverage: 2 }
  data:
    - file: SPY_1d.csv
  # two strategies
  strategies:
    - use: sma-cross # the reference
      params: { fast: 5, slow: 20 }
    - use: buy-and-hold
  fees: { type: percent, takerRate: 0.001 }
risk:
  checks:
    maxOrderQuantity: 10
`

const NEW = `# A backtest of the older shape.
storage:
  path: k.duckdb

# two strategies
strategies:
  - use: sma-cross # the reference
    params: { fast: 5, slow: 20 }
  - use: buy-and-hold
account:
  cash: 50000 # starting cash
  currency: EUR
  type: margin
  leverage: 2

# The run.
backtest:
  data:
    - file: SPY_1d.csv
  fees: { type: percent, takerRate: 0.001 }
risk:
  checks:
    maxOrderQuantity: 10
`

describe('config migrate', () => {
  it('moves strategies and the account to the top level, keeping comments and order', () => {
    const m = migrateConfigText(OLD, 'old.yaml')
    assert.equal(m.changed, true)
    assert.deepEqual(m.moves, [
      { from: 'backtest.strategies', to: 'strategies' },
      { from: 'backtest.cash', to: 'account.cash' },
      { from: 'backtest.currency', to: 'account.currency' },
      { from: 'backtest.account', to: 'account' },
    ])
    assert.equal(m.text, NEW)
    const after = loadConfigText(m.text, kestrelConfigSchema).value
    assert.deepEqual(after.account, {
      cash: 50000,
      currency: 'EUR',
      type: 'margin',
      leverage: 2,
      maintenanceMargin: 0.25,
      borrowRate: 0,
    })
    assert.deepEqual(
      after.strategies?.map((s) => s.use),
      ['sma-cross', 'buy-and-hold'],
    )
    assert.deepEqual(after.strategies?.[0]?.params, { fast: 5, slow: 20 })
    assert.deepEqual(after.backtest?.data, [{ file: 'SPY_1d.csv' }])
    assert.equal(after.risk?.checks?.maxOrderQuantity, 10)
  })

  it('is idempotent: a file already in the current shape comes back byte for byte', () => {
    const once = migrateConfigText(OLD, 'old.yaml').text
    const twice = migrateConfigText(once, 'new.yaml')
    assert.equal(twice.changed, false)
    assert.equal(twice.text, once)
    assert.deepEqual(twice.moves, [])
  })

  it('migrates every example to what it is and leaves the examples unchanged (they are in the current shape)', () => {
    const dir = new URL('../../examples/', import.meta.url).pathname
    // Feature specs are not configs: features.yaml and the pipeline's ai-trader.features.yaml.
    const configs = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('features.yaml'))
    assert.ok(configs.length >= 5)
    for (const f of configs) {
      const text = readFileSync(join(dir, f), 'utf8')
      const m = migrateConfigText(text, f)
      assert.equal(m.changed, false, f)
      assert.equal(m.text, text, f)
    }
  })

  it('moves cash alone into a new account: with its comment', () => {
    const m = migrateConfigText(
      'backtest:\n  # one hundred thousand\n  cash: 100000\n  data: [{ file: x.csv }]\n  strategies: [{ use: sma-cross }]\n',
    )
    assert.equal(
      m.text,
      'strategies: [ { use: sma-cross } ]\n# one hundred thousand\naccount:\n  cash: 100000\n\nbacktest:\n  data: [ { file: x.csv } ]\n',
    )
  })

  it('refuses a file in neither shape, naming what is wrong', () => {
    for (const [text, re] of [
      ['backtest:\n  cash: 1\n  strategies: [{ use: x }]\n', /backtest\.data.*\n.*neither/s],
      ['name: x\nfeatures: []\n', /unknown keys.*\n.*neither/s],
      ['strategies: [{ use: a }]\nbacktest:\n  data: [{ file: x.csv }]\n  strategies: [{ use: b }]\n', /both present/],
      ['account: { cash: 1 }\nbacktest:\n  cash: 2\n  data: [{ file: x.csv }]\n', /both present/],
      ['backtest:\n  cash: 1\n  account: { cash: 2 }\n  data: [{ file: x.csv }]\n', /both present/],
      ['backtest: [\n', /\(yaml\)/],
    ] as const) {
      assert.throws(
        () => migrateConfigText(text, 'bad.yaml'),
        (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && re.test(e.message) && e.message.startsWith('bad.yaml'),
        text,
      )
    }
  })

  it('keeps ${ENV:...} values as they are and does not need them set', () => {
    const m = migrateConfigText(
      'backtest:\n  cash: 1000\n  data: [{ file: "${ENV:DATA}/x.csv" }]\n  strategies: [{ use: sma-cross }]\n',
    )
    assert.match(m.text, /file: "\$\{ENV:DATA\}\/x\.csv"/)
  })

  it('writes the file with write: true, and not when nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-migrate-'))
    const f = join(dir, 'old.yaml')
    writeFileSync(f, OLD)
    const printed = migrateConfigFile(f)
    assert.equal(readFileSync(f, 'utf8'), OLD)
    const written = migrateConfigFile(f, { write: true })
    assert.equal(written.text, printed.text)
    assert.equal(readFileSync(f, 'utf8'), printed.text)
    assert.equal(migrateConfigFile(f, { write: true }).changed, false)
    assert.throws(
      () => migrateConfigFile(join(dir, 'none.yaml')),
      (e: unknown) => isKestrelError(e, 'FILE_NOT_FOUND'),
    )
  })
})
