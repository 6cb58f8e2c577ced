import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../errors.ts'
import { loadConfigText, parseYaml, redactSecrets } from './load.ts'
import { kestrelConfigSchema } from './schema.ts'

describe('config loading', () => {
  it('fills defaults and validates', () => {
    const { value } = loadConfigText('storage:\n  path: x.duckdb\n', kestrelConfigSchema)
    assert.equal(value.storage.path, 'x.duckdb')
    assert.equal(value.storage.backend, 'duckdb')
    assert.equal(value.logging.level, 'info')
  })

  it('names the key path, the expected form and the line of a bad value', () => {
    try {
      loadConfigText('storage:\n  backend: duckdb\n  hotWindowDays: "ten"\n', kestrelConfigSchema, {}, 'k.yaml')
      assert.fail('should throw')
    } catch (e) {
      assert.ok(isKestrelError(e, 'CONFIG_INVALID'))
      assert.match(e.message, /k\.yaml/)
      assert.match(e.message, /storage\.hotWindowDays \(line 3\): .*number/i)
    }
  })

  it('refuses the older shape naming each moved key, its new place and its line', () => {
    const text = [
      'backtest:', // 1
      '  cash: 50000', // 2
      '  currency: EUR', // 3
      '  account: { type: margin }', // 4
      '  data: [{ file: x.csv }]', // 5
      '  strategies:', // 6
      '    - use: sma-cross', // 7
      '  typo: 1', // 8
    ].join('\n')
    try {
      loadConfigText(text, kestrelConfigSchema, {}, 'old.yaml')
      assert.fail('should throw')
    } catch (e) {
      assert.ok(isKestrelError(e, 'CONFIG_INVALID'))
      const lines = e.message.split('\n').slice(1)
      assert.deepEqual(lines, [
        '  backtest.typo (line 8): unknown key (check the spelling)',
        '  backtest.cash (line 2): moved to account.cash (top level); run kestrel config migrate old.yaml',
        '  backtest.currency (line 3): moved to account.currency (top level); run kestrel config migrate old.yaml',
        '  backtest.account (line 4): moved to account (top level); run kestrel config migrate old.yaml',
        '  backtest.strategies (line 6): moved to strategies (top level); run kestrel config migrate old.yaml',
      ])
    }
  })

  it('reads strategies and the account at the top level and checks FX pairs against account.currency', () => {
    const { value } = loadConfigText(
      'strategies: [{ use: sma-cross }]\naccount: { currency: EUR }\nbacktest:\n  data: [{ file: x.csv }]\n  fx: { USDEUR: u.csv }\n',
      kestrelConfigSchema,
    )
    assert.equal(value.strategies?.[0]?.use, 'sma-cross')
    assert.deepEqual(value.account, {
      cash: 100_000,
      currency: 'EUR',
      type: 'cash',
      leverage: 1,
      maintenanceMargin: 0.25,
      borrowRate: 0,
    })
    assert.throws(
      () =>
        loadConfigText(
          'strategies: [{ use: x }]\nbacktest:\n  data: [{ file: x.csv }]\n  fx: { USDEUR: u.csv }\n',
          kestrelConfigSchema,
        ),
      (e: unknown) =>
        isKestrelError(e, 'CONFIG_INVALID') &&
        /backtest\.fx\.USDEUR \(line 4\): expected a pair <CUR>USD/.test(e.message),
    )
    assert.throws(
      () => loadConfigText('backtest:\n  data: [{ file: x.csv }]\n', kestrelConfigSchema),
      (e: unknown) =>
        isKestrelError(e, 'CONFIG_INVALID') && /\n {2}strategies: a config with backtest: needs/.test(e.message),
    )
  })

  it('rejects an unknown key by name', () => {
    assert.throws(
      () => loadConfigText('storage:\n  pth: x\n', kestrelConfigSchema),
      (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && /storage\.pth \(line 2\): unknown key/.test(e.message),
    )
  })

  it('interpolates ${ENV:NAME} and redacts those values', () => {
    const r = loadConfigText(
      'storage:\n  backend: postgres\n  postgresUrl: postgres://u:${ENV:PGPW}@127.0.0.1/k\n',
      kestrelConfigSchema,
      { PGPW: 's3cret' },
    )
    assert.equal(r.value.storage.postgresUrl, 'postgres://u:s3cret@127.0.0.1/k')
    assert.deepEqual(r.secretPaths, ['storage.postgresUrl'])
    assert.equal(redactSecrets(r.value, r.secretPaths).storage.postgresUrl, '***')
    assert.doesNotMatch(JSON.stringify(redactSecrets(r.value, r.secretPaths)), /s3cret/)
  })

  it('says which environment variable is missing', () => {
    assert.throws(
      () => loadConfigText('storage:\n  postgresUrl: ${ENV:NOPE}\n', kestrelConfigSchema, {}),
      /NOPE is not set/,
    )
  })

  it('reports YAML syntax errors with a line', () => {
    assert.throws(
      () => loadConfigText('storage: [\n', kestrelConfigSchema),
      (e: unknown) => isKestrelError(e, 'CONFIG_INVALID'),
    )
  })

  it('refuses a YAML alias bomb quickly as CONFIG_INVALID', () => {
    // "billion laughs": 9 levels of 9 aliases each expand to 9^10 strings
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      )
    const t0 = performance.now()
    assert.throws(
      () => loadConfigText(lines.join('\n'), kestrelConfigSchema, {}, 'bomb.yaml'),
      (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && /^bomb\.yaml: .*\n.*too many aliases/.test(e.message),
    )
    assert.ok(performance.now() - t0 < 1000)
  })

  it('refuses a file too large or nested too deep before parsing it, naming the line', () => {
    const cases: [string, RegExp][] = [
      [
        `a: 1\nnested: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
        /\(yaml\) \(line 2\): brackets nested more than 64 deep/,
      ],
      [
        Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
        /\(line 258\): indented more than 256 columns/,
      ],
      [`a: "${'x'.repeat(1 << 20)}"\n`, /characters; a config or spec is expected to be under 1048576/],
    ]
    for (const [text, want] of cases) {
      const t0 = performance.now()
      assert.throws(
        () => loadConfigText(text, kestrelConfigSchema, {}, 'deep.yaml'),
        (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && want.test(e.message),
      )
      assert.ok(performance.now() - t0 < 1000)
    }
    // Brackets and indentation inside quoted strings and comments do not count.
    assert.deepEqual(parseYaml(`a: '${'['.repeat(100)}'\nb: "${'{'.repeat(100)}" # ${'['.repeat(100)}\n`).value, {
      a: '['.repeat(100),
      b: '{'.repeat(100),
    })
  })

  it('refuses an alias inside its own anchor (an infinite value) with the key path and line', () => {
    for (const text of ['backtest:\n  cash: 1\nloop: &l [*l]\n', 'a:\n  b: &m\n    c: 1\n    d: *m\n']) {
      assert.throws(
        () => loadConfigText(text, kestrelConfigSchema, {}, 'loop.yaml'),
        (e: unknown) =>
          isKestrelError(e, 'CONFIG_INVALID') &&
          /^loop\.yaml: .*\n.*(loop\[0\]|a\.b\.d).*line [234].*contains it/s.test(e.message),
      )
    }
  })

  it('still expands ordinary aliases, and names an alias without an anchor', () => {
    assert.deepEqual(parseYaml('a: &x [1, 2]\nb: *x\n').value, { a: [1, 2], b: [1, 2] })
    assert.throws(
      () => parseYaml('b: *x\n', 'k.yaml'),
      (e: unknown) => isKestrelError(e, 'CONFIG_INVALID') && /^k\.yaml: .*\n.*Unresolved alias.*: x/.test(e.message),
    )
  })
})
