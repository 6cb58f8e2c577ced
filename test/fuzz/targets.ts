/**
 * Fuzz targets: every CLI command that takes a file or config argument, each with a good base input and a
 * seeded way to turn it into a bad one. A target turns (case seed, case folder) into the files to write and the
 * argv to run; the harness runs it in-process and checks the outcome.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  expectation,
  int,
  mutateCsv,
  mutateText,
  pick,
  renderDoc,
  rng,
  type CsvExpectation,
  type TextKind,
} from './mutate.ts'

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const bundled = (f: string) => join(REPO, 'data', 'bundled', f)
const read = (p: string) => readFileSync(p, 'utf8')

/** The first `n` data rows of a bundled file, with its header. */
function slice(file: string, n: number, from = 0): string {
  const lines = read(bundled(file)).split('\n')
  return `${[lines[0], ...lines.slice(1 + from, 1 + from + n)].join('\n')}\n`
}

/** Good bar files (each validates with every row accepted: the base-input test checks it). */
export const BAR_BASES: readonly { name: string; text: string }[] = [
  { name: 'SPY_1d.csv', text: slice('SPY_1d.csv', 120) },
  { name: 'BTC-USD_1m.csv', text: slice('BTC-USD_1m.csv', 120, 2000) },
  { name: 'IBM_1m.csv', text: slice('IBM_1m.csv', 120, 40) },
  { name: 'AAPL_1d.csv', text: slice('AAPL_1d.csv', 120, 5000) },
  { name: 'SPY_1m.csv', text: slice('SPY_1m.csv', 120, 1000) },
]
const MINUTE_BASES = BAR_BASES.filter((b) => b.name.includes('_1m'))

/** Daily simple returns of SPY's first 250 days, `date,returns`. */
function returnsBase(): string {
  const rows = read(bundled('SPY_1d.csv')).split('\n').slice(1, 252)
  const out = ['date,returns']
  for (let i = 1; i < rows.length; i++) {
    const a = Number(rows[i - 1]!.split(',')[4])
    const b = Number(rows[i]!.split(',')[4])
    out.push(`${rows[i]!.slice(0, 10)},${b / a - 1}`)
  }
  return `${out.join('\n')}\n`
}

const RISK_YAML = read(join(REPO, 'examples', 'risk.yaml'))
const riskSection = RISK_YAML.slice(RISK_YAML.indexOf('\nrisk:') + 1)
  .replace('../data/bundled/SPY_1d.csv', bundled('SPY_1d.csv'))
  .replace('../data/bundled/AAPL_1d.csv', bundled('AAPL_1d.csv'))

/** A config with every section; its backtest reads `SPY_1m.csv` beside it. */
export const CONFIG_BASE = `# Fuzz base: every section of the config.
storage:
  backend: duckdb
  path: k.duckdb
  lakePath: lake
  hotWindowDays: 30
logging: { level: warn, pretty: false }
data:
  datasets:
    - { path: SPY_1m.csv, symbol: SPY, venue: ARCA, assetClass: equity, timeframe: 1m, timezone: UTC }
  outlierZ: 12
strategies:
  - use: sma-cross
    params: { fast: 10, slow: 30, size: 200 }
account: { cash: 100000, currency: USD, type: margin, leverage: 2, maintenanceMargin: 0.25, borrowRate: 0.01 }
backtest:
  data:
    - { file: SPY_1m.csv, venue: ARCA, tickSize: 0.01, lotSize: 1 }
  fees: { type: per-share, perShare: 0.005, minPerOrder: 1, maxPerOrderRate: 0.01 }
  venues:
    ARCA: { fees: { type: tiered, tiers: [{ minVolume: 0, makerRate: -0.0002, takerRate: 0.0003 }], windowDays: 30 } }
  fill:
    path: OHLC
    spreadBps: 2
    slippage: { type: percent, bps: 1 }
    impact: { type: sqrt, y: 0.5 }
    participation: 0.1
    latency: { submitMs: 50, ackMs: 0, fillMs: 0 }
  historySize: 256
  seed: 7
  benchmark: true
${riskSection}`

const SPY_1M_SMALL = slice('SPY_1m.csv', 300, 600)

/** `examples/my-strategy.ts` importing the public API by absolute URL, so it runs from a temporary folder. */
const STRATEGY_BASE = read(join(REPO, 'examples', 'my-strategy.ts')).replace(
  "from 'kestrel'",
  `from ${JSON.stringify(pathToFileURL(join(REPO, 'src', 'index.ts')).href)}`,
)

const FEATURES_SPEC = read(join(REPO, 'examples', 'features.yaml'))
const LIGHT_SPEC = `name: fuzz-light
features:
  ret: logret(close, 1)
  rsi: rsi(close, 14)
  vol: ewmavol(ret, 0.94)
  pk: parkinson(20)
  candle: candle()
`
const ACTIONS_BASE = read(join(REPO, 'test', 'fixtures', 'data', 'AAPL_corporate_actions.csv'))
export const RISK_STATE_BASE = read(join(REPO, 'test', 'fuzz', 'corpus', 'risk-state.json'))

export interface FuzzFile {
  readonly name: string
  readonly bytes: Uint8Array
}

/** One generated input: what to write, how to run it, and what the outcome must satisfy. */
export interface FuzzCase {
  readonly target: string
  readonly seed: number
  /** The mutations applied, for the failure message. */
  readonly what: readonly string[]
  readonly files: readonly FuzzFile[]
  readonly argv: readonly string[]
  /** The mutated file (its base name must appear in an error message: the "where"). */
  readonly subject: string
  /** Row accounting to check from the JSON output (data validate / data import). */
  readonly csv?: CsvExpectation & { readonly json: 'validate' | 'import' }
}

export interface Target {
  readonly name: string
  /** The seeded case `seed`, its files to be written into `dir`. */
  make(seed: number, dir: string): FuzzCase
  /**
   * A case of the given subject file (a stored regression input), written as `name`; `variant` seeds the choice
   * of flags the seeded cases vary (e.g. with and without --json).
   */
  fixed(name: string, bytes: Uint8Array, dir: string, variant?: number): FuzzCase
}

const file = (name: string, text: string | Uint8Array): FuzzFile => ({
  name,
  bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text,
})

/** A target whose subject is a mutated bar CSV (named like the base, so symbol and timeframe come from it). */
function barTarget(
  name: string,
  bases: readonly { name: string; text: string }[],
  argv: (f: string, dir: string, r: () => number) => string[],
  json?: 'validate' | 'import',
): Target {
  return {
    name,
    fixed(fileName, bytes, dir, variant = 0) {
      const f = join(dir, fileName)
      const argvOf = argv(f, dir, rng(variant))
      return {
        target: name,
        seed: variant,
        what: [`stored input ${fileName}`],
        files: [file(fileName, bytes)],
        argv: argvOf,
        subject: fileName,
      }
    },
    make(seed, dir) {
      const r = rng(seed)
      const base = pick(r, bases)
      const { doc, what } = mutateCsv(base.text, r)
      const bytes = renderDoc(doc)
      const f = join(dir, base.name)
      return {
        target: name,
        seed,
        what: [base.name, ...what],
        files: [file(base.name, bytes)],
        argv: argv(f, dir, r),
        subject: base.name,
        ...(json ? { csv: { ...expectation(doc, bytes), json } } : {}),
      }
    },
  }
}

/** A target whose subject is a mutated text file (config, spec, snapshot, strategy) beside fixed files. */
function textTarget(
  name: string,
  o: {
    base: string
    kind: TextKind
    fileName: string
    extra?: FuzzFile[]
    argv: (f: string, dir: string, r: () => number) => string[]
  },
): Target {
  return {
    name,
    fixed(fileName, bytes, dir, variant = 0) {
      return {
        target: name,
        seed: variant,
        what: [`stored input ${fileName}`],
        files: [...(o.extra ?? []), file(o.fileName, bytes)],
        argv: o.argv(join(dir, o.fileName), dir, rng(variant)),
        subject: o.fileName,
      }
    },
    make(seed, dir) {
      const r = rng(seed)
      const { bytes, what } = mutateText(o.base, o.kind, r)
      return {
        target: name,
        seed,
        what,
        files: [...(o.extra ?? []), file(o.fileName, bytes)],
        argv: o.argv(join(dir, o.fileName), dir, r),
        subject: o.fileName,
      }
    },
  }
}

/** SPY_1d's first 120 days with closes moved by a seeded wobble: the partner of the `pairs scan` cases. */
const PAIR_PARTNER = (() => {
  const lines = slice('SPY_1d.csv', 120).trimEnd().split('\n')
  const r = rng(5)
  const out = [lines[0]]
  for (const l of lines.slice(1)) {
    const f = l.split(',')
    const k = 1 + (r() - 0.5) * 0.02
    const px = (i: number) => (Number(f[i]) * 2 * k).toFixed(4)
    out.push([f[0], px(1), (Number(px(2)) * 1.01).toFixed(4), (Number(px(3)) * 0.99).toFixed(4), px(4), f[5]].join(','))
  }
  return `${out.join('\n')}\n`
})()

/** A `scan:` config over small slices, every layer on, reading the layer-2 files beside it. */
const SCAN_CONFIG = `scan:
  data:
    - file: SPY_1m.csv
    - file: IBM_1m.csv
  layer1:
    unusualVolume: { mode: rolling, lookback: 30, threshold: 3 }
    breakout: { lookback: 60 }
    momentumShift: { kind: ema, fast: 10, slow: 30 }
  layer1_5: { lookback: 120, minDollarVolume: 1000, every: 1d, maxSize: 2 }
  layer2:
    catalysts: news.jsonl
    news: { confirmWindow: 60m, minAbsSentiment: 0.2 }
    sectorRotation: { benchmark: SPY, sectors: { technology: [IBM] }, lookback: 30, threshold: 2 }
    correlationBreaks:
      - { a: SPY, b: IBM, window: 20, baseline: 60, threshold: 0.6 }
    optionsFlow: { file: flow.jsonl, minPremium: 100000 }
    insider: { file: insider.jsonl, minInsiders: 2, window: 10d }
`
const SCAN_NEWS = read(join(REPO, 'examples', 'scan-catalysts.jsonl'))
const SCAN_FLOW = read(join(REPO, 'examples', 'scan-options-flow.jsonl'))
const SCAN_INSIDER = read(join(REPO, 'examples', 'scan-insider.jsonl'))
const scanFiles = (skip: string): FuzzFile[] =>
  [
    file('SPY_1m.csv', slice('SPY_1m.csv', 400, 600)),
    file('IBM_1m.csv', slice('IBM_1m.csv', 400, 300)),
    file('news.jsonl', SCAN_NEWS),
    file('flow.jsonl', SCAN_FLOW),
    file('insider.jsonl', SCAN_INSIDER),
  ].filter((f) => f.name !== skip)

const INDICATOR_SPECS = [
  'sma(5),rsi(14)',
  'macd(12,26,9),bbands(20,2,2)',
  'atr(14),adx(14),obv()',
  'vwap(0),sar(0.02,0.2)',
]

export const TARGETS: readonly Target[] = [
  barTarget('data validate <csv>', BAR_BASES, (f) => ['data', 'validate', f, '--json'], 'validate'),
  barTarget(
    'data import <csv>',
    BAR_BASES,
    (f, dir, r) => [
      'data',
      'import',
      f,
      '--json',
      '--db',
      join(dir, '..', 'import.duckdb'),
      '--symbol',
      `F${int(r, 0, 1e9)}`,
    ],
    'import',
  ),
  barTarget('data resample <csv>', MINUTE_BASES, (f, dir, r) => [
    'data',
    'resample',
    f,
    '--to',
    pick(r, ['5m', '15m', '1h', '1d']),
    '--out',
    join(dir, 'out.csv'),
    '--json',
  ]),
  barTarget('indicators <csv>', BAR_BASES, (f, dir, r) => [
    'indicators',
    f,
    '--spec',
    pick(r, INDICATOR_SPECS),
    '--out',
    join(dir, 'out.csv'),
  ]),
  barTarget('backtest --data <csv>', BAR_BASES, (f, _dir, r) => [
    'backtest',
    '--data',
    f,
    ...pick(r, [
      ['--strategy', 'buy-and-hold'],
      ['--strategy', 'sma-cross', '--param', 'fast=5', '--param', 'slow=20'],
      ['--strategy', 'ema-cross', '--param', 'fast=5', '--param', 'slow=20'],
    ]),
    '--json',
  ]),
  barTarget('features build --data <csv>', BAR_BASES, (f, dir) => [
    'features',
    'build',
    join(dir, '..', 'light.yaml'),
    '--data',
    f,
    '--out',
    join(dir, 'out.csv'),
  ]),
  barTarget('stats <returns.csv>', [{ name: 'returns.csv', text: returnsBase() }], (f) => [
    'stats',
    f,
    '--periods-per-year',
    '252',
    '--json',
  ]),
  barTarget('data export --adjust <actions.csv>', [{ name: 'actions.csv', text: ACTIONS_BASE }], (f, dir) => [
    'data',
    'export',
    'AAPL',
    '--timeframe',
    '1d',
    '--from',
    '2014-06-01',
    '--to',
    '2014-06-20',
    '--adjust',
    f,
    '--out',
    join(dir, 'out.csv'),
    '--db',
    join(dir, '..', 'export.duckdb'),
  ]),
  barTarget('pairs scan <csv>', [BAR_BASES[0]!], (f, dir) => [
    'pairs',
    'scan',
    f,
    join(dir, '..', 'XX_1d.csv'),
    '--json',
  ]),
  textTarget('scan --config <yaml>', {
    base: SCAN_CONFIG,
    kind: 'yaml',
    fileName: 'scan.yaml',
    extra: scanFiles(''),
    argv: (f) => ['scan', '--config', f, '--json'],
  }),
  textTarget('scan --config <news.jsonl>', {
    base: SCAN_NEWS,
    kind: 'text',
    fileName: 'news.jsonl',
    extra: [file('scan.yaml', SCAN_CONFIG), ...scanFiles('news.jsonl')],
    argv: (_f, dir) => ['scan', '--config', join(dir, 'scan.yaml'), '--json'],
  }),
  textTarget('scan --config <flow.jsonl>', {
    base: SCAN_FLOW,
    kind: 'text',
    fileName: 'flow.jsonl',
    extra: [file('scan.yaml', SCAN_CONFIG), ...scanFiles('flow.jsonl')],
    argv: (_f, dir) => ['scan', '--config', join(dir, 'scan.yaml'), '--json'],
  }),
  textTarget('features build <spec.yaml>', {
    base: FEATURES_SPEC,
    kind: 'yaml',
    fileName: 'spec.yaml',
    extra: [file('SPY_1m.csv', slice('SPY_1m.csv', 200, 600))],
    argv: (f, dir) => ['features', 'build', f, '--data', join(dir, 'SPY_1m.csv'), '--out', join(dir, 'out.csv')],
  }),
  textTarget('config validate <yaml>', {
    base: CONFIG_BASE,
    kind: 'yaml',
    fileName: 'kestrel.yaml',
    argv: (f) => ['config', 'validate', f, '--json'],
  }),
  textTarget('backtest --config <yaml>', {
    base: CONFIG_BASE,
    kind: 'yaml',
    fileName: 'kestrel.yaml',
    extra: [file('SPY_1m.csv', SPY_1M_SMALL)],
    argv: (f) => ['backtest', '--config', f, '--json'],
  }),
  textTarget('risk status --config <yaml>', {
    base: CONFIG_BASE,
    kind: 'yaml',
    fileName: 'kestrel.yaml',
    extra: [file('SPY_1m.csv', SPY_1M_SMALL)],
    argv: (f) => ['risk', 'status', '--config', f, '--json'],
  }),
  textTarget('risk stress --config <yaml>', {
    base: CONFIG_BASE,
    kind: 'yaml',
    fileName: 'kestrel.yaml',
    argv: (f) => ['risk', 'stress', '--config', f, '--json'],
  }),
  textTarget('risk status --state <json>', {
    base: RISK_STATE_BASE,
    kind: 'json',
    fileName: 'state.json',
    // Both the JSON and the table: the table renders every field.
    argv: (f, _dir, r) => ['risk', 'status', '--state', f, ...(r() < 0.5 ? ['--json'] : [])],
  }),
  textTarget('data archive --config <yaml>', {
    base: CONFIG_BASE,
    kind: 'yaml',
    fileName: 'kestrel.yaml',
    // Explicit --db and --lake: a mutated storage path must not create files outside the case folder.
    argv: (f, dir) => [
      'data',
      'archive',
      '--config',
      f,
      '--db',
      join(dir, 'k.duckdb'),
      '--lake',
      join(dir, 'lake'),
      '--json',
    ],
  }),
  textTarget('backtest --strategy <file.ts>', {
    base: STRATEGY_BASE,
    kind: 'text',
    fileName: 'strategy.ts',
    extra: [file('SPY_1d.csv', slice('SPY_1d.csv', 200))],
    argv: (f, dir) => ['backtest', '--data', join(dir, 'SPY_1d.csv'), '--strategy', f, '--json'],
  }),
]

/** Files every run needs once, beside the case folders (shared spec, stores with data). */
export function sharedSetup(root: string): { files: { path: string; bytes: Uint8Array }[]; runs: string[][] } {
  return {
    files: [
      { path: join(root, 'light.yaml'), bytes: new TextEncoder().encode(LIGHT_SPEC) },
      { path: join(root, 'XX_1d.csv'), bytes: new TextEncoder().encode(PAIR_PARTNER) },
    ],
    runs: [['data', 'import', bundled('AAPL_1d.csv'), '--venue', 'NASDAQ', '--db', join(root, 'export.duckdb')]],
  }
}
