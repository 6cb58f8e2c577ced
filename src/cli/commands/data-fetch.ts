/**
 * `kestrel data fetch --provider ccxt|alpaca|yahoo --symbol S --timeframe 1m --from ISO [--to ISO]`: downloads
 * historical bars into the store (validated, quarantined, logged), page by page, with a checkpoint after each
 * stored page so `--resume` continues an interrupted download. Alpaca keys come from the environment
 * (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`) and are never printed. `--out file.csv` writes CSV instead.
 */
import { createWriteStream } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Command } from 'commander'
import { KestrelError, isoUtc, makeInstrument, parseIso, parseTimeframe } from '../../core/index.ts'
import type { AssetClass, Instrument } from '../../core/index.ts'
import {
  AlpacaSource,
  CcxtSource,
  MemoryStore,
  YahooSource,
  checkpointMatches,
  fetchIntoStore,
  loadCheckpoint,
} from '../../data/index.ts'
import type { BarSource, BarStore, FetchReport, RetryPolicy } from '../../data/index.ts'
import { envVars, printJson, progress, redact, stderr, stdout, table, withExample } from '../util.ts'
import { hotStoreAt, storeLocation } from './data-lake.ts'

const PROVIDERS = ['ccxt', 'alpaca', 'yahoo'] as const
type Provider = (typeof PROVIDERS)[number]
const ASSET_CLASSES: readonly AssetClass[] = [
  'equity',
  'crypto',
  'crypto_perp',
  'fx',
  'metal',
  'future',
  'index',
  'etf',
]

interface FetchCliOptions {
  provider: string
  symbol: string
  timeframe: string
  from: string
  to?: string
  exchange: string
  marketTypes?: string
  baseUrl?: string
  db?: string
  config?: string
  instrument?: string
  assetClass?: string
  out?: string
  resume?: boolean
  checkpoint?: string
  retries: string
  timeout: string
  pageLimit?: string
  json?: boolean
}

function usage(msg: string): KestrelError {
  return new KestrelError('USAGE', `data fetch: ${msg}`)
}

function intOption(name: string, text: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw usage(`${name} ${JSON.stringify(text)}: expected an integer >= ${min}`)
  return n
}

/** The source for `--provider`, with secrets from the environment. */
function makeSource(provider: Provider, o: FetchCliOptions, retry: RetryPolicy): BarSource {
  const pageLimit = o.pageLimit === undefined ? undefined : intOption('--page-limit', o.pageLimit, 1)
  if (provider === 'alpaca') {
    const env = envVars()
    const keyId = env.APCA_API_KEY_ID
    const secretKey = env.APCA_API_SECRET_KEY
    if (!keyId || !secretKey) {
      throw new KestrelError(
        'CONFIG_INVALID',
        'data fetch --provider alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment',
      )
    }
    return new AlpacaSource({ keyId, secretKey, baseUrl: o.baseUrl, retry, pageLimit })
  }
  if (provider === 'yahoo') return new YahooSource({ baseUrl: o.baseUrl, retry })
  const types = o.marketTypes
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  return new CcxtSource({
    exchange: o.exchange,
    baseUrl: o.baseUrl,
    retry,
    pageLimit,
    ...(types?.length ? { exchangeOptions: { fetchMarkets: { types } } } : {}),
  })
}

/** The instrument the bars are stored under: `--instrument SYMBOL.VENUE`, or one derived from the provider. */
function instrumentFor(provider: Provider, o: FetchCliOptions): Instrument {
  const crypto = provider === 'ccxt'
  const assetClass = (o.assetClass ?? (crypto ? 'crypto' : 'equity')) as AssetClass
  if (!ASSET_CLASSES.includes(assetClass))
    throw usage(`--asset-class ${JSON.stringify(o.assetClass)}: expected one of ${ASSET_CLASSES.join(', ')}`)
  if (o.instrument) {
    const i = o.instrument.lastIndexOf('.')
    if (i <= 0 || i === o.instrument.length - 1)
      throw usage(`--instrument ${JSON.stringify(o.instrument)}: expected SYMBOL.VENUE, e.g. AAPL.NASDAQ`)
    return makeInstrument({
      id: o.instrument,
      symbol: o.instrument.slice(0, i),
      venue: o.instrument.slice(i + 1),
      assetClass,
    })
  }
  const symbol = o.symbol.replace(/[/:]/g, '-')
  const venue = (crypto ? o.exchange : provider).toUpperCase()
  return makeInstrument({ symbol, venue, assetClass })
}

/** The store to write to: `--db` (DuckDB file), else the config's storage section (paths relative to the file). */
async function openStore(o: FetchCliOptions): Promise<{ store: BarStore; where: string }> {
  const loc = storeLocation({ db: o.db, config: o.config })
  return { store: hotStoreAt(loc), where: loc.backend === 'postgres' ? 'postgres' : loc.db! }
}

async function writeCsv(path: string, store: BarStore, id: string, tf: string): Promise<void> {
  const out = createWriteStream(path)
  const done = new Promise<void>((resolve, reject) => {
    out.once('error', reject)
    out.once('finish', resolve)
  })
  out.write('timestamp,open,high,low,close,volume\n')
  for await (const s of store.streamBars(id, tf)) {
    let buf = ''
    for (let i = 0; i < s.openTime.length; i++) {
      buf += `${isoUtc(s.openTime[i]!)},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}\n`
    }
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', r))
  }
  out.end()
  await done
}

async function runFetch(o: FetchCliOptions): Promise<void> {
  if (!(PROVIDERS as readonly string[]).includes(o.provider))
    throw usage(`--provider ${JSON.stringify(o.provider)}: expected one of ${PROVIDERS.join(', ')}`)
  const provider = o.provider as Provider
  const timeframe = parseTimeframe(o.timeframe).text
  const from = parseIso(o.from)
  const to = o.to ? parseIso(o.to) : Date.now()
  if (!(to > from)) throw usage(`--to ${isoUtc(to)} must be after --from ${isoUtc(from)}`)
  if (o.out && o.resume) throw usage('--resume needs a store (--db or config), not --out')
  const retry: RetryPolicy = {
    maxAttempts: intOption('--retries', o.retries, 1),
    timeoutMs: intOption('--timeout', o.timeout, 1),
  }
  const source = makeSource(provider, o, retry)
  const instrument = instrumentFor(provider, o)
  const req = { symbol: o.symbol, timeframe, from, to }

  const { store, where } = o.out ? { store: new MemoryStore() as BarStore, where: o.out } : await openStore(o)
  const checkpointPath = o.out
    ? undefined
    : (o.checkpoint ??
      join(
        where === 'postgres' ? '.kestrel' : dirname(where),
        'checkpoints',
        `${source.provider}-${o.symbol}-${timeframe}.json`.replace(/[^\w.-]+/g, '_'),
      ))
  let resume = checkpointPath && o.resume ? loadCheckpoint(checkpointPath) : undefined
  if (resume && (!checkpointMatches(resume, source.provider, req) || resume.to !== to || resume.nextFrom < from)) {
    stderr().write(redact(`note: checkpoint ${checkpointPath} is for another download; starting from --from\n`))
    resume = undefined
  } else if (o.resume && !resume) stderr().write(redact('note: no checkpoint to resume; starting from --from\n'))

  await store.init()
  const bar = progress(`fetch ${o.symbol}`)
  bar.start(1000)
  let report: FetchReport
  try {
    report = await fetchIntoStore(source, req, store, {
      instrument,
      resume,
      checkpointPath,
      onProgress: (p) => bar.update(Math.round(p.fraction * 1000)),
    })
    bar.stop()
    if (o.out) await writeCsv(o.out, store, instrument.id, timeframe)
  } catch (e) {
    bar.stop()
    if (checkpointPath && isResumable(e))
      stderr().write(redact(`note: run again with --resume to continue (checkpoint ${checkpointPath})\n`))
    throw e
  } finally {
    await store.close()
  }
  const row = {
    provider: report.provider,
    instrument: report.instrumentId,
    timeframe: report.timeframe,
    from: isoUtc(report.resumedFrom ?? report.from),
    to: isoUtc(report.to),
    requests: report.requests,
    read: report.rowsRead,
    inserted: report.rowsInserted,
    quarantined: report.rowsQuarantined,
    why: Object.entries(report.quarantinedByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    warnings: Object.entries(report.warningsByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    store: where,
  }
  if (o.json) printJson({ ...report, store: where })
  else stdout().write(table([row]))
}

function isResumable(e: unknown): boolean {
  return (
    e instanceof KestrelError &&
    (e.code === 'PROVIDER_ERROR' || e.code === 'PROVIDER_RATE_LIMITED' || e.code === 'PROVIDER_TIMEOUT')
  )
}

/** Registers `kestrel data fetch` on the `data` command. */
export function registerDataFetch(data: Command): void {
  withExample(
    data
      .command('fetch')
      .description('download historical bars (ccxt, Alpaca, Yahoo) into the store, resumable')
      .requiredOption('--provider <name>', `data provider: ${PROVIDERS.join(' | ')}`)
      .requiredOption('--symbol <symbol>', 'provider symbol: BTC/USDT (ccxt), AAPL (alpaca, yahoo)')
      .option('--timeframe <tf>', 'bar length, e.g. 1m, 5m, 1h, 1d', '1m')
      .requiredOption('--from <iso>', 'first bar open time (inclusive), ISO-8601 UTC')
      .option('--to <iso>', 'end (exclusive), ISO-8601 UTC; default now')
      .option('--exchange <id>', 'ccxt exchange id', 'binance')
      .option('--market-types <list>', 'ccxt market types to load, e.g. spot (binance: spot,linear,inverse by default)')
      .option('--base-url <url>', "send requests to this host instead of the provider's (proxies, tests)")
      .option(
        '--db <file>',
        'DuckDB file to store into (default: storage.path of --config, or .kestrel/kestrel.duckdb)',
      )
      .option('--config <yaml>', 'config file whose storage: section names the store (duckdb or postgres)')
      .option('--instrument <id>', 'store the bars under this instrument id, SYMBOL.VENUE (default from provider)')
      .option('--asset-class <class>', 'asset class of the instrument (default crypto for ccxt, equity otherwise)')
      .option('--out <csv>', 'write the bars to this CSV file instead of a store')
      .option('--resume', 'continue from the checkpoint of an interrupted download')
      .option(
        '--checkpoint <file>',
        'checkpoint file (default: <store folder>/checkpoints/<provider>-<symbol>-<tf>.json)',
      )
      .option('--retries <n>', 'attempts per request (429, 5xx, timeouts are retried with backoff)', '5')
      .option('--page-limit <n>', 'bars per request for ccxt and alpaca (default 1000 and 10000)')
      .option('--timeout <ms>', 'per-request timeout in milliseconds', '30000')
      .option('--json', 'print the report as JSON')
      .action((_opts: unknown, cmd: Command) => runFetch(cmd.opts<FetchCliOptions>())),
    'kestrel data fetch --provider ccxt --exchange binance --symbol BTC/USDT --timeframe 1m --from 2024-01-01 --to 2024-01-08',
    'APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... kestrel data fetch --provider alpaca --symbol AAPL --from 2024-01-02 --to 2024-01-03 --resume',
    'kestrel data fetch --provider yahoo --symbol SPY --timeframe 1d --from 2020-01-01 --out spy_1d.csv',
  )
}
