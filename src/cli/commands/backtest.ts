/**
 * `kestrel backtest`: runs a strategy on bar files (or a config's `backtest:` section) and prints a summary
 * table, or with `--json` the report: `currency` is the account currency of every account figure (cash,
 * equity, fees); fill prices, fees and trade P&L are in each instrument's `quoteCurrency` (listed in
 * `instruments`), converted into the account by the `convertedBy` FX series.
 */
import {
  backtest,
  validationFailure,
  type BacktestRequest,
  type BacktestRun,
  type ConfigBacktest,
} from '../../app/backtest.ts'
import { isPipelineConfig, runPipeline } from '../../app/pipeline.ts'
import { RETURNS_SAMPLES, type ReturnsSample } from '../../app/backtest-result.ts'
import { formatMoney } from '../../app/money.ts'
import { warningLine } from '../../app/data-warnings.ts'
import { fixableRejectsError } from '../../app/order-rejects.ts'
import { basename, join } from 'node:path'
import { KestrelError, fxPairBase, isKestrelError, parseTimeBounds } from '../../core/index.ts'
import { numberFlag, parseParamPairs, storeSelection } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { cliLogger } from '../log.ts'
import { envVars, printJson, redact, stderr, stdout, table, warnQuarantine } from '../util.ts'

interface BacktestFlags extends SeriesFlags {
  data?: string[]
  strategy: string
  param: string[]
  size?: string
  feeRate?: string
  cash: string
  config?: string
  report?: string
  out?: string
  json: boolean
  timeframe?: string
  db?: string
  lake?: string
  from?: string
  to?: string
  account: string
  leverage: string
  spreadBps?: string
  slippageBps?: string
  latencyMs?: string
  minBars?: string
  actions?: string
  universe?: string
  currency: string
  fx: string[]
  sample: string
  allowRejects?: boolean
  strictData?: boolean
}

/** The flags as a backtest request; usage errors name the flag and the accepted range. */
function request(positional: readonly string[], o: BacktestFlags): BacktestRequest {
  const minBars = numberFlag(o.minBars, '--min-bars', { min: 1 })
  if (minBars !== undefined && !Number.isInteger(minBars))
    throw new KestrelError('USAGE', `--min-bars ${o.minBars}: expected a whole number >= 1`)
  const symbols = seriesNames(positional, o)
  if (o.config) {
    const ignored = [
      ...(o.db !== undefined ? ['--db'] : []),
      ...(o.lake !== undefined ? ['--lake'] : []),
      ...(o.data?.length ? ['--data'] : []),
      ...(symbols.length > 0 ? ['symbols'] : []),
      ...(o.from !== undefined || o.to !== undefined ? ['--from/--to'] : []),
      ...(o.actions !== undefined ? ['--actions (backtest.corporateActions)'] : []),
      ...(o.universe !== undefined ? ['--universe (backtest.universe)'] : []),
    ]
    if (ignored.length > 0)
      throw new KestrelError('USAGE', `backtest --config: ${ignored.join(', ')} go in the config's backtest.data`)
    const onRiskReloadError = (e: unknown) =>
      stderr().write(`warning: risk limits not reloaded, the old ones stay: ${(e as Error).message}\n`)
    return {
      config: o.config,
      env: envVars(),
      minBars,
      logger: cliLogger(),
      onRiskReloadError,
      strictData: o.strictData === true,
    }
  }
  if (o.lake !== undefined && o.db === undefined) throw new KestrelError('USAGE', 'backtest: --lake goes with --db')
  if (o.db !== undefined && o.data?.length)
    throw new KestrelError('USAGE', 'backtest: --db and --data exclude each other; give one')
  if (o.db === undefined && !o.data?.length)
    throw new KestrelError('USAGE', 'backtest: give --data <csv>, --db <store> --symbol <sym>, or --config <yaml>')
  const range = parseTimeBounds(o.from, o.to)
  const params = parseParamPairs(o.param)
  const size = numberFlag(o.size, '--size', { min: 0, minExclusive: true })
  if (size !== undefined) params.size = size
  const feeRate = numberFlag(o.feeRate, '--fee-rate', { min: 0, max: 1 })
  const spreadBps = numberFlag(o.spreadBps, '--spread-bps', { min: 0, max: 10_000 })
  const slippageBps = numberFlag(o.slippageBps, '--slippage-bps', { min: 0, max: 10_000 })
  const latencyMs = numberFlag(o.latencyMs, '--latency-ms', { min: 0 })
  const cash = numberFlag(o.cash, '--cash', { min: 0, minExclusive: true })
  const leverage = numberFlag(o.leverage, '--leverage', { min: 1 })
  if (o.account !== 'cash' && o.account !== 'margin') throw new KestrelError('USAGE', '--account: cash or margin')
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(o.currency))
    throw new KestrelError('USAGE', `--currency ${JSON.stringify(o.currency)}: expected a code such as USD, BTC`)
  const fx = o.fx.map((pair) => {
    const i = pair.indexOf('=')
    const currency = i > 0 ? fxPairBase(pair.slice(0, i), o.currency) : undefined
    if (currency === undefined)
      throw new KestrelError('USAGE', `--fx ${JSON.stringify(pair)}: expected <CUR>${o.currency}=<csv>`)
    return { currency, file: pair.slice(i + 1) }
  })
  return {
    data: o.data ?? [],
    ...(o.db !== undefined ? { store: storeSelection({ db: o.db, lake: o.lake }) } : {}),
    symbols,
    range,
    strategy: o.strategy,
    params,
    feeRate,
    spreadBps,
    slippageBps,
    latencyMs,
    cash,
    account: o.account,
    leverage,
    currency: o.currency,
    fx,
    timeframe: o.timeframe,
    timeframeName: '--timeframe',
    minBars,
    ...(o.actions !== undefined ? { actions: o.actions } : {}),
    ...(o.universe !== undefined ? { universe: o.universe } : {}),
    strictData: o.strictData === true,
  }
}

/** The `--sample` flag. */
function sampleFlag(v: string): ReturnsSample {
  if (!(RETURNS_SAMPLES as readonly string[]).includes(v))
    throw new KestrelError('USAGE', `--sample ${JSON.stringify(v)}: expected ${RETURNS_SAMPLES.join(' or ')}`)
  return v as ReturnsSample
}

/** A config with a `pipeline:` section: scan → features → backtest, each stage's progress on stderr. */
async function runPipelineCommand(req: ConfigBacktest, o: BacktestFlags): Promise<void> {
  const sample = sampleFlag(o.sample ?? 'day')
  const out = o.out ?? join('out', basename(req.config).replace(/\.[^.]+$/, ''))
  const started = performance.now()
  const p = await runPipeline({
    config: req.config,
    env: req.env,
    out,
    report: o.report,
    sample,
    logger: req.logger,
    onRiskReloadError: req.onRiskReloadError,
    onProgress: (stage, message) =>
      stderr().write(redact(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${stage}: ${message}\n`)),
  })
  for (const u of p.scan.universe) if (u.quarantine.length > 0) warnQuarantine(u.quarantine)
  if (o.json) printJson(p.report)
  else {
    const w = stdout()
    w.write(
      table(
        p.scan.universe.map((u) => ({
          instrument: u.instrumentId,
          bars: u.bars,
          flagged: p.flagged.includes(u.instrumentId) ? 'yes' : 'no',
          features: p.features.find((f) => f.instrumentId === u.instrumentId)?.file ?? '',
        })),
      ) + '\n',
    )
    if (p.backtest) printTable(p.backtest)
    else w.write(`${p.message}\n`)
  }
  if (p.backtest && p.backtest.fixableRejects.length > 0 && !o.allowRejects)
    throw fixableRejectsError(p.backtest.fixableRejects)
}

export async function run(positional: string[], o: BacktestFlags): Promise<void> {
  let done
  try {
    const sample = sampleFlag(o.sample ?? 'day')
    const req = request(positional, o)
    if ('config' in req && isPipelineConfig(req.config, req.env)) return await runPipelineCommand(req, o)
    if (o.out !== undefined) throw new KestrelError('USAGE', 'backtest: --out goes with a config that has a pipeline:')
    done = await backtest(req, { report: o.report, sample })
  } catch (e) {
    // Unusable data: the report of what was quarantined goes with the error (stderr, and stdout with --json).
    if (isKestrelError(e, 'DATA_VALIDATION_FAILED')) {
      const failure = validationFailure(e)
      warnQuarantine(failure.quarantined)
      if (o.json) printJson(failure.report)
    }
    throw e
  }
  const { rejected, report } = done
  warnQuarantine(done.quarantined)
  for (const n of done.notes) stderr().write(redact(`${n}\n`))
  if (rejected.length > 0) {
    stderr().write(
      redact(
        `warning: ${rejected.length} orders rejected, first: ${rejected[0]!.clientOrderId}: ${rejected[0]!.rejectReason}\n`,
      ),
    )
  }
  if (o.json) {
    for (const w of done.dataWarnings) stderr().write(redact(`warning: ${warningLine(w)}\n  ${w.fix}\n`))
    printJson(report)
  } else printTable(done)
  // Orders refused for a reason the strategy can fix: the run is not the one its author meant (exit 5).
  if (done.fixableRejects.length > 0 && !o.allowRejects) throw fixableRejectsError(done.fixableRejects)
}

/** The summary table; `rejected` counts every refused order, and says how many the strategy can fix. */
export function printTable(done: BacktestRun): void {
  const { result, rejected, report, reportPath, title } = done
  const fixable = done.fixableRejects.length
  const m = report.metrics as Record<string, number>
  stdout().write(
    table([
      {
        run: title,
        fills: result.fills.length,
        trades: result.stats.closedTrades,
        rejected: fixable > 0 ? `${rejected.length} (${fixable} fixable)` : rejected.length,
        currency: report.currency,
        'final equity': formatMoney(result.finalEquity, String(report.currency)),
        return: `${((result.finalEquity / result.initialCash - 1) * 100).toFixed(2)}%`,
        sharpe: m.sharpeRatio,
        'max dd': result.liquidation ? 'wiped out' : `${((m.maxDrawdown ?? 0) * 100).toFixed(2)}%`,
        fees: formatMoney(result.feesPaid, String(report.currency)),
      },
    ]),
  )
  printDataWarnings(done)
  if (reportPath) stdout().write(`tearsheet: ${reportPath}\n`)
}

/** A WARN row per data warning that changes the results, and how to fix the input. */
function printDataWarnings(done: BacktestRun): void {
  const ws = done.dataWarnings
  if (ws.length === 0) return
  stdout().write(
    '\n' +
      table(
        ws.map((w) => ({
          level: 'WARN',
          code: w.code,
          instrument: w.instrument,
          date: w.date,
          ratio: `≈ ${w.ratio}`,
          change: `${((w.factor - 1) * 100).toFixed(1)}%`,
        })),
      ),
  )
  for (const w of ws) stdout().write(redact(`  ${w.message}\n  ${w.fix}\n`))
  stdout().write('  the results above include the jump as a price move; --strict-data refuses such data\n')
}
