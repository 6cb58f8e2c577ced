/**
 * Execution planning: the schedule of a parent quantity over N periods by Almgren-Chriss, TWAP or VWAP, with its
 * expected cost and variance in the units of Almgren & Chriss (2000): shares, dollars, days. A VWAP plan learns
 * its intraday volume profile (one slice per period) from a bar CSV or a stored series.
 */
import { basename } from 'node:path'
import { KestrelError, type BarSeries } from '../core/index.ts'
import { readCsvFile } from '../data/index.ts'
import {
  almgrenChriss,
  learnVolumeProfile,
  roundToLots,
  scheduleCost,
  twapSchedule,
  vwapSchedule,
  type Schedule,
  type VolumeProfile,
} from '../execution/index.ts'
import { openTiered, resolveInstrument, type StoreSelection } from './store.ts'

/** The planning algorithms. */
export const PLAN_ALGOS = ['almgren-chriss', 'twap', 'vwap'] as const
/** One of {@link PLAN_ALGOS}. */
export type PlanAlgo = (typeof PLAN_ALGOS)[number]

/** Where a VWAP plan's volume profile is learnt from: a bar CSV, or a stored series over a range. */
export type ProfileSource =
  | { readonly csv: string; readonly timeframe?: string }
  | {
      readonly store: StoreSelection & { readonly instrument: string; readonly timeframe: string }
      /** First bar open time (inclusive) and end (exclusive), epoch ms. */
      readonly from?: number
      readonly to?: number
    }

/** What `kestrel execution plan` asks for. */
export interface ExecutionPlanOptions {
  readonly algo: PlanAlgo
  /** X, shares. */
  readonly quantity: number
  /** N. */
  readonly periods: number
  /** T, days. */
  readonly horizon: number
  /** σ, $/share/√day (default 0; required by almgren-chriss). */
  readonly sigma?: number
  /** η, ($/share)/(share/day) (default 0; required by almgren-chriss). */
  readonly eta?: number
  /** γ, ($/share)/share (default 0). */
  readonly gamma?: number
  /** ε, $/share (default 0). */
  readonly epsilon?: number
  /** λ, 1/$ (default 0). */
  readonly lambda?: number
  /** Round the trades to whole lots (default 0: no rounding). */
  readonly lot?: number
  /** VWAP: where the profile comes from (required for vwap). */
  readonly profile?: ProfileSource
  /** VWAP: the calendar whose sessions the profile slices (default NYSE). */
  readonly calendar?: string
}

/** A plan: the JSON contract (trajectory, trades, expectedCost, variance) and what it was made from. */
export interface ExecutionPlan extends Schedule {
  readonly expectedCost: number
  readonly variance: number
  readonly algo: PlanAlgo
  /** τ = T/N. */
  readonly tau: number
  /** Almgren-Chriss: κ, 1/day. */
  readonly kappa?: number
  /** VWAP: the learnt profile and where it came from. */
  readonly profile?: VolumeProfile & { readonly source: string }
}

async function profileBars(p: ProfileSource): Promise<{ bars: BarSeries; source: string }> {
  if ('csv' in p) {
    const parsed = await readCsvFile(p.csv, { timeframe: p.timeframe })
    return { bars: { ...parsed.series, instrumentId: parsed.series.instrumentId || basename(p.csv) }, source: p.csv }
  }
  const store = await openTiered(p.store)
  try {
    const id = await resolveInstrument(store, p.store.instrument)
    const bars = await store.readBars(id, p.store.timeframe, { from: p.from, to: p.to })
    if (bars.close.length === 0)
      throw new KestrelError('DATA_NOT_FOUND', `no ${p.store.timeframe} bars stored for ${id} in the range`, {
        instrument: id,
      })
    return { bars, source: `${id} ${p.store.timeframe}` }
  } finally {
    await store.close()
  }
}

/** Plans the execution of `o.quantity` over `o.periods` periods of `o.horizon`/`o.periods` days. */
export async function planExecution(o: ExecutionPlanOptions): Promise<ExecutionPlan> {
  const model = { sigma: o.sigma ?? 0, eta: o.eta ?? 0, gamma: o.gamma ?? 0, epsilon: o.epsilon ?? 0 }
  const tau = o.horizon / o.periods
  if (o.algo !== 'vwap' && o.profile)
    throw new KestrelError('USAGE', `--profile is for --algo vwap, not ${o.algo}`, { algo: o.algo })
  if (o.algo === 'almgren-chriss') {
    if (o.sigma === undefined || o.eta === undefined)
      throw new KestrelError(
        'USAGE',
        'almgren-chriss needs --sigma and --eta (and --lambda; --gamma, --epsilon are 0 unless given)',
        {},
      )
    const plan = almgrenChriss({
      ...model,
      quantity: o.quantity,
      periods: o.periods,
      horizon: o.horizon,
      lambda: o.lambda ?? 0,
    })
    const s = roundToLots(plan, o.lot ?? 0)
    return { ...s, ...scheduleCost(s, o.horizon, model), algo: o.algo, tau, kappa: plan.kappa }
  }
  if (o.algo === 'twap') {
    const s = roundToLots(twapSchedule(o.quantity, o.periods), o.lot ?? 0)
    return { ...s, ...scheduleCost(s, o.horizon, model), algo: o.algo, tau }
  }
  if (!o.profile) throw new KestrelError('USAGE', 'vwap needs --profile <bar csv | stored instrument>', {})
  const { bars, source } = await profileBars(o.profile)
  const profile = learnVolumeProfile(bars, { buckets: o.periods, calendar: o.calendar })
  const s = vwapSchedule(o.quantity, profile.shares, o.lot ?? 0)
  return { ...s, ...scheduleCost(s, o.horizon, model), algo: o.algo, tau, profile: { ...profile, source } }
}
