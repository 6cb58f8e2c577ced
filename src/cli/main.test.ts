import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runCliCaptured } from './testing.ts'

function run(argv: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/kestrel.mjs', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...env },
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

describe('kestrel command line', () => {
  it('writes structured JSON logs on stderr with one correlation id per run, risk events included', () => {
    const r = run(['risk', 'status', '--config', 'examples/risk.yaml', '--json'], { KESTREL_LOG_LEVEL: 'info' })
    assert.equal(r.code, 0, r.err)
    const lines = r.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string; msg: string; component?: string; eventTime?: number })
    assert.equal(new Set(lines.map((l) => l.runId)).size, 1)
    assert.match(lines[0]!.runId, /^[0-9a-f]{8}$/)
    assert.equal(lines[0]!.msg, 'command start')
    const risk = lines.filter((l) => l.component === 'risk')
    assert.ok(risk.length > 0)
    assert.ok(risk.some((l) => typeof l.eventTime === 'number')) // breaches carry the simulated time
    JSON.parse(r.out) // stdout stays one clean JSON document
  })

  it('stays quiet on stderr at the default level', () => {
    const r = run(['config', 'schema'], { KESTREL_LOG_LEVEL: '' })
    assert.equal(r.code, 0)
    assert.equal(r.err, '')
  })

  it('exits 2 for usage errors and 1 for bad input, with one line and no stack trace', () => {
    const u = run(['backtest', '--no-such-option'])
    assert.equal(u.code, 2)
    const b = run(['data', 'validate', 'no/such/file.csv'])
    assert.equal(b.code, 1)
    assert.match(b.err, /^error \[\w+\]: .*no\/such\/file\.csv/m)
    assert.doesNotMatch(b.err, /\n\s+at /)
  })
})

describe('runCli (in-process)', () => {
  it('prints only to the given streams and resolves to the exit status', async () => {
    const ok = await runCliCaptured(['config', 'schema'])
    assert.equal(ok.code, 0)
    assert.equal(ok.err, '')
    assert.equal(typeof JSON.parse(ok.out), 'object')
    const usage = await runCliCaptured(['backtest', '--no-such-option'])
    assert.equal(usage.code, 2)
    assert.match(usage.err, /unknown option '--no-such-option'/)
    const input = await runCliCaptured(['data', 'validate', 'no/such/file.csv'])
    assert.equal(input.code, 1)
    assert.match(input.err, /^error \[FILE_NOT_FOUND\]: no\/such\/file\.csv/)
  })

  it('resolves relative paths against cwd and reads ${ENV:NAME} from env, then restores both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-cli-'))
    writeFileSync(join(dir, 'k.yaml'), 'storage:\n  path: ${ENV:KESTREL_TEST_DB}\n')
    const before = process.cwd()
    const missing = await runCliCaptured(['config', 'validate', 'k.yaml'], { cwd: dir, env: {} })
    assert.equal(missing.code, 1)
    assert.match(missing.err, /KESTREL_TEST_DB is not set/)
    const ok = await runCliCaptured(['config', 'validate', 'k.yaml'], { cwd: dir, env: { KESTREL_TEST_DB: 'x.db' } })
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /k\.yaml: valid/)
    assert.equal(process.cwd(), before)
  })

  it('redacts secrets from ${ENV:NAME} in error messages, a data path holding one included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-cli-'))
    const secret = 'tok-5ecr3t-9f8e'
    writeFileSync(
      join(dir, 'bt.yaml'),
      'strategies:\n  - use: sma-cross\nbacktest:\n  data:\n    - file: data/${ENV:DATA_TOKEN}/SPY_1d.csv\n',
    )
    for (const argv of [
      ['backtest', '--config', 'bt.yaml'],
      ['--debug', 'backtest', '--config', 'bt.yaml'],
    ]) {
      const r = await runCliCaptured(argv, { cwd: dir, env: { CI: '1', DATA_TOKEN: secret } })
      assert.equal(r.code, 1, r.err)
      assert.match(r.err, /^error \[FILE_NOT_FOUND\]: .*data\/\*\*\*\/SPY_1d\.csv/)
      assert.ok(!r.err.includes(secret), r.err)
    }
  })

  it('refuses a YAML alias bomb in a config quickly as CONFIG_INVALID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-cli-'))
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      )
    writeFileSync(join(dir, 'bomb.yaml'), lines.join('\n'))
    const t0 = performance.now()
    const r = await runCliCaptured(['config', 'validate', 'bomb.yaml'], { cwd: dir })
    assert.ok(performance.now() - t0 < 2000)
    assert.equal(r.code, 1)
    assert.match(r.err, /^error \[CONFIG_INVALID\]: bomb\.yaml: invalid configuration\n {2}\(yaml\): too many aliases/)
  })

  it('config migrate prints the current shape, writes it with --write, and backtest names the moved keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-cli-'))
    const old = 'backtest:\n  cash: 1000\n  data: [{ file: SPY_1d.csv }]\n  strategies: [{ use: sma-cross }]\n'
    writeFileSync(join(dir, 'old.yaml'), old)
    const refused = await runCliCaptured(['backtest', '--config', 'old.yaml'], { cwd: dir })
    assert.equal(refused.code, 1)
    assert.equal(
      refused.err,
      'error [CONFIG_INVALID]: old.yaml: invalid configuration\n' +
        '  backtest.cash (line 2): moved to account.cash (top level); run kestrel config migrate old.yaml\n' +
        '  backtest.strategies (line 4): moved to strategies (top level); run kestrel config migrate old.yaml\n',
    )
    const printed = await runCliCaptured(['config', 'migrate', 'old.yaml'], { cwd: dir })
    assert.equal(printed.code, 0, printed.err)
    assert.equal(
      printed.out,
      'strategies: [ { use: sma-cross } ]\naccount:\n  cash: 1000\n\nbacktest:\n  data: [ { file: SPY_1d.csv } ]\n',
    )
    assert.equal(readFileSync(join(dir, 'old.yaml'), 'utf8'), old)
    const written = await runCliCaptured(['config', 'migrate', 'old.yaml', '--write'], { cwd: dir })
    assert.match(
      written.out,
      /^old\.yaml: migrated \(backtest\.strategies → strategies, backtest\.cash → account\.cash\)\n$/,
    )
    assert.equal(readFileSync(join(dir, 'old.yaml'), 'utf8'), printed.out)
    const again = await runCliCaptured(['config', 'migrate', 'old.yaml', '--write'], { cwd: dir })
    assert.equal(again.out, 'old.yaml: already in the current shape\n')
    const valid = await runCliCaptured(['config', 'validate', 'old.yaml'], { cwd: dir })
    assert.equal(valid.code, 0, valid.err)
  })
})
