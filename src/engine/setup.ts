/**
 * Building a backtest from files and names: CSV or Parquet bars through the import's inspection (parse, then
 * stage-1 and stage-2 validation; rejected rows are quarantined with their reasons and reported, never dropped
 * silently), strategies by built-in name or from a user's .ts/.js file, and a whole run from a config (its
 * top-level `strategies:` and `account:` and its `backtest:` section).
 */
import { resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import {
  KestrelError,
  findInstrument,
  fxPairBase,
  isKestrelError,
  makeInstrument,
  parseTimeBounds,
  parseTimeframe,
  sliceSeries,
  type Logger,
} from '../core/index.ts'
import { allocBarSeries } from '../core/index.ts'
import type { AssetClass, BarSeries, FrameworkConfig, Instrument, VolumeProfileConfig } from '../core/index.ts'
import type { z } from 'zod'
import type { AccountSectionConfig, StrategyConfig, backtestSection } from '../core/index.ts'
import type { Finding, QuarantinedRow } from '../data/index.ts'
import { fileStem, hintsFromFileName, inspectBarFile, readUniverse } from '../data/index.ts'
import { learnVolumeProfile, type VolumeProfile } from '../execution/index.ts'
import { LimitsRiskEngine, pinoRiskLog } from '../risk/index.ts'
import {
  builtinStrategies,
  isStrategyDefinition,
  parseStrategyParams,
  type StrategyDefinition,
} from '../strategy/index.ts'
import type { BacktestOptions } from './backtest-runner.ts'
import { iteratorOf, type BarFeed } from './data-engine.ts'
import { checkTimeframeMatchesData } from './timeframe-check.ts'
import { accountEventsFromConfig } from './account-config.ts'
import { frameworkFromConfig } from './framework-config.ts'
import { throwSite } from './strategy-errors.ts'
import { finestOf, instrumentsOf, resampledBars } from './instrument-feeds.ts'

/** A bar file (CSV or Parquet) loaded and inspected for a backtest. */
export interface LoadedCsv {
  readonly instrument: Instrument
  /** The rows that passed the inspection, in time order. */
  readonly series: BarSeries
  readonly timeframe: string
  /** The accepted rows as a feed that carries the file's quarantine into the run's validation report. */
  readonly feed: BarFeed
  /** Rows not used, with file, line, field and reason: unreadable ones and those validation rejected. */
  readonly quarantine: readonly QuarantinedRow[]
  /** The inspection's warnings on rows it kept (suspected splits, outlier returns, gaps), in file order. */
  readonly warnings: readonly Finding[]
}

/**
 * Bars of one instrument and timeframe for a backtest, from anywhere: a file read whole (`series` holds its bars)
 * or a stream read in chunks (a store: no `series`; the feed reads the bars again each time a run goes over them).
 */
export interface LoadedBars {
  readonly instrument: Instrument
  readonly timeframe: string
  readonly feed: BarFeed
  readonly quarantine: readonly QuarantinedRow[]
  readonly series?: BarSeries
  /** Warnings on the rows kept, where the bars were inspected on loading (a file; a store's were at import). */
  readonly warnings?: readonly Finding[]
  /** Ids of the store ingestions the bars came from (part of the data version); none for a file. */
  readonly ingestions?: readonly string[]
}

/**
 * The bars of `l` whose open time is in `bounds` (`from` inclusive, `to` exclusive), and the quarantined rows of
 * that range (a row without a timestamp stays listed: it cannot be placed). The whole of `l` without bounds.
 */
export function sliceLoaded(l: LoadedCsv, bounds: { from?: number; to?: number }): LoadedCsv {
  const { from, to } = bounds
  if (from === undefined && to === undefined) return l
  const t = l.series.openTime
  let lo = 0
  while (lo < t.length && from !== undefined && t[lo]! < from) lo++
  let hi = lo
  while (hi < t.length && (to === undefined || t[hi]! < to)) hi++
  const series = sliceSeries(l.series, lo, hi)
  const inside = (ts: number | undefined) =>
    ts === undefined || ((from === undefined || ts >= from) && (to === undefined || ts < to))
  const quarantine = l.quarantine.filter((q) => inside(q.timestamp))
  return {
    ...l,
    series,
    quarantine,
    warnings: l.warnings.filter((w) => inside(w.timestamp)),
    feed: { ...l.feed, data: series, quarantined: quarantine, rowsRead: hi - lo + quarantine.length },
  }
}

/** Options of {@link loadCsvBars}. */
export interface CsvLoadOptions {
  readonly symbol?: string
  readonly venue?: string
  readonly assetClass?: AssetClass
  readonly timeframe?: string
  readonly tickSize?: number
  readonly lotSize?: number
}

/** Guesses the asset class from a symbol: `BTC-USD`, `ETH/BTC` → crypto, else equity. */
export function guessAssetClass(symbol: string): AssetClass {
  return /^[A-Z0-9]+[-/](USD|USDT|USDC|EUR|BTC|ETH)$/i.test(symbol) ? 'crypto' : 'equity'
}

/**
 * Reads and inspects a bar file as `kestrel data import` does: a CSV (`timestamp,open,high,low,close,volume`,
 * any layout the data layer's parser detects) or a Parquet file (`.parquet`, `.pq`).
 */
export async function loadCsvBars(file: string, opts: CsvLoadOptions = {}): Promise<LoadedCsv> {
  const hints = hintsFromFileName(file)
  const symbol = opts.symbol ?? hints.symbol ?? fileStem(file).split('_')[0]!
  const assetClass = opts.assetClass ?? (hints.assetClass !== 'equity' ? hints.assetClass : guessAssetClass(symbol))
  const crypto = assetClass === 'crypto' || assetClass === 'crypto_perp'
  // A cent tick fits crypto quoted in dollars or euros; a coin-quoted pair (ETH-BTC at 0.0894) keeps 1e-8.
  const coinQuoted = /[-/](BTC|ETH)$/i.test(symbol)
  const instrument = makeInstrument({
    symbol,
    venue: opts.venue ?? 'SIM',
    assetClass,
    ...(opts.tickSize !== undefined ? { tickSize: opts.tickSize } : crypto && !coinQuoted ? { tickSize: 0.01 } : {}),
    ...(opts.lotSize !== undefined ? { lotSize: opts.lotSize } : crypto ? { lotSize: 0.0001 } : {}),
  })
  // The name's symbol is taken again by the reader, which refuses names of other series (freqtrade's -mark).
  const how = {
    symbol: opts.symbol ?? (hints.symbol ? undefined : symbol),
    venue: instrument.venue,
    assetClass,
    timeframe: opts.timeframe,
  }
  const r = await inspectBarFile(file, how)
  if (r.rowsRead === 0) throw new KestrelError('DATA_BAD_FILE', `${file}: no bars`, { path: file })
  if (r.accepted.timeframe === 'unknown' && r.accepted.openTime.length === 0) {
    throw new KestrelError(
      'DATA_VALIDATION_FAILED',
      `${file}: no row could be read (${r.quarantine.length} quarantined, first: ${r.quarantine[0]?.message})`,
      { path: file, quarantine: r.quarantine },
    )
  }
  // Stage-2 errors without a row (rows lost on the way) leave nothing to quarantine: the file is refused.
  const lost = r.findings.filter((f) => f.stage === 'transform' && f.severity === 'error' && f.index === undefined)
  if (lost.length > 0) {
    throw new KestrelError('DATA_VALIDATION_FAILED', lost.map((f) => f.message).join('; '), {
      path: file,
      findings: lost,
      quarantine: r.quarantine,
    })
  }
  const timeframe = parseTimeframe(r.accepted.timeframe).text
  const series: BarSeries = { ...r.accepted, instrumentId: instrument.id, timeframe }
  return {
    instrument,
    series,
    timeframe,
    feed: {
      instrumentId: instrument.id,
      timeframe,
      data: series,
      source: file,
      quarantined: r.quarantine,
      rowsRead: r.rowsRead,
    },
    quarantine: r.quarantine,
    warnings: r.findings.filter((f) => f.severity === 'warning'),
  }
}

/** Resolves a strategy: a built-in name, or a path to a module whose default export is a strategy definition. */
export async function resolveStrategy(use: string, baseDir = '.'): Promise<StrategyDefinition> {
  const b = builtinStrategies[use]
  if (b) return b
  if (!/[./\\]/.test(use)) {
    throw new KestrelError(
      'STRATEGY_INVALID',
      `unknown strategy ${JSON.stringify(use)}: built-ins are ${Object.keys(builtinStrategies).join(', ')}, or give a path to a .ts/.js file`,
    )
  }
  const path = resolve(baseDir, use)
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (e) {
    const code = (e as { code?: string }).code
    if (!existsSync(path))
      throw new KestrelError('FILE_NOT_FOUND', `strategy file ${path}: no such file`, { path }, { cause: e })
    if (code === 'ERR_MODULE_NOT_FOUND') {
      const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String((e as Error).message))?.[1]
      throw new KestrelError(
        'STRATEGY_INVALID',
        `strategy file ${path}: cannot load ${missing ? `'${missing}'` : 'an import'}` +
          (missing === 'zod'
            ? " (import { z } from 'kestrel' instead)"
            : missing
              ? ` (install it beside the strategy: npm install ${missing})`
              : ''),
        { path, missing },
        { cause: e },
      )
    }
    // An exception while the module loads (top-level code): name the line that threw, as for a hook's.
    const thrown = e instanceof SyntaxError ? undefined : throwSite(e)
    // Only a line of the user's code: a compiler's own frame (a syntax error in TypeScript) says nothing.
    const site = thrown && !thrown.includes('/node_modules/') ? thrown : undefined
    const at = site && !String((e as Error).message).includes(site) ? ` (at ${site})` : ''
    throw new KestrelError(
      'STRATEGY_INVALID',
      `strategy file ${path}: ${(e as Error).message}${at}`,
      { path, ...(site ? { site } : {}) },
      { cause: e },
    )
  }
  const def = mod.default ?? Object.values(mod).find(isStrategyDefinition)
  if (!isStrategyDefinition(def)) {
    throw new KestrelError('STRATEGY_INVALID', `strategy file ${path}: export default defineStrategy({...})`, { path })
  }
  return def
}

/** Periods per year of bars of `timeframe` for an asset class (24/7 for crypto, 6.5 h × 252 d for the rest). */
export function periodsPerYear(timeframe: string, assetClass: AssetClass): number {
  const ms = parseTimeframe(timeframe).ms
  if (assetClass === 'crypto' || assetClass === 'crypto_perp') return (365 * 86_400_000) / ms
  if (ms >= 86_400_000) return (252 * 86_400_000) / ms
  return (252 * 6.5 * 3_600_000) / ms
}

const DEFAULT_ACCOUNT: AccountSectionConfig = {
  cash: 100_000,
  currency: 'USD',
  type: 'cash',
  leverage: 1,
  maintenanceMargin: 0.25,
  borrowRate: 0,
}

/** The validated `backtest:` config section. */
export type BacktestConfig = z.output<typeof backtestSection>

/** One `backtest.data` entry of the config. */
export type BacktestDataConfig = BacktestConfig['data'][number]

/**
 * Opens the stored series a `backtest.data` entry with `store:` names (`key` is its key path for errors, `baseDir`
 * the config's folder). The app provides it: the engine does not open stores.
 */
export type StoreDataLoader = (entry: BacktestDataConfig, key: string, baseDir: string) => Promise<LoadedBars>

/**
 * What a backtest reads from a config: the top-level `strategies:` and `account:` and the `backtest:` section
 * (a whole validated config fits). `account` defaults to 100 000 USD in a cash account.
 */
export interface BacktestRunConfig {
  readonly strategies?: readonly StrategyConfig[]
  readonly account?: AccountSectionConfig
  readonly backtest?: BacktestConfig
}

/** A backtest assembled from the config section; `loaded` lists the data series read. */
export interface ConfiguredBacktest {
  readonly options: BacktestOptions
  readonly loaded: readonly LoadedBars[]
  /** The `backtest.data` index each of `loaded` comes from (a resampled series: the entry it was made of). */
  readonly entries: readonly number[]
  /** The FX series read, by the currency they convert from. */
  readonly fxLoaded: readonly (LoadedCsv & { readonly currency: string })[]
  readonly periodsPerYear: number
}

/** Validates a configured strategy's params before any data is read: CONFIG_INVALID naming each key path. */
export function checkConfiguredParams(def: StrategyDefinition, params: unknown, path: string): void {
  try {
    parseStrategyParams(def, params)
  } catch (e) {
    if (!isKestrelError(e, 'PARAM_INVALID')) throw e
    const issues = ((e.details as { issues?: string[] } | undefined)?.issues ?? [e.message]).map((i) =>
      i.startsWith('(root): ') ? `${path}: ${i.slice(8)}` : `${path}.${i}`,
    )
    throw new KestrelError(
      'CONFIG_INVALID',
      `strategy ${def.name}: ${issues.join('; ')}`,
      { path, issues },
      { cause: e },
    )
  }
}

/**
 * Loads the data a config's `backtest:` section describes and its top-level `strategies:` and `account:`
 * (paths relative to `baseDir`); with the config's `risk:` section, the run goes through a
 * {@link LimitsRiskEngine} built from it.
 */
export async function backtestFromConfig(
  config: BacktestRunConfig,
  baseDir = '.',
  risk?: unknown,
  opts: { logger?: Logger; storeData?: StoreDataLoader; framework?: FrameworkConfig } = {},
): Promise<ConfiguredBacktest> {
  const cfg = config.backtest
  if (!cfg) throw new KestrelError('CONFIG_INVALID', 'backtest: the config has no backtest: section')
  const configured = config.strategies ?? []
  if (configured.length === 0)
    throw new KestrelError('CONFIG_INVALID', 'strategies: a backtest needs a top-level strategies: list')
  const account = config.account ?? DEFAULT_ACCOUNT
  // Strategies and their params first: a mistyped parameter is found before any data is read.
  const definitions: StrategyDefinition[] = []
  for (const [k, s] of configured.entries()) {
    definitions.push(await resolveStrategy(s.use, baseDir))
    checkConfiguredParams(definitions[k]!, s.params, `strategies[${k}].params`)
  }
  const loaded: LoadedBars[] = []
  const keys: string[] = []
  const entries: number[] = []
  const add = async (l: LoadedBars, d: BacktestDataConfig, k: number) => {
    const key = `backtest.data[${k}]`
    loaded.push(l)
    keys.push(key)
    entries.push(k)
    for (const [j, tf] of (d.resample ?? []).entries()) {
      loaded.push(resampledBars(l, await wholeSeries(l), tf, `${key}.resample[${j}]`))
      keys.push(`${key}.resample[${j}]`)
      entries.push(k)
    }
  }
  for (const [k, d] of cfg.data.entries()) {
    const key = `backtest.data[${k}]`
    if (d.store !== undefined) {
      if (!opts.storeData)
        throw new KestrelError('CONFIG_INVALID', `${key}.store: stored series are read through the app's backtest`)
      await add(await opts.storeData(d, key, baseDir), d, k)
      continue
    }
    const bounds = parseTimeBounds(d.from, d.to, { from: `${key}.from`, to: `${key}.to`, code: 'CONFIG_INVALID' })
    const file = d.file!
    const whole = await loadCsvBars(resolve(baseDir, file), {
      symbol: d.symbol ?? d.instrument,
      venue: d.venue,
      assetClass: d.assetClass,
      timeframe: d.timeframe,
      tickSize: d.tickSize,
      lotSize: d.lotSize,
    })
    if (d.timeframe !== undefined)
      checkTimeframeMatchesData(whole.series.openTime, d.timeframe, {
        code: 'CONFIG_INVALID',
        name: `${key}.timeframe`,
        file,
      })
    await add(sliceLoaded(whole, bounds), d, k)
  }
  const instruments = instrumentsOf(loaded, (k) => keys[k]!)
  const strategies = []
  for (const [k, s] of configured.entries()) {
    const where = `strategies[${k}].instruments`
    strategies.push({
      definition: definitions[k]!,
      params: s.params,
      id: s.id,
      instruments: s.instruments?.map(
        (key) => findInstrument(key, instruments, { where, among: 'this backtest', code: 'CONFIG_INVALID' }).id,
      ),
      timeframes: s.timeframes,
    })
  }
  const fxLoaded: (LoadedCsv & { currency: string })[] = []
  for (const [pair, series] of Object.entries(cfg.fx)) {
    const currency = fxPairBase(pair, account.currency)
    if (currency === undefined)
      throw new KestrelError('CONFIG_INVALID', `backtest.fx.${pair}: expected a pair <CUR>${account.currency}`)
    const spec = typeof series === 'string' ? { file: series } : series
    const l = await loadCsvBars(resolve(baseDir, spec.file), {
      symbol: `${currency}${account.currency}`,
      venue: 'FX',
      assetClass: 'fx',
      timeframe: spec.timeframe,
    })
    fxLoaded.push({ ...l, currency })
  }
  const accountEvents = await accountEventsFromConfig(cfg, instruments, baseDir)
  const universe = cfg.universe !== undefined ? await readUniverse(resolve(baseDir, cfg.universe)) : undefined
  const universeSectors = universe
    ? Object.fromEntries(
        instruments.flatMap((i) => {
          const s = universe.sectorOf(i.symbol)
          return s === undefined ? [] : [[i.id, s]]
        }),
      )
    : undefined
  const profile =
    opts.framework?.execution.profile !== undefined
      ? await volumeProfileFromConfig(opts.framework.execution.profile, baseDir, opts.storeData)
      : undefined
  const options: BacktestOptions = {
    instruments,
    feeds: loaded.map((l) => l.feed),
    ...(accountEvents.length > 0 ? { accountEvents } : {}),
    ...(universe ? { universe } : {}),
    ...(fxLoaded.length > 0 ? { fx: fxLoaded.map((l) => ({ currency: l.currency, feed: l.feed })) } : {}),
    strategies,
    account: { ...account },
    fees: cfg.fees,
    venueFees: Object.fromEntries(Object.entries(cfg.venues).map(([v, x]) => [v, x.fees])),
    fill: cfg.fill,
    historySize: cfg.historySize,
    seed: cfg.seed,
    ...(risk !== undefined
      ? { risk: new LimitsRiskEngine(risk, opts.logger ? { log: pinoRiskLog(opts.logger) } : {}) }
      : {}),
    ...(opts.framework
      ? {
          framework: frameworkFromConfig(
            opts.framework,
            (s) => {
              const hit = instruments.find((i) => i.id === s || i.symbol === s)
              if (!hit) throw new KestrelError('CONFIG_INVALID', `framework.risk.sectors: unknown instrument ${s}`)
              return hit.id
            },
            universeSectors,
            profile,
          ),
        }
      : {}),
  }
  const first = finestOf(loaded, loaded[0]!.instrument.id)
  return {
    options,
    loaded,
    entries,
    fxLoaded,
    periodsPerYear: cfg.periodsPerYear ?? periodsPerYear(first.timeframe, first.instrument.assetClass),
  }
}

/**
 * The VWAP volume profile a `framework.execution.profile:` entry names: its bars read the way `backtest.data`
 * entries are (a file inspected and cut to `from`/`to`, or a stored series through the app's loader), then
 * learned over the entry's calendar and buckets.
 */
export async function volumeProfileFromConfig(
  p: VolumeProfileConfig,
  baseDir = '.',
  storeData?: StoreDataLoader,
): Promise<VolumeProfile> {
  const key = 'framework.execution.profile'
  let bars: BarSeries
  if (p.store !== undefined) {
    if (!storeData) throw new KestrelError('CONFIG_INVALID', `${key}.store: stored series are read through the app`)
    const l = await storeData(
      {
        store: p.store,
        symbol: p.symbol,
        ...(p.lake !== undefined ? { lake: p.lake } : {}),
        ...(p.timeframe !== undefined ? { timeframe: p.timeframe } : {}),
        ...(p.from !== undefined ? { from: p.from } : {}),
        ...(p.to !== undefined ? { to: p.to } : {}),
      },
      key,
      baseDir,
    )
    bars = await wholeSeries(l)
  } else {
    const bounds = parseTimeBounds(p.from, p.to, { from: `${key}.from`, to: `${key}.to`, code: 'CONFIG_INVALID' })
    const whole = await loadCsvBars(resolve(baseDir, p.file!), { timeframe: p.timeframe })
    bars = sliceLoaded(whole, bounds).series
  }
  return learnVolumeProfile(bars, { buckets: p.buckets, calendar: p.calendar })
}

/** Every bar of `l` in one series: its `series`, or its feed (a store's chunks) read to the end. */
export async function wholeSeries(l: LoadedBars): Promise<BarSeries> {
  if (l.series) return l.series
  const parts: BarSeries[] = []
  const it = iteratorOf(l.feed.data)
  for (let r = await it.next(); !r.done; r = await it.next()) parts.push(r.value as BarSeries)
  const out = allocBarSeries(
    l.instrument.id,
    l.timeframe,
    parts.reduce((a, x) => a + x.openTime.length, 0),
  )
  let at = 0
  for (const x of parts) {
    for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) out[k].set(x[k], at)
    at += x.openTime.length
  }
  return out
}
