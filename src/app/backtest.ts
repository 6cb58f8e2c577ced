/**
 * Run a backtest: from bar files and settings, or from a config (its top-level `strategies:` and `account:`, its
 * `backtest:` section, and its `risk:` limits reloaded while the run goes when the file changes). With `report`, the strategy is also run against a
 * buy-and-hold benchmark and the HTML tearsheet written. Returns the result and its JSON report; prints nothing.
 */
import { dirname, resolve } from 'node:path'
import {
  EventBus,
  KestrelError,
  kestrelConfigSchema,
  loadConfigFile,
  isoUtc,
  parseTimeframe,
  type Logger,
  type TimeBounds,
} from '../core/index.ts'
import { readUniverse, type QuarantinedRow } from '../data/index.ts'
import {
  accountEventsFromConfig,
  backtestFromConfig,
  checkTimeframeMatchesData,
  finestOf,
  instrumentsOf,
  loadCsvBars,
  periodsPerYear,
  quarantineJson,
  resolveStrategy,
  runBacktest,
  sliceLoaded,
  type BacktestOptions,
  type BacktestResult,
  type BacktestRun as EngineBacktestRun,
  type LoadedBars,
} from '../engine/index.ts'
import { sessionClockFor, type TearsheetInput } from '../research/index.ts'
import { buyAndHold } from '../strategy/index.ts'
import type { Env } from './types.ts'
import { backtestReport, liquidationNotes, writeTearsheet } from './backtest-report.ts'
import { backtestResultJson, tcaRows, type ParentTcaJson, type ReturnsSample } from './backtest-result.ts'
import { MetaRecords } from './meta-records.ts'
import { tcaSummary } from './tca-summary.ts'
import { OpenStores, configStoreLoader, openStoredSeries, wholeSeries } from './backtest-data.ts'
import type { StoreSelection } from './store.ts'
import { DEFAULT_FEE_RATE } from './backtest-defaults.ts'
import { fixableRejects, type FixableReject } from './order-rejects.ts'
import {
  runDataWarnings,
  strictDataError,
  tearsheetWarnings,
  warningsJson,
  type ActionsSetting,
  type RunDataWarning,
} from './data-warnings.ts'

export type { QuarantinedRow }

/** A backtest of bar files (CSV or Parquet), or of stored series, with one strategy. */
export interface FilesBacktest {
  /** Bar files; empty with `store`. */
  readonly data: readonly string[]
  /** Read the bars from this store (hot store and Parquet lake) instead of files; `symbols` selects the series. */
  readonly store?: StoreSelection
  /**
   * With `store`: the series to run on, each an instrument id or a symbol stored under one venue. With `data`:
   * each file's symbol, in the order of the files.
   */
  readonly symbols?: readonly string[]
  /** Bar open times to run over, files and store alike: `from` inclusive, `to` exclusive. */
  readonly range?: TimeBounds
  /** Bars per chunk read from the store (default 50 000). */
  readonly chunkSize?: number
  /** A built-in strategy name or a path to a strategy file. */
  readonly strategy: string
  readonly params?: Record<string, unknown>
  /** Fee as a fraction of notional, maker and taker (default {@link DEFAULT_FEE_RATE}). */
  readonly feeRate?: number
  readonly spreadBps?: number
  readonly slippageBps?: number
  readonly latencyMs?: number
  readonly cash: number
  readonly account?: 'cash' | 'margin'
  readonly leverage?: number
  /** Account currency (default USD). */
  readonly currency?: string
  /** FX series converting each foreign quote currency into the account currency. */
  readonly fx?: readonly { readonly currency: string; readonly file: string }[]
  /** Bar length; checked against the bars' spacing. */
  readonly timeframe?: string
  /** Symbol of a single data file (default: from its name); `symbols` names several. */
  readonly symbol?: string
  readonly minBars?: number
  /** How errors name the timeframe setting (the CLI says `--timeframe`). */
  readonly timeframeName?: string
  /**
   * Corporate actions file (symbol,date,type,value): splits and dividends of the run's instruments applied as
   * engine events on their ex-dates. The bars must be unadjusted.
   */
  readonly actions?: string
  /**
   * Universe file (.csv or .yaml): point-in-time membership with delistings; strategies trade an instrument only
   * while it is a member, and a position held at a delisting closes at the last close × (1 + delisting return).
   */
  readonly universe?: string
  /** Refuse to run (DATA_VALIDATION_FAILED) when the data carries a warning that changes the results. */
  readonly strictData?: boolean
}

/** A backtest of a config file: its strategies and account on its `backtest:` section (and its `risk:` limits). */
export interface ConfigBacktest {
  readonly config: string
  readonly env: Env
  readonly minBars?: number
  readonly logger?: Logger
  /** A reload of the risk limits failed while running (the old limits stay). */
  readonly onRiskReloadError?: (e: unknown) => void
  /** Refuse to run (DATA_VALIDATION_FAILED) when the data carries a warning that changes the results. */
  readonly strictData?: boolean
  /** Run on these entries of `backtest.data` only (indices; the pipeline's flagged instruments). */
  readonly onlyData?: readonly number[]
}

export type BacktestRequest = FilesBacktest | ConfigBacktest

/** A finished backtest. */
export interface BacktestRun {
  readonly options: BacktestOptions
  readonly result: BacktestResult
  readonly periodsPerYear: number
  /** `sma-cross on SPY`. */
  readonly title: string
  /** Rows the feed's validation set aside. */
  readonly quarantined: QuarantinedRow[]
  readonly rejected: BacktestResult['orders'][number][]
  /** The rejected orders whose strategy can fix the reason (a price off the tick, an exit before its entry). */
  readonly fixableRejects: FixableReject[]
  /** Warnings of the run's margin calls and wipe-out, one line each. */
  readonly notes: string[]
  /** Warnings about the data that change the results (suspected unadjusted splits), each with its fix. */
  readonly dataWarnings: RunDataWarning[]
  /** The tearsheet written (absolute path), with `report`. */
  readonly reportPath?: string
  /** The JSON report (the command line's `--json`). */
  readonly report: Record<string, unknown>
}

/** A run assembled from a request, ready to go (the paper node runs it too). */
export interface Prepared {
  readonly options: BacktestOptions
  readonly periodsPerYear: number
  readonly title: string
  /** The bars read, for the tearsheet's price charts. */
  readonly loaded: readonly LoadedBars[]
  /** Periods per year the config sets (the tearsheet counts them from the data otherwise). */
  readonly reportPeriodsPerYear?: number
  /** The files `loaded` was read from, parallel to it. */
  readonly files?: readonly (string | undefined)[]
  /** The run's corporate actions file, and how the user names it. */
  readonly actions: ActionsSetting
  /** Closes the stores the feeds read, after the last run. */
  readonly close: () => Promise<void>
}

/** Assembles the run of a config file (its `backtest:` section's data, or `replay` files in their place). */
export async function fromConfig(req: ConfigBacktest & { readonly replay?: readonly string[] }): Promise<Prepared> {
  const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
  if (!cfg.backtest) throw new KestrelError('CONFIG_INVALID', `${req.config}: no backtest: section`)
  const only = req.onlyData
  let section = only ? { ...cfg.backtest, data: cfg.backtest.data.filter((_, i) => only.includes(i)) } : cfg.backtest
  if (req.replay !== undefined && req.replay.length > 0) {
    if (req.replay.length !== section.data.length)
      throw new KestrelError(
        'USAGE',
        `--replay: ${req.replay.length} files for ${section.data.length} backtest.data entries of ${req.config}; give one per entry, in order`,
      )
    const files = req.replay
    section = {
      ...section,
      data: section.data.map((d, i) => {
        const {
          store: _s,
          from: _f,
          to: _t,
          ...rest
        } = d as typeof d & { store?: unknown; from?: unknown; to?: unknown }
        return { ...rest, file: resolve(files[i]!) } as typeof d
      }),
    }
  }
  if (section.data.length === 0)
    throw new KestrelError('CONFIG_INVALID', `${req.config}: no backtest.data entry left to run on`)
  const stores = new OpenStores()
  let c
  try {
    c = await backtestFromConfig({ ...cfg, backtest: section }, dirname(resolve(req.config)), cfg.risk, {
      logger: req.logger,
      storeData: configStoreLoader(stores, req.env),
      ...(cfg.framework ? { framework: cfg.framework } : {}),
    })
  } catch (e) {
    await stores.close()
    throw e
  }
  const minBars = req.minBars
  // Editing the file's risk: section while the run goes reloads the limits (a whole config; see risk reload).
  const onError = req.onRiskReloadError ?? (() => undefined)
  const options: BacktestOptions = cfg.risk
    ? { ...c.options, minBars, riskFile: { path: req.config, options: { env: req.env, onError } } }
    : { ...c.options, minBars }
  const title = `${c.options.strategies.map((s) => s.id ?? s.definition.name).join(', ')} on ${symbolsOf(c.loaded)}`
  return {
    options,
    periodsPerYear: c.periodsPerYear,
    title,
    loaded: c.loaded,
    reportPeriodsPerYear: section.periodsPerYear,
    // A resampled series names the file it was made of.
    files: c.entries.map((k) => {
      const d = section.data[k]!
      return 'file' in d && d.file ? resolve(dirname(resolve(req.config)), d.file) : undefined
    }),
    actions: {
      name: 'backtest.corporateActions',
      ...(section.corporateActions !== undefined
        ? { path: resolve(dirname(resolve(req.config)), section.corporateActions) }
        : {}),
    },
    close: () => stores.close(),
  }
}

/** The bars a files-or-store request names: the files cut to the range, or the stored series streamed. */
async function requestedBars(req: FilesBacktest, stores: OpenStores): Promise<LoadedBars[]> {
  const range = req.range ?? {}
  if (req.store) {
    const store = await stores.get('store', req.store)
    const where = req.store.db ?? req.store.config ?? 'the store'
    if (!req.symbols?.length)
      throw new KestrelError('USAGE', `backtest from ${where}: name the series (--symbol SPY, --instrument SPY.XNAS)`)
    const loaded: LoadedBars[] = []
    for (const symbol of req.symbols)
      loaded.push(
        await openStoredSeries(store, {
          symbol,
          timeframe: req.timeframe,
          range,
          chunkSize: req.chunkSize,
          where,
          timeframeName: req.timeframeName,
        }),
      )
    return loaded
  }
  const names = req.symbols ?? (req.symbol === undefined ? [] : [req.symbol])
  if (names.length > 0 && names.length !== req.data.length)
    throw new KestrelError(
      'USAGE',
      `backtest: ${names.length} symbols for ${req.data.length} data files; give one per file, in order, or none`,
    )
  const loaded = []
  for (const [i, f] of req.data.entries()) {
    const whole = await loadCsvBars(f, { timeframe: req.timeframe, symbol: names[i] })
    if (req.timeframe !== undefined)
      checkTimeframeMatchesData(whole.series.openTime, req.timeframe, {
        code: 'USAGE',
        name: req.timeframeName ?? 'timeframe',
        file: f,
      })
    const cut = sliceLoaded(whole, range)
    if (cut.series.openTime.length === 0 && whole.series.openTime.length > 0)
      throw new KestrelError(
        'DATA_NOT_FOUND',
        `${f}: no bars in the range; the file has ${isoUtc(whole.series.openTime[0]!)} to ${isoUtc(whole.series.openTime.at(-1)!)}`,
        { path: f, ...range },
      )
    loaded.push(cut)
  }
  return loaded
}

async function fromFiles(req: FilesBacktest): Promise<Prepared> {
  const stores = new OpenStores()
  try {
    return await filesPrepared(req, await requestedBars(req, stores), () => stores.close())
  } catch (e) {
    await stores.close()
    throw e
  }
}

async function filesPrepared(
  req: FilesBacktest,
  loaded: readonly LoadedBars[],
  close: () => Promise<void>,
): Promise<Prepared> {
  const def = await resolveStrategy(req.strategy)
  const currency = req.currency ?? 'USD'
  const fx = []
  for (const { currency: c, file } of req.fx ?? []) {
    const l = await loadCsvBars(file, { symbol: `${c}${currency}`, venue: 'FX', assetClass: 'fx' })
    fx.push({ currency: c, feed: l.feed })
  }
  const feeRate = req.feeRate ?? DEFAULT_FEE_RATE
  const options: BacktestOptions = {
    instruments: instrumentsOf(loaded, (k) => req.data[k] ?? `series ${k + 1}`, 'USAGE'),
    feeds: loaded.map((l) => l.feed),
    strategies: [{ definition: def, params: { ...req.params } }],
    account: { cash: req.cash, currency, type: req.account ?? 'margin', leverage: req.leverage },
    ...(fx.length > 0 ? { fx } : {}),
    fees: { type: 'percent', takerRate: feeRate, makerRate: feeRate },
    fill: {
      ...(req.spreadBps !== undefined ? { spreadBps: req.spreadBps } : {}),
      ...(req.slippageBps !== undefined ? { slippage: { type: 'percent', bps: req.slippageBps } } : {}),
      ...(req.latencyMs !== undefined ? { latency: { submitMs: req.latencyMs, ackMs: 0, fillMs: 0 } } : {}),
    },
    minBars: req.minBars,
  }
  if (req.actions !== undefined) {
    const events = await accountEventsFromConfig(
      { corporateActions: req.actions, funding: {}, swap: {} },
      options.instruments,
    )
    if (events.length > 0) Object.assign(options, { accountEvents: events })
  }
  if (req.universe !== undefined) Object.assign(options, { universe: await readUniverse(req.universe) })
  return {
    options,
    periodsPerYear: periodsPerYear(
      finestOf(loaded, loaded[0]!.instrument.id).timeframe,
      loaded[0]!.instrument.assetClass,
    ),
    title: `${def.name} on ${symbolsOf(loaded)}`,
    loaded,
    files: req.data,
    actions: { name: '--actions', ...(req.actions !== undefined ? { path: req.actions } : {}) },
    close,
  }
}

/** Settings of a run's outputs. */
export interface BacktestOutputOptions {
  /** Where to write the HTML tearsheet. */
  readonly report?: string
  /** How the JSON's `equity` and `returns` series are sampled (default `day`). */
  readonly sample?: ReturnsSample
}

/**
 * Runs the backtest `req` describes; with `report`, also the buy-and-hold benchmark, and writes the tearsheet
 * there. Unusable data is a DATA_VALIDATION_FAILED error whose details carry the quarantined rows.
 */
export async function backtest(req: BacktestRequest, opts: BacktestOutputOptions = {}): Promise<BacktestRun> {
  if (!('config' in req) && req.data.length === 0 && !req.store)
    throw new KestrelError('USAGE', 'backtest: no data files (or a store, or a config) given')
  if (!('config' in req) && req.data.length > 0 && req.store)
    throw new KestrelError('USAGE', 'backtest: data files and a store exclude each other; give one')
  const prepared = 'config' in req ? await fromConfig(req) : await fromFiles(req)
  try {
    const warnings = await runDataWarnings(prepared.loaded, prepared.actions)
    if (req.strictData && warnings.length > 0) throw strictDataError(warnings)
    return await runPrepared(prepared, opts, warnings)
  } finally {
    await prepared.close()
  }
}

/** Runs a prepared run with `runner` (the backtest runner, or a paper node) and builds its report. */
export async function runPrepared(
  prepared: Prepared,
  opts: BacktestOutputOptions,
  dataWarnings: RunDataWarning[],
  runner: (options: BacktestOptions) => Promise<EngineBacktestRun> = runBacktest,
): Promise<BacktestRun> {
  const { options, periodsPerYear: ppy, title } = prepared
  // The meta-strategies' own records (ensemble weights, regime changes) travel on the run's bus.
  const bus = options.bus ?? new EventBus()
  const meta = new MetaRecords(bus)
  let result
  try {
    result = await runner({ ...options, bus })
  } finally {
    meta.close()
  }
  const memberWeights = meta.tearsheet()
  const quarantined = result.data.flatMap((d) => d.quarantine)
  const rejected = result.orders.filter((o) => o.status === 'REJECTED')
  const fixable = fixableRejects(rejected)
  const results = await backtestResultJson({
    result,
    options,
    loaded: prepared.loaded,
    files: prepared.files,
    periodsPerYear: ppy,
    sample: opts.sample ?? 'day',
    quarantined,
  })
  const tca = results.tca as readonly ParentTcaJson[] | undefined
  let reportPath: string | undefined
  if (opts.report) {
    const bench = await runBacktest({
      ...options,
      risk: undefined, // the benchmark is not the strategy: it does not share (or trip) its risk engine
      riskFile: undefined,
      framework: undefined,
      strategies: [{ definition: buyAndHold as never, instruments: [options.instruments[0]!.id] }],
    })
    reportPath = await writeTearsheet(opts.report, result, prepared.reportPeriodsPerYear, title, bench, {
      benchmarkName: `buy-and-hold ${options.instruments[0]!.symbol}`,
      ...(await tearsheetExtras(prepared)),
      warnings: tearsheetWarnings(dataWarnings),
      ...(memberWeights.length > 0 ? { memberWeights } : {}),
      ...(Array.isArray(results.tca) ? { tca: tcaSummary(results.tca) } : {}),
      ...(tca && tca.length > 0 ? { tcaParents: tcaRows(tca) } : {}),
    })
  }
  const currency = options.account.currency ?? 'USD'
  const report = backtestReport(result, ppy, {
    currency,
    instruments: options.instruments.map((i) => ({
      id: i.id,
      quoteCurrency: i.currency,
      ...(i.currency !== currency ? { convertedBy: `${i.currency}${currency}` } : {}),
    })),
    rejectedOrders: rejected.map((o) => ({
      orderId: o.clientOrderId,
      side: o.side,
      quantity: o.quantity,
      reason: o.rejectReason,
    })),
    fixableRejects: fixable,
    title,
    periodsPerYear: ppy,
    warnings: warningsJson(dataWarnings),
    ...(reportPath ? { report: reportPath } : {}),
    ...meta.json(),
    ...results,
  })
  const notes = liquidationNotes(result)
  return {
    options,
    result,
    periodsPerYear: ppy,
    title,
    quarantined,
    rejected,
    fixableRejects: fixable,
    notes,
    dataWarnings,
    reportPath,
    report,
  }
}

/**
 * The report of a backtest refused for unusable data (a DATA_VALIDATION_FAILED error): the error, the feeds'
 * reports, and every quarantined row.
 */
export function validationFailure(e: KestrelError): {
  quarantined: QuarantinedRow[]
  report: Record<string, unknown>
} {
  const quarantined = (e.details.quarantine ?? []) as QuarantinedRow[]
  return {
    quarantined,
    report: {
      error: { code: e.code, message: e.message },
      ...(e.details.feeds ? { data: e.details.feeds } : {}),
      ...(e.details.warnings ? { warnings: e.details.warnings } : {}),
      quarantinedRows: quarantined.length,
      quarantine: quarantined.map(quarantineJson),
    },
  }
}

/** The clock, prices and settings the tearsheet shows of a run. */
async function tearsheetExtras(p: Prepared): Promise<Partial<TearsheetInput>> {
  const first = finestOf(p.loaded, p.loaded[0]!.instrument.id)
  const o = p.options
  const prices = []
  // One price chart per instrument, of the bars it executed on (its finest series).
  for (const l of p.loaded) {
    if (finestOf(p.loaded, l.instrument.id) !== l) continue
    const series = await wholeSeries(l)
    prices.push({ ...series, instrumentId: l.instrument.id, time: series.closeTime })
  }
  return {
    clock: sessionClockFor(parseTimeframe(first.timeframe).ms, first.instrument.calendar, first.instrument.assetClass),
    prices,
    settings: {
      strategies: o.strategies.map((x) => `${x.id ?? x.definition.name} ${JSON.stringify(x.params ?? {})}`).join('; '),
      data: p.loaded.map((l) => `${l.instrument.id} ${l.timeframe}`).join(', '),
      account: JSON.stringify(o.account),
      fees: JSON.stringify(o.fees ?? {}),
      fill: JSON.stringify(o.fill ?? {}),
      'risk engine': o.risk ? 'limits from the config' : 'none',
      ...(o.framework
        ? {
            framework: `${o.framework.construction.name}${o.framework.risk ? ` → ${o.framework.risk.name}` : ''} → ${o.framework.execution?.name ?? 'immediate'}`,
          }
        : {}),
      ...(o.universe
        ? {
            universe: `${o.universe.source}: ${o.universe.symbols.length} symbols, ${o.universe.delistings().length} delistings`,
          }
        : {}),
      seed: o.seed ?? null,
    },
  }
}

/** The symbols of a run's series, each once (an instrument fed at two timeframes is named once). */
function symbolsOf(loaded: readonly LoadedBars[]): string {
  return [...new Set(loaded.map((l) => l.instrument.symbol))].join(', ')
}
