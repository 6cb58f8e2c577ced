import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-strategy-errors-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const kestrel = pathToFileURL(resolve('src/index.ts')).href
const data = join(dir, 'TOY_1d.csv')
writeFileSync(
  data,
  'timestamp,open,high,low,close,volume\n' +
    Array.from({ length: 10 }, (_, i) => {
      const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)
      return `${day}T00:00:00Z,10,11,9,10,1000`
    }).join('\n') +
    '\n',
)

/** A strategy file whose hook `hook` throws on the fourth bar (line 9 of the file). */
function throwingStrategy(name: string, hook: 'onBar' | 'onStart' | 'create'): string {
  const file = join(dir, `${name}.ts`)
  const body = [
    `import { defineStrategy, z } from '${kestrel}'`,
    `let n = 0`,
    `export default defineStrategy({`,
    `  name: '${name}',`,
    `  params: z.object({}),`,
    `  create(ctx) {`,
    hook === 'create' ? `    throw new Error('create failed')` : `    void ctx`,
    `    return {`,
    `      onBar(bar) { if (++n === 4) throw new TypeError('cannot read price of ' + bar.instrumentId) },`,
    `      onStart() { if (${hook === 'onStart'}) throw new Error('start failed') },`,
    `    }`,
    `  },`,
    `})`,
  ]
  writeFileSync(file, body.join('\n') + '\n')
  return file
}

describe('an exception inside a strategy', () => {
  it('names the strategy, the hook, the bar time and the file:line, without a stack trace', async () => {
    const file = throwingStrategy('boom', 'onBar')
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', file, '--json'])
    assert.equal(r.code, 1, r.err)
    assert.equal(r.out, '')
    const line = r.err.split('\n')[0]!
    assert.match(line, /^error \[STRATEGY_ERROR\]: /)
    assert.match(line, /strategy boom/)
    assert.match(line, /onBar/)
    assert.match(line, /2024-01-05T00:00:00Z/) // the fourth bar closes at the end of 2024-01-04
    assert.ok(line.includes(`${file}:9`), line)
    assert.match(line, /TypeError: cannot read price of TOY\.SIM/)
    assert.doesNotMatch(r.err, /\n\s+at /)
    assert.equal(r.err.trim().split('\n').length, 1)
  })

  it('prints the strategy’s own stack with --debug', async () => {
    const file = throwingStrategy('boom2', 'onBar')
    const r = await runCliCaptured(['--debug', 'backtest', '--data', data, '--strategy', file])
    assert.equal(r.code, 1)
    assert.match(r.err, /caused by: TypeError: cannot read price of TOY\.SIM\n\s+at .*boom2\.ts:9/)
  })

  it('names onStart and create(ctx) too, before the first bar', async () => {
    const s = await runCliCaptured(['backtest', '--data', data, '--strategy', throwingStrategy('s1', 'onStart')])
    assert.equal(s.code, 1, s.err)
    assert.match(s.err, /strategy s1: onStart threw before the first bar at .*s1\.ts:10: Error: start failed/)
    const c = await runCliCaptured(['backtest', '--data', data, '--strategy', throwingStrategy('c1', 'create')])
    assert.equal(c.code, 1, c.err)
    assert.match(c.err, /strategy c1: create\(ctx\) threw before the first bar at .*c1\.ts:7: Error: create failed/)
  })
})

describe('an exception in a strategy’s own indicator or top-level code', () => {
  it('names the strategy, the indicator, the bar and the file:line of an indicator’s update', async () => {
    const file = join(dir, 'badind.ts')
    writeFileSync(
      file,
      [
        `import { defineStrategy, z } from '${kestrel}'`,
        `class Jumpy {`,
        `  value: number | undefined = undefined`,
        `  n = 0`,
        `  get isStable() { return this.n > 1 }`,
        `  update(x: number) {`,
        `    if (++this.n === 3) throw new RangeError('bad input ' + x)`,
        `    return (this.value = x)`,
        `  }`,
        `}`,
        `export default defineStrategy({`,
        `  name: 'badind',`,
        `  params: z.object({}),`,
        `  create(ctx) { ctx.indicator(new Jumpy()); return {} },`,
        `})`,
      ].join('\n') + '\n',
    )
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', file])
    assert.equal(r.code, 1, r.err)
    assert.equal(
      r.err,
      `error [STRATEGY_ERROR]: strategy badind: indicator Jumpy.update threw on the TOY.SIM 1d bar closing ` +
        `2024-01-04T00:00:00Z at ${file}:7: RangeError: bad input 10\n`,
    )
  })

  it('names the line of an exception while the file loads', async () => {
    const file = join(dir, 'toplevel.ts')
    writeFileSync(
      file,
      [
        `import { defineStrategy, z } from '${kestrel}'`,
        `const settings: { stop?: { pct: number } } = {}`,
        `const pct = settings.stop!.pct`,
        `export default defineStrategy({ name: 'top', params: z.object({}), create: () => ({ onBar() { void pct } }) })`,
      ].join('\n') + '\n',
    )
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', file])
    assert.equal(r.code, 1, r.err)
    assert.match(
      r.err,
      /^error \[STRATEGY_INVALID\]: strategy file .*toplevel\.ts: Cannot read properties of undefined/,
    )
    assert.ok(r.err.includes(`(at ${file}:3)`), r.err)
    assert.equal(r.err.trim().split('\n').length, 1)
  })
})
