import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-params-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const kestrel = pathToFileURL(resolve('src/index.ts')).href
const data = join(dir, 'TOY_1d.csv')
writeFileSync(
  data,
  'timestamp,open,high,low,close,volume\n' +
    Array.from({ length: 10 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00Z,10,11,9,10,1000`).join(
      '\n',
    ) +
    '\n',
)
// A user strategy with a plain z.object: zod alone would strip a mistyped key and run on the default.
const strategy = join(dir, 'stops.ts')
writeFileSync(
  strategy,
  [
    `import { defineStrategy, z } from '${kestrel}'`,
    `export default defineStrategy({`,
    `  name: 'stops',`,
    `  params: z.object({ stopPct: z.number().default(0.01), period: z.number().int().default(14) }),`,
    `  create: () => ({}),`,
    `})`,
  ].join('\n') + '\n',
)

describe('an unknown parameter of a user strategy', () => {
  it('is an error on the command line listing the known parameters and the closest name', async () => {
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', strategy, '--param', 'stoppct=0.02'])
    assert.equal(r.code, 1, r.err)
    assert.equal(r.out, '')
    assert.equal(
      r.err,
      'error [PARAM_INVALID]: strategy stops params: stoppct: unknown parameter (did you mean stopPct?); ' +
        'known parameters: stopPct, period\n',
    )
  })

  it('refuses --size for a strategy that has no size parameter', async () => {
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', strategy, '--size', '5'])
    assert.equal(r.code, 1, r.err)
    assert.match(r.err, /size: unknown parameter; known parameters: stopPct, period/)
  })

  it('runs with the declared names', async () => {
    const r = await runCliCaptured(['backtest', '--data', data, '--strategy', strategy, '--param', 'stopPct=0.02'])
    assert.equal(r.code, 0, r.err)
  })

  it('is CONFIG_INVALID naming the key path in a config', async () => {
    const cfg = join(dir, 'bt.yaml')
    writeFileSync(
      cfg,
      [
        'strategies:',
        '  - use: ./stops.ts',
        '    params: { stoppct: 0.02 }',
        'backtest:',
        '  data: [{ file: TOY_1d.csv }]',
      ].join('\n') + '\n',
    )
    const r = await runCliCaptured(['backtest', '--config', cfg])
    assert.equal(r.code, 1, r.err)
    assert.match(
      r.err,
      /^error \[CONFIG_INVALID\]: strategy stops: strategies\[0\]\.params\.stoppct: unknown parameter \(did you mean stopPct\?\)/,
    )
  })
})
