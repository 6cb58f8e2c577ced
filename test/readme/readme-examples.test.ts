// The README's backtest examples, its strategy example and `kestrel backtest --help`'s examples run as
// written (paths relative to the repository), exit 0 and have no rejected order.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, describe, it } from 'node:test'
import { DEFAULT_FEE_RATE, QUICKSTART_FEE } from '../../src/app/index.ts'
import { runCliCaptured } from '../../src/cli/testing.ts'

const REPO = resolve('.')
const README = readFileSync(join(REPO, 'README.md'), 'utf8')
const dir = mkdtempSync(join(tmpdir(), 'kestrel-readme-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The commands of the README's `sh` blocks that start with `prefix`, continuation lines joined. */
function readmeCommands(prefix: string): string[] {
  const out: string[] = []
  for (const m of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = m[1]!.replace(/\\\n\s*/g, ' ')
    for (const line of joined.split('\n')) if (line.startsWith(prefix)) out.push(line.replace(/\s+#.*$/, '').trim())
  }
  return out
}

/** Words of a command line without shell features (the examples use none); "double quotes" are kept together. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

/** Runs a `kestrel backtest ...` line with --json (and --report into the temp folder); returns the report. */
async function runBacktestLine(line: string): Promise<Record<string, unknown>> {
  const argv = words(line).slice(1)
  const r = argv.indexOf('--report')
  if (r >= 0) argv[r + 1] = join(dir, `report-${r}-${argv.length}.html`)
  if (!argv.includes('--json')) argv.push('--json')
  const res = await runCliCaptured(argv, { cwd: REPO })
  assert.equal(res.code, 0, `${line}\n${res.err}`)
  return JSON.parse(res.out) as Record<string, unknown>
}

describe('the README examples', () => {
  const lines = readmeCommands('kestrel backtest --data')

  it('has the backtest examples this test runs', () => {
    assert.ok(lines.length >= 2, lines.join('\n'))
    assert.ok(lines.some((l) => l.includes('--strategy sma-cross')))
    assert.ok(lines.some((l) => l.includes('--strategy ./examples/my-strategy.ts')))
  })

  it('runs each backtest example without a rejected order', async () => {
    for (const line of lines) {
      const d = await runBacktestLine(line)
      assert.deepEqual(d.rejectedOrders, [], line)
      assert.deepEqual(d.fixableRejects, [], line)
      assert.ok((d.fills as unknown[]).length > 0, `${line}: no fills`)
    }
  })

  it('runs the examples of kestrel backtest --help without a rejected order', async () => {
    const help = await runCliCaptured(['backtest', '--help'])
    assert.equal(help.code, 0)
    const examples = help.out
      .split('\n')
      .map((l) => l.trim().replace(/^\$ /, ''))
      .filter((l) => l.startsWith('kestrel backtest --data'))
    assert.ok(examples.length >= 2, help.out)
    for (const line of examples) {
      const d = await runBacktestLine(line)
      assert.deepEqual(d.rejectedOrders, [], line)
    }
  })

  it('runs the strategy example of "Your own strategy", which uses the library indicators', async () => {
    const block = /```ts\n([\s\S]*?defineStrategy\([\s\S]*?)```/.exec(README)?.[1]
    assert.ok(block, 'no strategy example in the README')
    assert.match(block, /ctx\.indicator\(new Sma\(/)
    assert.doesNotMatch(block, /class \w+/) // no hand-written indicator
    const file = join(dir, 'my-idea.ts')
    writeFileSync(file, block.replace("from 'kestrel'", `from '${pathToFileURL(join(REPO, 'src/index.ts')).href}'`))
    const d = await runBacktestLine(`kestrel backtest --data data/bundled/SPY_1d.csv --strategy ${file}`)
    assert.equal(d.title, 'my-idea on SPY')
    assert.ok((d.fills as unknown[]).length > 10)
    assert.deepEqual(d.rejectedOrders, [])
  })

  it('examples/my-strategy.ts uses the library indicators, not a hand-written one', () => {
    const src = readFileSync(join(REPO, 'examples', 'my-strategy.ts'), 'utf8')
    assert.match(src, /import \{[^}]*\bRsi\b[^}]*\} from 'kestrel'/)
    assert.doesNotMatch(src, /class \w+/)
  })
})

describe('the default fee', () => {
  it('is the quickstart’s, and a backtest without --fee-rate charges it on every fill', async () => {
    assert.equal(QUICKSTART_FEE, DEFAULT_FEE_RATE)
    assert.equal(DEFAULT_FEE_RATE, 0.001)
    const d = await runBacktestLine('kestrel backtest --data data/bundled/SPY_1d.csv --strategy sma-cross --size 10')
    const fills = d.fills as { quantity: number; price: number; fee: number }[]
    assert.ok(fills.length > 10)
    for (const f of fills) assert.ok(Math.abs(f.fee - f.quantity * f.price * 0.001) < 1e-9, JSON.stringify(f))
  })
})
