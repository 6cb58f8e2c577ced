/**
 * Intraday volume profiles and VWAP scheduling. A profile splits each trading session of a calendar into
 * `buckets` equal slices of its length (an early close gives shorter slices, not fewer) and holds, per slice, the
 * mean over sessions of that slice's share of the session's volume. A VWAP schedule trades the parent quantity in
 * those shares; {@link VwapScheduler} does it bar by bar and catches up a shortfall of fills in the next bar.
 * Bars are placed by their open time: a bar belongs to the session and slice its open falls in.
 */
import { KestrelError, type BarSeries, type EpochMs } from '../../core/index.ts'
import { getCalendar, type Session, type TradingCalendar } from '../../data/index.ts'
import { requireParam, roundToLots, scheduleFromTrades, type Schedule } from './schedule.ts'

/** The mean share of a session's volume traded in each of its time-of-day slices. */
export interface VolumeProfile {
  /** Calendar id whose sessions define the slices. */
  readonly calendar: string
  /** Per slice, in session order; they sum to 1. */
  readonly shares: readonly number[]
  /** Sessions averaged (those with volume in them). */
  readonly sessions: number
  /** Bars read outside any session of the calendar (not counted). */
  readonly outsideBars: number
}

/** Options of {@link learnVolumeProfile}. */
export interface ProfileOptions {
  /** Number of slices per session (>= 1). */
  readonly buckets: number
  /** Calendar id (`NYSE`, `24/7`, …) or calendar (default NYSE regular hours). */
  readonly calendar?: string | TradingCalendar
}

/** The slice of `session` that time `t` falls in, 0..buckets−1. */
export function bucketOf(session: Session, t: EpochMs, buckets: number): number {
  const k = Math.floor(((t - session.open) * buckets) / (session.close - session.open))
  return Math.min(buckets - 1, Math.max(0, k))
}

/**
 * Learns a profile from intraday bars: for each session with volume, each slice's share of that session's
 * volume; then the mean of the shares over sessions (every session weighs the same, whatever its volume).
 * Throws DATA_NOT_FOUND when no bar falls in a session with volume.
 */
export function learnVolumeProfile(bars: BarSeries, o: ProfileOptions): VolumeProfile {
  requireParam('buckets', o.buckets, (b) => Number.isInteger(b) && b >= 1, 'an integer >= 1')
  const cal = typeof o.calendar === 'object' ? o.calendar : getCalendar(o.calendar ?? 'NYSE')
  const sum = new Float64Array(o.buckets)
  let day = new Float64Array(o.buckets)
  let dayTotal = 0
  let current: Session | undefined
  let sessions = 0
  let outsideBars = 0
  const closeDay = () => {
    if (dayTotal > 0) {
      for (let b = 0; b < o.buckets; b++) sum[b]! += day[b]! / dayTotal
      sessions++
    }
    day = new Float64Array(o.buckets)
    dayTotal = 0
  }
  for (let i = 0; i < bars.openTime.length; i++) {
    const t = bars.openTime[i]!
    const v = bars.volume[i]!
    const s = current && current.open <= t && t < current.close ? current : cal.sessionAt(t)
    if (!s) {
      outsideBars++
      continue
    }
    if (s.open !== current?.open) {
      closeDay()
      current = s
    }
    if (v > 0) {
      day[bucketOf(s, t, o.buckets)]! += v
      dayTotal += v
    }
  }
  closeDay()
  if (sessions === 0)
    throw new KestrelError(
      'DATA_NOT_FOUND',
      `${bars.instrumentId || 'bars'}: no volume inside a ${cal.id} session to learn a profile from (${outsideBars} bar(s) outside)`,
      { calendar: cal.id, bars: bars.openTime.length, outsideBars },
    )
  return { calendar: cal.id, shares: Array.from(sum, (x) => x / sessions), sessions, outsideBars }
}

/**
 * The VWAP schedule of `quantity`: trade k is quantity × shares[k], in whole lots when `lot` > 0 (each trade
 * then differs from quantity × share by less than one lot, see {@link roundToLots}).
 */
export function vwapSchedule(quantity: number, shares: readonly number[], lot = 0): Schedule {
  requireParam('quantity', quantity, (q) => q >= 0, 'a number >= 0')
  const total = shares.reduce((a, b) => a + b, 0)
  if (shares.length === 0 || !(total > 0) || shares.some((s) => !(s >= 0)))
    throw new KestrelError('PARAM_INVALID', 'volume profile: expected shares >= 0 with a positive sum', {
      buckets: shares.length,
    })
  return roundToLots(
    scheduleFromTrades(
      shares.map((s) => (quantity * s) / total),
      quantity,
    ),
    lot,
  )
}

/** Options of {@link VwapScheduler}. */
export interface VwapSchedulerOptions {
  /** Parent quantity (>= 0). */
  readonly quantity: number
  readonly profile: VolumeProfile
  /** The session the order works in; it ends by the session's close. */
  readonly session: Session
  /** Children in whole lots (default 0: any quantity). */
  readonly lot?: number
}

/**
 * VWAP bar by bar within one session: by the end of each bar the order should have done quantity × F(t), where
 * F is the profile's cumulative share, linear inside a slice. `next` asks for the child of a bar; `onFill`
 * records what was filled, so a shortfall is asked for again in the next bar. The last bar of the session
 * (one that ends at or after the close) asks for everything left.
 */
export class VwapScheduler {
  private readonly cum: number[]
  private filledQty = 0
  private readonly lot: number

  /** `o`: the parent quantity, the profile and the session. */
  constructor(private readonly o: VwapSchedulerOptions) {
    requireParam('quantity', o.quantity, (q) => q >= 0, 'a number >= 0')
    this.lot = o.lot ?? 0
    this.cum = [0]
    for (const s of o.profile.shares) this.cum.push(this.cum.at(-1)! + s)
  }

  /** The target cumulative share by time `t`: F(t) in [0, 1]. */
  targetShare(t: EpochMs): number {
    const { open, close } = this.o.session
    const n = this.o.profile.shares.length
    if (t <= open) return 0
    if (t >= close) return 1
    const pos = ((t - open) * n) / (close - open)
    const k = Math.floor(pos)
    return (this.cum[k]! + (pos - k) * this.o.profile.shares[k]!) / this.cum[n]!
  }

  /** The child quantity for the bar [`barOpen`, `barEnd`): the target at `barEnd` less what was filled. */
  next(barEnd: EpochMs): number {
    const left = this.o.quantity - this.filledQty
    if (barEnd >= this.o.session.close) return left
    let target = this.o.quantity * this.targetShare(barEnd)
    if (this.lot > 0) target = Math.floor(target / this.lot + 0.5) * this.lot
    return Math.max(0, Math.min(left, target - this.filledQty))
  }

  /** Records a fill of the parent. */
  onFill(quantity: number): void {
    this.filledQty += quantity
  }

  /** Quantity filled so far. */
  get filled(): number {
    return this.filledQty
  }
}
