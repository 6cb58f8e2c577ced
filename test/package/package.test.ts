/**
 * Kestrel as a user gets it: `npm pack` the built package, unpack it into a project outside the repository
 * (its dependencies linked from this repository's node_modules, so nothing is downloaded), then import it on
 * plain Node, type-check a file against the shipped declarations with a plain tsconfig.json, and run the
 * installed `kestrel` command with a strategy written in TypeScript. Also keeps the API report in step with
 * the build and every exported name documented.
 *
 * The build is brought up to date first (`tsc -p tsconfig.build.json`, incremental: a few seconds when
 * nothing changed), so the test always packs the current source.
 */
import assert from 'node:assert/strict'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { apiReport, lineDiff, REPO, REPORT_PATH, UPDATE_COMMAND } from '../../scripts/api-report.ts'

const work = mkdtempSync(join(tmpdir(), 'kestrel-package-'))
const project = join(work, 'project')
const installed = join(project, 'node_modules', 'kestrel')
after(() => rmSync(work, { recursive: true, force: true }))

/** A child process with only what a user's shell would have: no tsx loader, no test-runner context. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|NODE_TEST_CONTEXT|KESTREL_FROM_SOURCE)$/.test(k)),
  )
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...clean, CI: '1', ...env },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  })
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(
    r.status,
    0,
    `${what} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}:\n${r.stdout}\n${r.stderr}`,
  )
  return r.stdout
}

const node = process.execPath
const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
let files: string[] = []

before(() => {
  ok(run(node, [tsc, '-p', 'tsconfig.build.json'], REPO), 'npm run build')
  // --ignore-scripts: `prepare` would build again; the build above is current.
  const packed = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO), 'npm pack')
  const info = JSON.parse(packed) as { filename: string; files: { path: string }[] }[]
  files = info[0]!.files.map((f) => f.path)
  mkdirSync(installed, { recursive: true })
  ok(run('tar', ['-xzf', join(work, info[0]!.filename), '--strip-components=1', '-C', installed], work), 'tar')
  // What `npm install` would add: the command's link, and the dependencies (here: this repository's, one
  // folder up, which Node and TypeScript both find by walking up from the project).
  mkdirSync(join(project, 'node_modules', '.bin'))
  symlinkSync('../kestrel/bin/kestrel.mjs', join(project, 'node_modules', '.bin', 'kestrel'))
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir')
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }))
})

describe('the packed kestrel package', () => {
  it('ships the built JavaScript, its declarations, the command and the bundled data, and no sources or tests', () => {
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/kestrel.mjs', 'package.json'])
      assert.ok(files.includes(f), `${f} is in the package`)
    assert.ok(files.includes('data/bundled/SPY_1d.csv'), 'the bundled data (kestrel quickstart) is in the package')
    const stray = files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || /\.test\.|tsbuildinfo/.test(f))
    assert.deepEqual(stray, [])
  })

  it('imports on plain Node, without tsx', () => {
    const out = ok(
      run(
        node,
        [
          '--input-type=module',
          '-e',
          "import { defineStrategy, runBacktest, sma, z } from 'kestrel'\n" +
            "const s = defineStrategy({ name: 'x', params: z.object({}), create: () => ({}) })\n" +
            'console.log(typeof runBacktest, s.name, sma(new Float64Array([1, 2, 3]), 2)[2])',
        ],
        project,
      ),
      'node -e import',
    )
    assert.equal(out.trim(), 'function x 2.5')
  })

  it('type-checks a user file against the shipped declarations with a plain tsconfig.json', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true },
        include: ['*.ts'],
      }),
    )
    writeFileSync(
      join(project, 'strategy.ts'),
      `import { defineStrategy, Ema, roundQuantity, z, type Bar, type BacktestResult } from 'kestrel'

export default defineStrategy({
  name: 'typed',
  params: z.object({ period: z.number().int().positive().default(10) }),
  create(ctx) {
    const period: number = ctx.params.period
    const ema = ctx.indicator(new Ema(period))
    return {
      onBar(bar: Bar) {
        if (!ema.isStable) return
        const qty = roundQuantity(ctx.instruments[0]!, ctx.account().cash / bar.close / 10)
        if (qty > 0 && bar.close > ema.value! && ctx.position(bar.instrumentId).quantity === 0)
          ctx.submit(ctx.orders.market(ctx.instruments[0]!, 'BUY', qty))
      },
    }
  },
})

export const equity = (r: BacktestResult): number => r.finalEquity
// The declarations carry real types, not any:
// @ts-expect-error a quantity is a number
export const wrong: Parameters<typeof roundQuantity>[1] = 'ten'
`,
    )
    ok(run(node, [tsc, '-p', 'tsconfig.json'], project), 'tsc --noEmit in the user project')
  })

  it('runs the installed command: --version, and a backtest of the TypeScript strategy importing kestrel', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version
    assert.equal(
      ok(run('npx', ['--offline', 'kestrel', '--version'], project), 'npx kestrel --version').trim(),
      version,
    )
    const r = run(
      node,
      [
        join('node_modules', '.bin', 'kestrel'),
        'backtest',
        '--data',
        join(installed, 'data', 'bundled', 'SPY_1d.csv'),
        '--strategy',
        './strategy.ts',
        '--json',
      ],
      project,
    )
    const out = ok(r, 'kestrel backtest --strategy ./strategy.ts')
    assert.equal(r.stderr, '', 'the built command says nothing on stderr (no fallback to the source)')
    const d = JSON.parse(out) as { title: string; fills: unknown[] }
    assert.match(d.title, /^typed on SPY/)
    assert.ok(d.fills.length > 0)
  })

  it("names the strategy file's own line when a TypeScript strategy throws under the installed command", () => {
    writeFileSync(
      join(project, 'boom.ts'),
      `import { defineStrategy, z } from 'kestrel'

type Count = { readonly n: number }

export default defineStrategy({
  name: 'boom',
  params: z.object({}),
  create() {
    const c: Count = { n: 1 }
    return {
      onBar() {
        throw new RangeError('boom ' + c.n)
      },
    }
  },
})
`,
    )
    const data = join(installed, 'data', 'bundled', 'SPY_1d.csv')
    const r = run(
      node,
      [join('node_modules', '.bin', 'kestrel'), 'backtest', '--data', data, '--strategy', './boom.ts'],
      project,
    )
    assert.equal(r.status, 1, r.stderr)
    assert.match(r.stderr, /strategy boom: onBar threw .* at \S*boom\.ts:12: RangeError: boom 1/)
  })
})

describe('the public API', () => {
  let built: ReturnType<typeof apiReport> | undefined
  const api = (): ReturnType<typeof apiReport> => (built ??= apiReport())

  it(`matches the committed report ${REPORT_PATH}`, () => {
    const committed = readFileSync(join(REPO, REPORT_PATH), 'utf8')
    const report = api()
    if (committed !== report.text) {
      assert.fail(
        `${REPORT_PATH} differs from the build (- committed, + now):\n${lineDiff(committed, report.text)}\n\n` +
          `If the change is meant, update it with: ${UPDATE_COMMAND}`,
      )
    }
  })

  it('has a doc comment on every exported name', () => {
    const { undocumented } = api()
    assert.deepEqual(undocumented, [], `exported without a doc comment: ${undocumented.join(', ')}`)
  })

  it('exports no test helpers or internals', () => {
    for (const name of ['randomBars', 'scriptedStrategy', 'runCliCaptured', 'RiskGate', 'OrderManager', 'transition'])
      assert.ok(!api().names.includes(name), `${name} is not public`)
  })
})
