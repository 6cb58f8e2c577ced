/**
 * The machine-readable results of a backtest run, merged into its JSON report: the quarantine, the equity and
 * returns series (sampled per bar or per trading day), monthly and yearly returns, breakdowns per instrument
 * and per strategy, and the settings the run used.
 *
 * Dates are trading days by the tearsheet's rule (`research/metrics/calendar.ts`): a point stamped at a bar's
 * close belongs to the day of its bar's open, so a daily bar of 2020-03-31 stamped 2020-04-01T00:00Z is March.
 * Returns and monthly/yearly figures cover the solvent part of the run (see {@link solventCurves}); money
 * totals are summed exactly and printed without float noise ({@link moneyTotal}).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { isoUtc, parseTimeframe, type BarSeries } from '../core/index.ts'
import { BarHasher, dataVersionOf, type QuarantinedRow } from '../data/index.ts'
import {
  finestOf,
  iteratorOf,
  quarantineJson,
  type BacktestOptions,
  type BacktestResult,
  type BacktestRun,
  type LoadedBars,
} from '../engine/index.ts'
import { fillSettings, transactionCosts as tcaOf, type TcaReport } from '../execution/index.ts'
import {
  closeDay,
  dayIso,
  monthlyReturns,
  pointLabel,
  sessionClockFor,
  yearlyReturns,
  type ParentTcaRow,
  type SessionClock,
} from '../research/index.ts'
import { solventCurves } from './backtest-report.ts'
import { moneyTotal } from './money.ts'

const DAY = 86_400_000

/** How the `equity` and `returns` series are sampled: every point of the curve, or each trading day's last. */
export type ReturnsSample = 'bar' | 'day'

/** The accepted values of {@link ReturnsSample}. */
export const RETURNS_SAMPLES: readonly ReturnsSample[] = ['bar', 'day']

/** What {@link backtestResultJson} reads of a finished run. */
export interface ResultJsonInput {
  readonly result: BacktestRun
  readonly options: BacktestOptions
  /** The bar series the run read, one per instrument, in the order of `options.instruments`. */
  readonly loaded: readonly LoadedBars[]
  /** The files the series were read from, parallel to `loaded` (the report gives each file's sha256). */
  readonly files?: readonly (string | undefined)[]
  /** Periods per year of the run's bars (its metrics annualise with it). */
  readonly periodsPerYear: number
  readonly sample: ReturnsSample
  readonly quarantined: readonly QuarantinedRow[]
}

/** One point of the `equity` series. */
export interface EquityPoint {
  /** The point's time stamp (a bar close), ISO-8601 UTC. */
  readonly time: string
  /** Its trading day (`2020-03-31`). */
  readonly date: string
  readonly equity: number
}

/** One period of the `returns` series: from the previous point to this one. */
export interface ReturnPoint {
  readonly time: string
  readonly date: string
  readonly return: number
}

/** Trades, P&L, fees and the share of the total return of one instrument or strategy. */
export interface Breakdown {
  /** Closed round trips. */
  readonly trades: number
  /** Round trips still open at the end (valued at the last close). */
  readonly openTrades: number
  /** Net P&L (after fees and borrow fees) in `currency`. */
  readonly pnl: number
  readonly fees: number
  readonly borrowFees: number
  /** The currency of `pnl` and the fees: the instrument's quote currency. */
  readonly currency: string | null
  /**
   * `pnl` over the initial cash: what it added to the total return. Null when the P&L is in another currency
   * than the account's (or in several): it would need converting at each fill's FX rate.
   */
  readonly returnContribution: number | null
}

/**
 * The session clock of a run: the bar length of its first instrument's finest series (the one the curves are
 * sampled on), its trading calendar and asset class.
 */
export function runClock(loaded: readonly LoadedBars[]): SessionClock {
  if (loaded.length === 0) return {}
  const first = finestOf(loaded, loaded[0]!.instrument.id)
  return sessionClockFor(parseTimeframe(first.timeframe).ms, first.instrument.calendar, first.instrument.assetClass)
}

/** The clock of series `l`: the run's when `l` is the series the run's clock comes from, else `l`'s own. */
function ownClock(l: LoadedBars, run: SessionClock): SessionClock {
  const own = runClock([l])
  return own.barMs === run.barMs ? run : own
}

/**
 * Indexes of the points a sample keeps: every point (`bar`), or the first point (the base of the first return)
 * and then each trading day's last point (`day`).
 */
export function sampleIndexes(time: ArrayLike<number>, sample: ReturnsSample, clock: SessionClock): number[] {
  const n = time.length
  if (sample === 'bar') return Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const last = i === n - 1 || closeDay(time[i + 1]!, clock) !== closeDay(time[i]!, clock)
    if (i === 0 || last) out.push(i)
  }
  return out
}

/**
 * Periods per year of a sampled series: the run's for `bar`, and for `day` the same when bars are a day or
 * longer (a day holds one point), else trading days a year (365 for markets that trade every day, else 252).
 */
export function samplePeriodsPerYear(sample: ReturnsSample, ppy: number, clock: SessionClock): number {
  if (sample === 'bar' || (clock.barMs ?? 0) >= DAY) return ppy
  return clock.everyDay ? 365 : 252
}

/** The fields {@link backtestResultJson} adds to a backtest's JSON report. */
export async function backtestResultJson(input: ResultJsonInput): Promise<Record<string, unknown>> {
  const { result, options, sample } = input
  const clock = runClock(input.loaded)
  const date = (t: number) => dayIso(closeDay(t, clock))
  const eq = result.equity
  const equity: EquityPoint[] = sampleIndexes(eq.time, sample, clock).map((i) => ({
    time: isoUtc(eq.time[i]!),
    date: date(eq.time[i]!),
    equity: eq.value[i]!,
  }))
  const solvent = solventCurves(result).equity
  const kept = sampleIndexes(solvent.time, sample, clock)
  const returns: ReturnPoint[] = []
  for (let k = 1; k < kept.length; k++) {
    const i = kept[k]!
    const t = solvent.time[i]!
    returns.push({ time: isoUtc(t), date: date(t), return: solvent.value[i]! / solvent.value[kept[k - 1]!]! - 1 })
  }
  const months = solvent.value.length >= 2 ? monthlyReturns(solvent, clock) : []
  const currency = options.account.currency ?? 'USD'
  const quoteOf = new Map(options.instruments.map((i) => [i.id, i.currency]))
  return {
    quarantinedRows: input.quarantined.length,
    quarantine: input.quarantined.map(quarantineJson),
    sample: { by: sample, periodsPerYear: samplePeriodsPerYear(sample, input.periodsPerYear, clock) },
    equity,
    returns,
    monthlyReturns: months.map((m) => ({
      month: `${m.year}-${String(m.month).padStart(2, '0')}`,
      return: m.value,
    })),
    yearlyReturns: [...yearlyReturns(months)].map(([year, r]) => ({ year, return: r })),
    byInstrument: options.instruments.map((i) => ({
      instrumentId: i.id,
      ...breakdown(
        result.trades.filter((t) => t.instrumentId === i.id),
        result.initialCash,
        currency,
        quoteOf,
      ),
    })),
    byStrategy: strategyIds(options, result).map((id) => ({
      strategyId: id,
      ...breakdown(
        result.trades.filter((t) => t.strategyId === id),
        result.initialCash,
        currency,
        quoteOf,
      ),
    })),
    ...(result.parentOrders && result.parentOrders.length > 0 ? { tca: parentTca(input) } : {}),
    settings: await settings(input, clock),
  }
}

function transactionCosts(
  p: { side: 'BUY' | 'SELL'; quantity: number; arrivalPrice: number; start: number },
  fills: readonly { quantity: number; price: number; fee: number }[],
  market: { bars: BarSeries },
  end: number,
) {
  // A parent's interval runs from its decision to its end (at least one bar: the children fill at the next open).
  return tcaOf({ side: p.side, quantity: p.quantity, arrivalPrice: p.arrivalPrice, start: p.start, end }, fills, market)
}

/** One entry of the JSON's `tca`: a parent order as recorded, and its costs (null without the whole bars). */
export interface ParentTcaJson {
  readonly id: string
  readonly algo: string
  readonly instrumentId: string
  readonly side: 'BUY' | 'SELL'
  readonly quantity: number
  readonly filled: number
  readonly status: string
  readonly start: string
  readonly end: string | null
  readonly arrivalPrice: number
  readonly children: number
  readonly costs: TcaReport | null
}

/** The tearsheet's rows of the JSON's `tca` entries: the same figures, in bps and fractions. */
export function tcaRows(tca: readonly ParentTcaJson[]): ParentTcaRow[] {
  return tca.map((t) => ({
    algo: t.algo,
    instrumentId: t.instrumentId,
    side: t.side,
    quantity: t.quantity,
    filled: t.filled,
    shortfallBps: t.costs?.implementationShortfall.bps ?? null,
    slippageVsArrivalBps: t.costs?.slippageVsArrivalBps ?? null,
    slippageVsVwapBps: t.costs?.slippageVsVwapBps ?? null,
    slippageVsCloseBps: t.costs?.slippageVsCloseBps ?? null,
    participation: t.costs?.participation ?? null,
  }))
}

/**
 * Transaction-cost analysis of every parent order a scheduled execution model worked: shortfall against the
 * arrival price, slippage against arrival, the interval's VWAP and close, participation (see `algos/tca.ts`).
 * A parent on a series streamed from a store (whole bars not in memory) gets `null` for the market figures.
 */
function parentTca(input: ResultJsonInput): ParentTcaJson[] {
  const { result } = input
  const fills = new Map<string, { quantity: number; price: number; fee: number }[]>()
  for (const f of result.fills) {
    const l = fills.get(f.clientOrderId) ?? []
    l.push({ quantity: f.quantity, price: f.price, fee: f.fee })
    fills.set(f.clientOrderId, l)
  }
  const end = Number.isFinite(result.stats.lastTime) ? result.stats.lastTime + 1 : Infinity
  return (result.parentOrders ?? []).map((p) => {
    const fed = input.loaded.some((l) => l.instrument.id === p.instrumentId)
    const series = fed ? finestOf(input.loaded, p.instrumentId).series : undefined
    const own = p.children.flatMap((id) => fills.get(id) ?? [])
    const head = {
      id: p.id,
      algo: p.algo,
      instrumentId: p.instrumentId,
      side: p.side,
      quantity: p.quantity,
      filled: p.filled,
      status: p.status,
      start: isoUtc(p.start),
      end: p.end === undefined ? null : isoUtc(p.end),
      arrivalPrice: p.arrivalPrice,
      children: p.children.length,
    }
    if (!series || !(p.quantity > 0 && p.arrivalPrice > 0)) return { ...head, costs: null }
    const stop = p.end !== undefined && p.end > p.start ? p.end : end
    return { ...head, costs: transactionCosts(p, own, { bars: series }, stop) }
  })
}

function breakdown(
  trades: BacktestResult['trades'],
  initialCash: number,
  accountCurrency: string,
  quoteOf: ReadonlyMap<string, string>,
): Breakdown {
  const currencies = [...new Set(trades.map((t) => quoteOf.get(t.instrumentId) ?? accountCurrency))]
  const pnl = moneyTotal(trades.map((t) => t.pnl))
  const inAccount = currencies.every((c) => c === accountCurrency)
  return {
    trades: trades.filter((t) => !t.open).length,
    openTrades: trades.filter((t) => t.open).length,
    pnl,
    fees: moneyTotal(trades.map((t) => t.fees)),
    borrowFees: moneyTotal(trades.map((t) => t.borrowFees)),
    currency: currencies.length === 0 ? accountCurrency : currencies.length === 1 ? currencies[0]! : null,
    returnContribution: inAccount ? pnl / initialCash : null,
  }
}

/** The strategies' ids as the kernel names them (the definition's name, suffixed when repeated). */
function strategyIds(options: BacktestOptions, result: BacktestResult): string[] {
  const seen = new Map<string, number>()
  const ids = options.strategies.map((s) => {
    const base = s.id ?? s.definition.name
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return s.id ?? (n === 1 ? base : `${base}-${n}`)
  })
  for (const t of result.trades) if (!ids.includes(t.strategyId)) ids.push(t.strategyId)
  return ids
}

async function settings(input: ResultJsonInput, clock: SessionClock): Promise<Record<string, unknown>> {
  const o = input.options
  const data = []
  // the data version of the run: every bar it read, series after series, and the ingestions they came from
  const run = new BarHasher()
  const runIngestions: string[] = []
  for (const [k, l] of input.loaded.entries()) {
    const file = input.files?.[k]
    const s = l.series
    const own = new BarHasher()
    if (s === undefined) {
      const it = iteratorOf(l.feed.data)
      for (let r = await it.next(); !r.done; r = await it.next()) {
        own.update(r.value as BarSeries)
        run.update(r.value as BarSeries)
      }
    } else {
      own.update(s)
      run.update(s)
    }
    runIngestions.push(...(l.ingestions ?? []))
    const barsHash = own.digest()
    const version = dataVersionOf(barsHash, l.ingestions).dataVersion
    if (s === undefined) {
      // Streamed from a store: what the feed saw, as its validation report counted it.
      const rep = input.result.data.find((d) => d.instrumentId === l.instrument.id && d.timeframe === l.timeframe)
      data.push({
        instrumentId: l.instrument.id,
        timeframe: l.timeframe,
        source: rep?.source ?? 'store',
        bars: rep?.rowsAccepted ?? null,
        barsHash,
        dataVersion: version,
      })
      continue
    }
    const n = s.closeTime.length
    data.push({
      instrumentId: l.instrument.id,
      timeframe: l.timeframe,
      ...(file !== undefined ? { file, sha256: await sha256File(file) } : {}),
      barsHash,
      dataVersion: version,
      bars: n,
      // Each series on its own bar length's clock (a 1d series fed beside a 1m one is labelled by day).
      from: n > 0 ? pointLabel(s.closeTime[0]!, ownClock(l, clock)) : null,
      to: n > 0 ? pointLabel(s.closeTime[n - 1]!, ownClock(l, clock)) : null,
      firstClose: n > 0 ? isoUtc(s.closeTime[0]!) : null,
      lastClose: n > 0 ? isoUtc(s.closeTime[n - 1]!) : null,
    })
  }
  const fill = fillSettings(o.fill)
  const ids = strategyIds(o, input.result)
  const fees = o.fees && 'fee' in o.fees ? { type: 'custom model' } : (o.fees ?? null)
  return {
    cash: o.account.cash,
    currency: o.account.currency ?? 'USD',
    account: {
      type: o.account.type ?? 'margin',
      // a cash account has no leverage (whatever was passed)
      leverage: (o.account.type ?? 'margin') === 'margin' ? (o.account.leverage ?? 1) : 1,
      ...(o.account.maintenanceMargin !== undefined ? { maintenanceMargin: o.account.maintenanceMargin } : {}),
      ...(o.account.borrowRate !== undefined ? { borrowRate: o.account.borrowRate } : {}),
    },
    fees,
    ...(o.venueFees ? { venueFees: o.venueFees } : {}),
    fill,
    slippage: fill.slippage,
    strategies: o.strategies.map((s, i) => {
      // the parameters as the strategy saw them: the given ones with the schema's defaults
      const parsed = s.definition.params.safeParse(s.params ?? {})
      return {
        id: ids[i],
        strategy: s.definition.name,
        params: parsed.success ? parsed.data : (s.params ?? {}),
        ...(s.instruments ? { instruments: s.instruments } : {}),
      }
    }),
    dataVersion: dataVersionOf(run.digest(), runIngestions).dataVersion,
    data,
    fx: (o.fx ?? []).map((f) => ({ currency: f.currency, instrumentId: f.feed.instrumentId })),
    riskEngine: o.risk !== undefined || o.riskFile !== undefined,
    ...(o.framework
      ? {
          framework: {
            portfolio: o.framework.construction.name,
            risk: o.framework.risk?.name ?? null,
            execution: o.framework.execution?.name ?? 'immediate',
            rebalance: o.framework.rebalance ?? 'signals',
          },
        }
      : {}),
    seed: o.seed ?? 1,
    minBars: o.minBars ?? 1,
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
