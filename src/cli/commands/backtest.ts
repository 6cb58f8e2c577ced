/**
 * `kestrel backtest`: runs a strategy on CSV bars through the event-driven engine (simulated exchange,
 * portfolio, risk) and reports fills, round trips, final equity and the research metrics; `--report` writes
 * the HTML tearsheet. The `--json` shape is a stable contract: `currency` is the account currency of every
 * account figure (cash, equity, fees); fill prices, fees and trade P&L are in each instrument's
 * `quoteCurrency` (listed in `instruments`), converted into the account by the `convertedBy` FX series.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  KestrelError,
  fxPairBase,
  isKestrelError,
  isoUtc,
  kestrelConfigSchema,
  loadConfigFile,
  parseTimeframe,
} from '../../core/index.ts'
import type { QuarantinedRow } from '../../data/index.ts'
import {
  backtestFromConfig,
  checkTimeframeMatchesData,
  loadCsvBars,
  periodsPerYear,
  quarantineJson,
  resolveStrategy,
  runBacktest,
  type BacktestOptions,
  type BacktestResult,
} from '../../engine/index.ts'
import { computeMetrics, renderTearsheet, sessionClockFor, type TearsheetInput } from '../../research/index.ts'
import { buyAndHold } from '../../strategy/index.ts'
import { cliLogger, envVars, printJson, redact, stderr, stdout, table, withExample } from '../util.ts'

interface BacktestCliOptions {
  data?: string[]
  strategy: string
  param: string[]
  size?: string
  feeRate?: string
  cash: string
  config?: string
  report?: string
  json: boolean
  timeframe?: string
  symbol?: string
  account: string
  leverage: string
  spreadBps?: string
  slippageBps?: string
  latencyMs?: string
  minBars?: string
  currency: string
  fx: string[]
}

/** `--param k=v`: numbers and booleans are converted, the rest stays text. */
export function parseParamPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of pairs) {
    const i = p.indexOf('=')
    if (i <= 0) throw new KestrelError('USAGE', `--param ${JSON.stringify(p)}: expected key=value`)
    const k = p.slice(0, i).trim()
    const v = p.slice(i + 1).trim()
    out[k] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v
  }
  return out
}

/** The accepted range of a numeric flag; `max` is exclusive. */
interface Range {
  readonly min?: number
  readonly minExclusive?: boolean
  readonly max?: number
}

function rangeText(r: Range): string {
  const lo = r.min === undefined ? '' : `${r.minExclusive ? '>' : '>='} ${r.min}`
  const hi = r.max === undefined ? '' : `< ${r.max}`
  return [lo, hi].filter(Boolean).join(' and ') || 'a finite number'
}

/** A numeric flag, or USAGE naming the flag and the accepted range. */
export function numFlag(v: string | undefined, flag: string, range: Range = {}): number | undefined {
  if (v === undefined) return undefined
  const n = v.trim() === '' ? NaN : Number(v)
  const ok =
    Number.isFinite(n) &&
    (range.min === undefined || (range.minExclusive ? n > range.min : n >= range.min)) &&
    (range.max === undefined || n < range.max)
  if (!ok)
    throw new KestrelError('USAGE', `${flag} ${v}: expected a number ${rangeText(range)}`, {
      flag,
      got: v,
      expected: rangeText(range),
    })
  return n
}

/**
 * The curves the metrics are computed from: the whole run, or after a wipe-out only the part where equity was
 * above zero (a return from an account at or below zero is undefined); `through` is then its last time.
 */
export function solventCurves(result: BacktestResult): {
  equity: BacktestResult['equity']
  exposure: BacktestResult['exposure']
  through?: number
} {
  if (!result.liquidation) return { equity: result.equity, exposure: result.exposure }
  const v = result.equity.value
  let n = 0
  while (n < v.length && v[n]! > 0) n++
  const cut = (c: BacktestResult['equity']) => ({ time: c.time.subarray(0, n), value: c.value.subarray(0, n) })
  return {
    equity: cut(result.equity),
    exposure: cut(result.exposure),
    ...(n > 0 ? { through: result.equity.time[n - 1]! } : {}),
  }
}

/** The stderr lines of a run's margin calls and wipe-out (printed with either output form). */
export function liquidationNotes(result: BacktestResult): string[] {
  const notes = result.marginCalls.map(
    (m) =>
      `warning: margin call at ${isoUtc(m.time)}: equity ${m.equity} below maintenance margin; the venue closed the positions`,
  )
  const l = result.liquidation
  if (l) notes.push(`warning: liquidated: equity ${l.equity} at ${isoUtc(l.time)}; the run stopped there`)
  return notes
}

/** The JSON report of one run (the CLI contract: finalEquity, fills, trades, metrics). */
export function backtestReport(
  result: BacktestResult,
  ppy: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const curves = solventCurves(result)
  const metrics = computeMetrics(
    {
      equity: curves.equity,
      trades: result.trades,
      exposure: curves.exposure,
      tradedNotional: result.tradedNotional,
      periodsPerYear: ppy,
    },
    {},
  )
  const l = result.liquidation
  return {
    ...extra,
    ...(l
      ? {
          liquidation: {
            time: isoUtc(l.time),
            equity: l.equity,
            cash: l.cash,
            openPositions: l.openPositions,
            message: `equity ${l.equity} at ${isoUtc(l.time)} is at or below zero: the account is wiped out and the run stopped there`,
          },
          metricsThrough: curves.through === undefined ? null : isoUtc(curves.through),
        }
      : {}),
    marginCalls: result.marginCalls.map((m) => ({ time: isoUtc(m.time), equity: m.equity })),
    initialCash: result.initialCash,
    finalEquity: result.finalEquity,
    totalReturn: result.finalEquity / result.initialCash - 1,
    feesPaid: result.feesPaid,
    fills: result.fills.map((f) => ({
      time: isoUtc(f.time),
      instrumentId: f.instrumentId,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      liquidity: f.liquidity,
      orderId: f.clientOrderId,
      strategyId: f.strategyId,
    })),
    trades: result.trades.map((t) => ({
      ...t,
      entryTime: isoUtc(t.entryTime),
      exitTime: isoUtc(t.exitTime),
    })),
    stats: Number.isFinite(result.stats.firstTime)
      ? { ...result.stats, firstTime: isoUtc(result.stats.firstTime), lastTime: isoUtc(result.stats.lastTime) }
      : result.stats,
    metrics,
  }
}

/**
 * Writes the tearsheet of `result` (with an optional benchmark run) to `path`; returns the absolute path. Without
 * `ppy` the tearsheet estimates the periods per year from the data; `extra` adds prices, settings, the clock.
 */
export async function writeReport(
  path: string,
  result: BacktestResult,
  ppy: number | undefined,
  title: string,
  benchmark?: BacktestResult,
  extra: Partial<TearsheetInput> = {},
): Promise<string> {
  const curves = solventCurves(result)
  const html = renderTearsheet({
    equity: curves.equity,
    trades: result.trades,
    exposure: curves.exposure,
    tradedNotional: result.tradedNotional,
    periodsPerYear: ppy,
    title,
    ...(benchmark ? { benchmark: solventCurves(benchmark).equity } : {}),
    ...extra,
  })
  const abs = resolve(path)
  await mkdir(dirname(abs), { recursive: true })
  await writeFile(abs, html)
  return abs
}

/** Writes quarantined rows on stderr: how many and why, then the first `shown` (`--json` lists them all). */
export function warnQuarantine(rows: readonly QuarantinedRow[], shown = 20): void {
  if (rows.length === 0) return
  const by = new Map<string, number>()
  for (const q of rows) by.set(q.reason, (by.get(q.reason) ?? 0) + 1)
  const why = [...by].map(([r, n]) => `${r} ${n}`).join(', ')
  const lines = rows.slice(0, shown).map((q) => `  ${q.message}\n`)
  if (rows.length > shown) lines.push(`  ... and ${rows.length - shown} more (--json lists every row)\n`)
  stderr().write(
    redact(
      `warning: ${rows.length} row${rows.length === 1 ? '' : 's'} quarantined (not used): ${why}\n${lines.join('')}`,
    ),
  )
}

async function run(opts: BacktestCliOptions): Promise<void> {
  try {
    await backtest(opts)
  } catch (e) {
    // Unusable data: the report of what was quarantined goes with the error (stderr, and stdout with --json).
    if (isKestrelError(e, 'DATA_VALIDATION_FAILED')) {
      const q = (e.details.quarantine ?? []) as QuarantinedRow[]
      warnQuarantine(q)
      if (opts.json) {
        printJson({
          error: { code: e.code, message: e.message },
          ...(e.details.feeds ? { data: e.details.feeds } : {}),
          quarantinedRows: q.map(quarantineJson),
        })
      }
    }
    throw e
  }
}

async function backtest(opts: BacktestCliOptions): Promise<void> {
  let options: BacktestOptions
  let ppy: number
  let title: string
  let reportPpy: number | undefined // the tearsheet estimates it from the data unless the config sets it
  let bars: Awaited<ReturnType<typeof loadCsvBars>>[]
  const minBars = numFlag(opts.minBars, '--min-bars', { min: 1 })
  if (minBars !== undefined && !Number.isInteger(minBars))
    throw new KestrelError('USAGE', `--min-bars ${opts.minBars}: expected a whole number >= 1`)
  if (opts.config) {
    const cfg = loadConfigFile(opts.config, kestrelConfigSchema, envVars()).value
    if (!cfg.backtest) throw new KestrelError('CONFIG_INVALID', `${opts.config}: no backtest: section`)
    const c = await backtestFromConfig(cfg.backtest, dirname(resolve(opts.config)), cfg.risk, { logger: cliLogger() })
    // Editing the file's risk: section while the run goes reloads the limits (a whole config; see risk reload).
    const onError = (e: unknown) =>
      stderr().write(`warning: risk limits not reloaded, the old ones stay: ${(e as Error).message}\n`)
    options = cfg.risk
      ? { ...c.options, minBars, riskFile: { path: opts.config, options: { env: envVars(), onError } } }
      : { ...c.options, minBars }
    ppy = c.periodsPerYear
    reportPpy = cfg.backtest.periodsPerYear
    bars = [...c.loaded]
    title = `${c.options.strategies.map((s) => s.id ?? s.definition.name).join(', ')} on ${c.loaded.map((l) => l.instrument.symbol).join(', ')}`
  } else {
    if (!opts.data?.length) throw new KestrelError('USAGE', 'backtest: give --data <csv> (or --config <yaml>)')
    const loaded = []
    for (const f of opts.data)
      loaded.push(
        await loadCsvBars(f, { timeframe: opts.timeframe, symbol: opts.data.length === 1 ? opts.symbol : undefined }),
      )
    if (opts.timeframe !== undefined)
      for (const [i, l] of loaded.entries())
        checkTimeframeMatchesData(l.series.openTime, opts.timeframe, {
          code: 'USAGE',
          name: '--timeframe',
          file: opts.data[i]!,
        })
    const def = await resolveStrategy(opts.strategy)
    const params = parseParamPairs(opts.param)
    const size = numFlag(opts.size, '--size', { min: 0, minExclusive: true })
    if (size !== undefined) params.size = size
    const feeRate = numFlag(opts.feeRate, '--fee-rate', { min: 0, max: 1 }) ?? 0
    const spread = numFlag(opts.spreadBps, '--spread-bps', { min: 0, max: 10_000 })
    const slip = numFlag(opts.slippageBps, '--slippage-bps', { min: 0, max: 10_000 })
    const lat = numFlag(opts.latencyMs, '--latency-ms', { min: 0 })
    const cash = numFlag(opts.cash, '--cash', { min: 0, minExclusive: true })!
    const leverage = numFlag(opts.leverage, '--leverage', { min: 1 })
    if (opts.account !== 'cash' && opts.account !== 'margin')
      throw new KestrelError('USAGE', '--account: cash or margin')
    if (!/^[A-Z][A-Z0-9]{1,9}$/.test(opts.currency))
      throw new KestrelError('USAGE', `--currency ${JSON.stringify(opts.currency)}: expected a code such as USD, BTC`)
    const fx = []
    for (const pair of opts.fx) {
      const i = pair.indexOf('=')
      const currency = i > 0 ? fxPairBase(pair.slice(0, i), opts.currency) : undefined
      if (currency === undefined)
        throw new KestrelError('USAGE', `--fx ${JSON.stringify(pair)}: expected <CUR>${opts.currency}=<csv>`)
      const l = await loadCsvBars(pair.slice(i + 1), {
        symbol: `${currency}${opts.currency}`,
        venue: 'FX',
        assetClass: 'fx',
      })
      fx.push({ currency, feed: l.feed })
    }
    options = {
      instruments: loaded.map((l) => l.instrument),
      feeds: loaded.map((l) => l.feed),
      strategies: [{ definition: def, params }],
      account: { cash, currency: opts.currency, type: opts.account, leverage },
      ...(fx.length > 0 ? { fx } : {}),
      fees: { type: 'percent', takerRate: feeRate, makerRate: feeRate },
      fill: {
        ...(spread !== undefined ? { spreadBps: spread } : {}),
        ...(slip !== undefined ? { slippage: { type: 'percent', bps: slip } } : {}),
        ...(lat !== undefined ? { latency: { submitMs: lat, ackMs: 0, fillMs: 0 } } : {}),
      },
      minBars,
    }
    ppy = periodsPerYear(loaded[0]!.timeframe, loaded[0]!.instrument.assetClass)
    bars = loaded
    title = `${def.name} on ${loaded.map((l) => l.instrument.symbol).join(', ')}`
  }
  const result = await runBacktest(options)
  const quarantined = result.data.flatMap((d) => d.quarantine)
  warnQuarantine(quarantined)
  for (const n of liquidationNotes(result)) stderr().write(redact(`${n}\n`))
  const rejected = result.orders.filter((o) => o.status === 'REJECTED')
  if (rejected.length > 0) {
    stderr().write(
      redact(
        `warning: ${rejected.length} orders rejected, first: ${rejected[0]!.clientOrderId}: ${rejected[0]!.rejectReason}\n`,
      ),
    )
  }
  let reportPath: string | undefined
  if (opts.report) {
    const bench = await runBacktest({
      ...options,
      risk: undefined, // the benchmark is not the strategy: it does not share (or trip) its risk engine
      riskFile: undefined,
      strategies: [{ definition: buyAndHold as never, instruments: [options.instruments[0]!.id] }],
    })
    const first = bars[0]!
    reportPath = await writeReport(opts.report, result, reportPpy, title, bench, {
      benchmarkName: `buy-and-hold ${first.instrument.symbol}`,
      clock: sessionClockFor(
        parseTimeframe(first.timeframe).ms,
        first.instrument.calendar,
        first.instrument.assetClass,
      ),
      prices: bars.map((l) => ({ ...l.series, instrumentId: l.instrument.id, time: l.series.closeTime })),
      settings: {
        strategies: options.strategies
          .map((x) => `${x.id ?? x.definition.name} ${JSON.stringify(x.params ?? {})}`)
          .join('; '),
        data: bars.map((l) => `${l.instrument.id} ${l.timeframe}`).join(', '),
        account: JSON.stringify(options.account),
        fees: JSON.stringify(options.fees ?? {}),
        fill: JSON.stringify(options.fill ?? {}),
        'risk engine': options.risk ? 'limits from the config' : 'none',
        seed: options.seed ?? null,
      },
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
    title,
    periodsPerYear: ppy,
    quarantinedRows: quarantined.map(quarantineJson),
    ...(reportPath ? { report: reportPath } : {}),
  })
  if (opts.json) return printJson(report)
  const m = report.metrics as Record<string, number>
  stdout().write(
    table([
      {
        run: title,
        fills: result.fills.length,
        trades: result.stats.closedTrades,
        currency,
        'final equity': result.finalEquity,
        return: `${((result.finalEquity / result.initialCash - 1) * 100).toFixed(2)}%`,
        sharpe: m.sharpeRatio,
        'max dd': result.liquidation ? 'wiped out' : `${((m.maxDrawdown ?? 0) * 100).toFixed(2)}%`,
        fees: result.feesPaid,
      },
    ]),
  )
  if (reportPath) stdout().write(`tearsheet: ${reportPath}\n`)
}

const collect = (v: string, prev: string[]) => [...prev, v]

/** Registers `kestrel backtest`. */
export function registerBacktest(program: Command): void {
  withExample(
    program
      .command('backtest')
      .description('backtest a strategy on CSV bars with the event-driven engine (simulated exchange, fees, risk)')
      .option('--data <csv...>', 'bar files (timestamp,open,high,low,close,volume)')
      .option('--strategy <name|file>', 'sma-cross, ema-cross, buy-and-hold, or ./my-strategy.ts', 'sma-cross')
      .option('--param <key=value>', 'strategy parameter (repeatable)', collect, [])
      .option('--size <n>', 'order quantity (the strategy parameter `size`)')
      .option('--fee-rate <r>', 'fee as a fraction of notional, maker and taker (0.001 = 10 bps)')
      .option('--cash <n>', 'starting cash', '100000')
      .option('--account <type>', 'cash, or margin (Reg T style: --leverage 2 by default)', 'margin')
      .option('--leverage <x>', 'margin account leverage', '2')
      .option('--currency <code>', 'account currency: cash, equity, fees and margin are in it', 'USD')
      .option(
        '--fx <PAIR=csv>',
        'FX series converting a foreign quote currency: BTCUSD=btc.csv prices 1 BTC in USD (repeatable)',
        collect,
        [],
      )
      .option('--spread-bps <bps>', 'full bid-ask spread on bars, in bps')
      .option('--slippage-bps <bps>', 'taker slippage in bps')
      .option('--latency-ms <ms>', 'order submit latency')
      .option('--timeframe <tf>', 'bar length when it cannot be inferred')
      .option('--symbol <sym>', 'symbol (default: file name before _)')
      .option('--min-bars <n>', 'refuse to run on fewer bars (per file) that pass validation', '1')
      .option('--config <yaml>', 'run what the backtest: section of a config describes')
      .option('--report <html>', 'write the HTML tearsheet here')
      .option('--json', 'one JSON object on stdout', false)
      .action(run),
    'kestrel backtest --data data/bundled/SPY_1m.csv --strategy sma-cross --param fast=10 --param slow=30 --size 1000 --fee-rate 0.001 --cash 100000 --json',
    'kestrel backtest --data data/bundled/SPY_1d.csv --strategy ./examples/my-strategy.ts --report out/my.html',
    'kestrel backtest --config backtest.yaml --report out/report.html',
  )
}
