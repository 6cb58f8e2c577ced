/**
 * Property tests of `kestrel pairs scan` and `kestrel scan` over malformed input (fast-check, seeded, modest
 * run counts): bar CSVs, the scan config's YAML, and the JSON-lines files layer 2 reads (news, options flow,
 * insider transactions). Each run must end in a valid result or a typed error: exit status 0, or 1 with one
 * `error [CODE]: ...` line that says where (a file, a line or a key path) and a code whose documented exit status
 * is 1; never a stack trace, an exception escaping the command, or a row or line silently lost.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { scanPairFiles } from '../../src/app/pairs.ts'
import { runCliCaptured } from '../../src/cli/testing.ts'
import { ERROR_CODES, Rng } from '../../src/core/index.ts'
import { NewsFileError, parseInsiderLines, parseNewsLines, parseOptionsFlowLines } from '../../src/data/index.ts'
import { REPO } from './targets.ts'

const root = mkdtempSync(join(tmpdir(), 'kestrel-scan-fuzz-'))
after(() => rmSync(root, { recursive: true, force: true }))
/** Runs per CLI property; `KESTREL_PROPERTY_RUNS` raises it for a longer local search. */
const RUNS = Number(process.env.KESTREL_PROPERTY_RUNS ?? 40)
let caseNo = 0
const caseDir = () => {
  const d = join(root, `c${caseNo++}`)
  mkdirSync(d)
  return d
}

const STACK = /^\s+at .+[(:]/m
const ERROR_LINE = /^error \[([A-Z0-9_]+)\]: (.+)$/m

/** Escaped exceptions while a run is in flight: a crash even when the command itself returned. */
const escaped: string[] = []
process.on('unhandledRejection', (e) => escaped.push(String((e as Error)?.stack ?? e)))

/** Exit statuses seen per property, so a test can show it reached both outcomes. */
const seen = new Map<string, number[]>()

/** Runs the CLI and checks the outcome contract; returns the run. */
async function runChecked(
  argv: string[],
  where: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  escaped.length = 0
  const r = await runCliCaptured(argv, { env: { CI: '1' } })
  await new Promise((ok) => setImmediate(ok))
  assert.deepEqual(escaped, [], 'an exception escaped the command')
  assert.ok(!STACK.test(r.err) && !STACK.test(r.out), `stack trace in output: ${r.err.slice(0, 400)}`)
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(0, 400)}`)
  if (r.code === 1) {
    const m = ERROR_LINE.exec(r.err)
    assert.ok(m, `exit 1 without an error line: ${r.err.slice(0, 300)}`)
    assert.equal(ERROR_CODES[m[1] as keyof typeof ERROR_CODES], 1, `code ${m[1]} is not an input error`)
    const msg = m[2]!
    assert.ok(
      where.some((w) => msg.includes(w)) || /\bline \d+/.test(msg) || /\b[a-z]\w*(\.\w+|\[\d+\])+/.test(msg),
      `error does not say where: ${m[0]}`,
    )
  } else if (argv.includes('--json')) JSON.parse(r.out)
  const key = argv[0]!
  seen.set(key, [...(seen.get(key) ?? []), r.code])
  return r
}

/** The data lines of a CSV text as a reader counts them: after the header, not blank. */
function dataLines(text: string): number {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)
  return lines.slice(1).filter((l) => l.trim() !== '').length
}

// --- bar CSVs -------------------------------------------------------------------------------------------------

const DAY = 86_400_000
const T0 = Date.UTC(2020, 0, 1)
/** Two cointegrated daily series of 60 bars, as CSV rows (without the header). */
function pairBase(): [string[], string[]] {
  const rng = new Rng(5)
  let px = 50
  let e = 0
  const ys: string[] = []
  const xs: string[] = []
  for (let i = 0; i < 60; i++) {
    px += 0.5 * rng.normal()
    e = 0.7 * e + 0.3 * rng.normal()
    const t = new Date(T0 + i * DAY).toISOString()
    const row = (c: number) =>
      `${t},${c.toFixed(4)},${(c + 0.5).toFixed(4)},${(c - 0.5).toFixed(4)},${c.toFixed(4)},1000`
    xs.push(row(px))
    ys.push(row(20 + 2 * px + e))
  }
  return [ys, xs]
}
const [Y_ROWS, X_ROWS] = pairBase()
const HEADER = 'timestamp,open,high,low,close,volume'

const junk = fc.oneof(
  fc.constantFrom('', 'NaN', '-1', '0', '1e309', 'abc', '2020-13-45', '"', '""', ',', ' ', '\t', 'null', '∞', '\u0000'),
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
)

/** One seeded edit of a CSV's rows. */
const rowEdit = fc.oneof(
  fc.record({ op: fc.constant('field' as const), row: fc.nat(), col: fc.nat(5), value: junk }),
  fc.record({ op: fc.constant('drop-field' as const), row: fc.nat(), col: fc.nat(5) }),
  fc.record({ op: fc.constant('extra-field' as const), row: fc.nat(), value: junk }),
  fc.record({ op: fc.constant('duplicate' as const), row: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), row: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), row: fc.nat(), value: fc.string({ maxLength: 40 }) }),
  fc.record({ op: fc.constant('delete' as const), row: fc.nat() }),
)

/** A whole-file edit after the row edits. */
const fileEdit = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ op: 'none' as const }) },
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('header' as const), value: junk }),
  fc.constant({ op: 'crlf' as const }),
  fc.constant({ op: 'bom' as const }),
  fc.constant({ op: 'empty' as const }),
)

type RowEdit = typeof rowEdit extends fc.Arbitrary<infer T> ? T : never
type FileEdit = typeof fileEdit extends fc.Arbitrary<infer T> ? T : never

function applyCsv(rows: readonly string[], edits: readonly RowEdit[], f: FileEdit): string {
  const out = [...rows]
  for (const e of edits) {
    if (out.length === 0) break
    const i = e.row % out.length
    const cells = out[i]!.split(',')
    switch (e.op) {
      case 'field':
        cells[e.col % cells.length] = e.value
        out[i] = cells.join(',')
        break
      case 'drop-field':
        cells.splice(e.col % cells.length, 1)
        out[i] = cells.join(',')
        break
      case 'extra-field':
        out[i] = `${out[i]},${e.value}`
        break
      case 'duplicate':
        out.splice(i, 0, out[i]!)
        break
      case 'swap': {
        const j = e.other % out.length
        ;[out[i], out[j]] = [out[j]!, out[i]!]
        break
      }
      case 'insert':
        out.splice(i, 0, e.value)
        break
      case 'delete':
        out.splice(i, 1)
        break
    }
  }
  let text = `${HEADER}\n${out.join('\n')}\n`
  if (f.op === 'truncate') text = text.slice(0, f.at % (text.length + 1))
  else if (f.op === 'header') text = text.replace(HEADER, f.value)
  else if (f.op === 'crlf') text = text.replace(/\n/g, '\r\n')
  else if (f.op === 'bom') text = `\uFEFF${text}`
  else if (f.op === 'empty') text = ''
  return text
}

describe('kestrel pairs scan on malformed CSVs', () => {
  it('ends in a result that accounts for every row, or a typed input error naming the file', async (t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowEdit, { maxLength: 6 }),
        fileEdit,
        fc.array(rowEdit, { maxLength: 2 }),
        async (yEdits, yFile, xEdits) => {
          const dir = caseDir()
          const y = join(dir, 'YY_1d.csv')
          const x = join(dir, 'XX_1d.csv')
          const yText = applyCsv(Y_ROWS, yEdits, yFile)
          const xText = applyCsv(X_ROWS, xEdits, { op: 'none' })
          writeFileSync(y, yText)
          writeFileSync(x, xText)
          const r = await runChecked(['pairs', 'scan', y, x, '--json'], ['YY_1d.csv', 'XX_1d.csv'])
          if (r.code === 0) {
            const rows = JSON.parse(r.out) as { y: string; x: string }[]
            assert.deepEqual(
              rows.map((p) => [p.y, p.x]),
              [['YY', 'XX']],
            )
            // nothing silently lost: each data line is a bar or a quarantined row
            const scan = await scanPairFiles([y, x])
            for (const [f, text] of [
              [scan.files[0]!, yText],
              [scan.files[1]!, xText],
            ] as const)
              assert.equal(f.bars + f.quarantine.length, dataLines(text), `${basename(f.file)}: rows unaccounted`)
          }
          rmSync(dir, { recursive: true, force: true })
        },
      ),
      { seed: 20261203, numRuns: RUNS, timeout: 20_000 },
    )
    const codes = seen.get('pairs')!
    t.diagnostic(`exit 0: ${codes.filter((c) => c === 0).length}, exit 1: ${codes.filter((c) => c === 1).length}`)
    assert.ok(codes.includes(0) && codes.includes(1), 'the inputs reach both a result and an error')
  })
})

// --- JSON-lines files -----------------------------------------------------------------------------------------

const ISO = fc
  .integer({ min: Date.UTC(2013, 9, 4), max: Date.UTC(2013, 9, 12) })
  .map((t) => new Date(t).toISOString().replace('.000Z', 'Z'))

const goodFlow = fc.record({
  time: ISO,
  symbol: fc.constantFrom('SPY', 'IBM', 'BAC', 'ibm'),
  right: fc.constantFrom('call', 'put'),
  strike: fc.integer({ min: 1, max: 400 }),
  expiry: fc.constantFrom('2013-10-19', '2013-11-16'),
  premium: fc.integer({ min: 0, max: 2_000_000 }),
  volume: fc.nat(50_000),
  openInterest: fc.nat(50_000),
  side: fc.constantFrom('sweep', 'block'),
})
const goodInsider = fc.record({
  time: ISO,
  symbol: fc.constantFrom('SPY', 'IBM', 'BAC'),
  insider: fc.constantFrom('A', 'B', 'C', 'D'),
  role: fc.constantFrom('Director', 'CFO'),
  code: fc.constantFrom('P', 'S'),
  shares: fc.integer({ min: 1, max: 100_000 }),
  price: fc.integer({ min: 1, max: 300 }),
})
const goodNews = fc.record({
  time: ISO,
  symbols: fc.subarray(['SPY', 'IBM', 'BAC']),
  headline: fc.constantFrom('up', 'down', 'flat'),
  sentiment: fc.double({ min: -1, max: 1, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
})

/** A line: a good record as JSON, the record with one key changed, dropped or added, or raw text. */
function lineOf(good: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 1 }), junk)
  return fc.oneof(
    { weight: 4, arbitrary: good.map((o) => JSON.stringify(o)) },
    fc
      .tuple(good, fc.nat(), value)
      .map(([o, k, v]) => JSON.stringify({ ...o, [Object.keys(o)[k % Object.keys(o).length]!]: v })),
    fc.tuple(good, fc.nat()).map(([o, k]) => {
      const c = { ...o }
      delete c[Object.keys(o)[k % Object.keys(o).length]!]
      return JSON.stringify(c)
    }),
    fc
      .tuple(good, fc.string({ minLength: 1, maxLength: 6 }), value)
      .map(([o, k, v]) => JSON.stringify({ ...o, [k]: v })),
    fc.tuple(good, fc.nat()).map(([o, n]) => {
      const s = JSON.stringify(o)
      return s.slice(0, n % s.length)
    }),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', '   ', '# note', '[]', 'null', '{}', '{"id":"x"}', '\r'),
  )
}

/** Lines a JSON-lines reader must account for: not blank, not a `#` comment. */
function countable(text: string): number[] {
  const out: number[] = []
  text.split('\n').forEach((l, i) => {
    const t = l.replace(/\r$/, '').trim()
    if (t !== '' && !t.startsWith('#')) out.push(i + 1)
  })
  return out
}

describe('the JSON-lines readers on malformed lines', () => {
  it('options flow and insider files: every countable line is a record or quarantined with its file and line', () => {
    fc.assert(
      fc.property(
        fc.array(lineOf(goodFlow), { maxLength: 12 }),
        fc.array(lineOf(goodInsider), { maxLength: 12 }),
        (fl, il) => {
          for (const [text, parse] of [
            [fl.join('\n'), parseOptionsFlowLines],
            [il.join('\n'), parseInsiderLines],
          ] as const) {
            const f = parse(text, 'r.jsonl')
            const lines = countable(text)
            assert.equal(f.records.length + f.quarantine.length, lines.length)
            for (const q of f.quarantine) {
              assert.ok(lines.includes(q.line!))
              assert.match(q.message, new RegExp(`^r\\.jsonl line ${q.line}: `))
            }
            for (let i = 1; i < f.records.length; i++) assert.ok(f.records[i - 1]!.time <= f.records[i]!.time)
          }
        },
      ),
      { seed: 20261203, numRuns: 300 },
    )
  })

  it('news files: all items, or a NewsFileError naming a countable line', () => {
    fc.assert(
      fc.property(fc.array(lineOf(goodNews), { maxLength: 12 }), (nl) => {
        const text = nl.join('\n')
        const lines = countable(text)
        try {
          assert.equal(parseNewsLines(text, 'n.jsonl').length, lines.length)
        } catch (e) {
          if (!(e instanceof NewsFileError)) throw e
          assert.ok(lines.includes(e.line), `line ${e.line} is not a countable line`)
          assert.equal(e.code, 'DATA_BAD_ROW')
        }
      }),
      { seed: 20261203, numRuns: 300 },
    )
  })
})

// --- kestrel scan --config ------------------------------------------------------------------------------------

const bundledSlice = (f: string, from: number, n: number) => {
  const lines = readFileSync(join(REPO, 'data', 'bundled', f), 'utf8').split('\n')
  return `${[lines[0], ...lines.slice(1 + from, 1 + from + n)].join('\n')}\n`
}
const SPY = bundledSlice('SPY_1m.csv', 600, 400)
const IBM = bundledSlice('IBM_1m.csv', 300, 400)

const SCAN_BASE = {
  scan: {
    data: [{ file: 'SPY_1m.csv' }, { file: 'IBM_1m.csv' }],
    layer1: {
      unusualVolume: { mode: 'rolling', lookback: 30, threshold: 3 },
      breakout: { lookback: 60 },
      momentumShift: { kind: 'ema', fast: 10, slow: 30 },
    },
    layer1_5: { lookback: 120, minDollarVolume: 1000, every: '1d', maxSize: 2 },
    layer2: {
      catalysts: 'news.jsonl',
      news: { confirmWindow: '60m', minAbsSentiment: 0.2 },
      sectorRotation: { benchmark: 'SPY', sectors: { technology: ['IBM'] }, lookback: 30, threshold: 2 },
      correlationBreaks: [{ a: 'SPY', b: 'IBM', window: 20, baseline: 60, threshold: 0.6 }],
      optionsFlow: { file: 'flow.jsonl', minPremium: 100000 },
      insider: { file: 'insider.jsonl', minInsiders: 2, window: '10d' },
    },
  },
}

/** Every key path of a plain value (objects and arrays), as arrays of keys. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at]
  const kids = Array.isArray(v)
    ? v.map((x, i) => paths(x, [...at, i]))
    : Object.entries(v).map(([k, x]) => paths(x, [...at, k]))
  return [at, ...kids.flat()]
}
const SCAN_PATHS = paths(SCAN_BASE).filter((p) => p.length > 1)

const cfgEdit = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    path: fc.nat(),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), junk, fc.integer({ min: -5, max: 5000 })),
  }),
  fc.record({ op: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({ op: fc.constant('rename' as const), path: fc.nat(), name: fc.string({ minLength: 1, maxLength: 8 }) }),
)
const textEdit = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ op: 'none' as const }) },
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom('\t', ':', '- ', '{', ']', '&a ', '*a', '"', "'", '\n  x: 1\n', '!!binary '),
  }),
)

type CfgEdit = typeof cfgEdit extends fc.Arbitrary<infer T> ? T : never

function applyCfg(edits: readonly CfgEdit[]): unknown {
  const cfg = structuredClone(SCAN_BASE) as Record<string, unknown>
  for (const e of edits) {
    const p = SCAN_PATHS[e.path % SCAN_PATHS.length]!
    let o: unknown = cfg
    for (const k of p.slice(0, -1))
      o = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined
    if (o === null || typeof o !== 'object') continue
    const parent = o as Record<string | number, unknown>
    const k = p[p.length - 1]!
    if (e.op === 'set') parent[k] = e.value
    else if (e.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(k as number, 1)
      else delete parent[k]
    } else if (!Array.isArray(parent) && k in parent) {
      parent[e.name] = parent[k]
      delete parent[k]
    }
  }
  return cfg
}

describe('kestrel scan on malformed configs and catalyst files', () => {
  it('ends in the alerts of each layer, or a typed input error saying where', async (t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cfgEdit, { maxLength: 2 }),
        textEdit,
        // a bad news line stops the scan (news files are strict), so few of them
        fc.array(lineOf(goodNews), { maxLength: 2 }),
        fc.array(lineOf(goodFlow), { maxLength: 6 }),
        fc.array(lineOf(goodInsider), { maxLength: 6 }),
        async (edits, tEdit, news, flow, insider) => {
          const dir = caseDir()
          let text = stringify(applyCfg(edits))
          if (tEdit.op === 'truncate') text = text.slice(0, tEdit.at % (text.length + 1))
          else if (tEdit.op === 'insert') {
            const at = tEdit.at % (text.length + 1)
            text = text.slice(0, at) + tEdit.text + text.slice(at)
          }
          const cfg = join(dir, 'scan.yaml')
          writeFileSync(cfg, text)
          writeFileSync(join(dir, 'SPY_1m.csv'), SPY)
          writeFileSync(join(dir, 'IBM_1m.csv'), IBM)
          writeFileSync(join(dir, 'news.jsonl'), news.join('\n'))
          const flowText = flow.join('\n')
          const insiderText = insider.join('\n')
          writeFileSync(join(dir, 'flow.jsonl'), flowText)
          writeFileSync(join(dir, 'insider.jsonl'), insiderText)
          // a path the mutated config names, read from the case folder, is a where too
          const r = await runChecked(
            ['scan', '--config', cfg, '--json'],
            [dir, 'scan.yaml', 'news.jsonl', 'flow.jsonl', 'insider.jsonl', 'SPY_1m.csv', 'IBM_1m.csv'],
          )
          if (r.code === 0) {
            const j = JSON.parse(r.out) as Record<string, unknown[]> & { catalystQuarantine: { source: string }[] }
            for (const k of ['layer1', 'layer1_5', 'layer2', 'catalystQuarantine']) assert.ok(Array.isArray(j[k]), k)
            // the record files' bad lines are all reported, with the file they came from
            const expected = [
              ...(text.includes('flow.jsonl') ? parseOptionsFlowLines(flowText, 'flow.jsonl').quarantine : []),
              ...(text.includes('insider.jsonl') ? parseInsiderLines(insiderText, 'insider.jsonl').quarantine : []),
            ]
            if (text === stringify(SCAN_BASE))
              assert.deepEqual(
                j.catalystQuarantine.map((q) => basename(q.source)),
                expected.map((q) => q.source),
              )
            for (const q of j.catalystQuarantine)
              assert.ok(['flow.jsonl', 'insider.jsonl'].includes(basename(q.source)))
          }
          rmSync(dir, { recursive: true, force: true })
        },
      ),
      { seed: 20261203, numRuns: RUNS, timeout: 30_000 },
    )
    const codes = seen.get('scan')!
    t.diagnostic(`exit 0: ${codes.filter((c) => c === 0).length}, exit 1: ${codes.filter((c) => c === 1).length}`)
    assert.ok(codes.includes(0) && codes.includes(1), 'the inputs reach both a result and an error')
  })
})
