/**
 * Account event schedules for a backtest: corporate actions on their ex-dates, perpetual funding at the
 * venue's funding times, and CFD swap at the daily rollover. Periodic schedules are generated lazily from the
 * first market event on, so they cost nothing before the data starts and have no end.
 */
import { KestrelError, MS, checkAccountEvent } from '../core/index.ts'
import type { AccountEvent, AccountEventSource, EpochMs, FundingEvent, SwapEvent } from '../core/index.ts'
import { assertTimeZone, dateToDayIndex, localDayIndex, localToUtc, weekdayOf } from '../data/index.ts'

/** A split or cash dividend by ex-date, as in a corporate actions file. */
export interface DatedAction {
  readonly instrumentId: string
  /** Ex-date, `YYYY-MM-DD`. */
  readonly date: string
  readonly type: 'split' | 'dividend'
  /** Split: new shares per old share. Dividend: cash per share in the instrument's currency. */
  readonly value: number
}

/**
 * Corporate actions as engine events, each at local midnight of its ex-date in `timeZone` (the exchange's):
 * after every bar of the day before, before any bar of the ex-date. Sorted by time (stable).
 */
export function corporateActionEvents(actions: readonly DatedAction[], timeZone = 'America/New_York'): AccountEvent[] {
  assertTimeZone(timeZone)
  const out: AccountEvent[] = actions.map((a) => {
    if (!/^\d{4}-\d\d-\d\d$/.test(a.date))
      throw new KestrelError(
        'PARAM_INVALID',
        `corporate action of ${a.instrumentId}: date ${JSON.stringify(a.date)} is not YYYY-MM-DD`,
      )
    const time = localToUtc(timeZone, dateToDayIndex(a.date), 0)
    const e: AccountEvent =
      a.type === 'split'
        ? { kind: 'SPLIT', instrumentId: a.instrumentId, time, ratio: a.value }
        : { kind: 'DIVIDEND', instrumentId: a.instrumentId, time, amount: a.value }
    checkAccountEvent(e)
    return e
  })
  return out.sort((a, b) => a.time - b.time)
}

/** A constant funding rate paid every `intervalMs` (Binance and Bybit: 8 h at 00:00, 08:00, 16:00 UTC). */
export interface FundingSchedule {
  readonly instrumentId: string
  /** Rate per funding time (0.0001 = 0.01 %); positive: longs pay shorts. */
  readonly rate: number
  /** Default 8 hours. */
  readonly intervalMs?: number
  /** Funding times are `k × intervalMs + offsetMs` since the epoch. Default 0. */
  readonly offsetMs?: number
}

/** Funding at fixed times with a constant rate, from the first market event on. */
export function fundingSchedule(s: FundingSchedule): AccountEventSource {
  const every = s.intervalMs ?? 8 * MS.hour
  const offset = s.offsetMs ?? 0
  if (!(every >= MS.minute) || !Number.isFinite(every))
    throw new KestrelError('PARAM_INVALID', `funding of ${s.instrumentId}: interval ${every} ms must be >= 1 minute`)
  if (!Number.isFinite(offset))
    throw new KestrelError('PARAM_INVALID', `funding of ${s.instrumentId}: offset must be finite`)
  checkAccountEvent({ kind: 'FUNDING', instrumentId: s.instrumentId, time: 0, rate: s.rate })
  return {
    *events(from: EpochMs): Iterator<AccountEvent, unknown, undefined> {
      let t = Math.ceil((from - offset) / every) * every + offset
      for (;;) {
        yield { kind: 'FUNDING', instrumentId: s.instrumentId, time: t, rate: s.rate } satisfies FundingEvent
        t += every
      }
    },
  }
}

/** Funding at the times and rates of a venue's history (`time` in epoch ms), checked and sorted. */
export function fundingFromRates(
  instrumentId: string,
  rows: readonly { readonly time: EpochMs; readonly rate: number }[],
): AccountEvent[] {
  const out: FundingEvent[] = rows.map((r) => ({ kind: 'FUNDING', instrumentId, time: r.time, rate: r.rate }))
  for (const e of out) checkAccountEvent(e)
  out.sort((a, b) => a.time - b.time)
  for (let i = 1; i < out.length; i++)
    if (out[i]!.time === out[i - 1]!.time)
      throw new KestrelError('PARAM_INVALID', `funding of ${instrumentId}: two rates at ${out[i]!.time}`)
  return out
}

/** Overnight financing of a CFD, quoted as annual rates on the position's notional. */
export interface SwapSchedule {
  readonly instrumentId: string
  /** Annual rate a long pays (0.05 = 5 %; negative: received). */
  readonly longAnnualRate: number
  /** Annual rate a short pays (negative: received). */
  readonly shortAnnualRate: number
  /** Local rollover time, minutes after midnight. Default 17:00 (1020). */
  readonly rolloverMinute?: number
  /** Zone of the rollover time. Default `America/New_York` (the FX and metals day ends at 17:00 there). */
  readonly timeZone?: string
  /** Days per year of the rate. Default 365. */
  readonly dayCount?: number
  /**
   * Weekday whose rollover charges three nights (the weekend), 1 = Monday … 5 = Friday; default 3 (Wednesday,
   * as for spot FX and metals); `null` charges the weekend on Friday's rollover.
   */
  readonly tripleDay?: number | null
}

/**
 * Swap at each weekday's rollover from the first market event on. A position held over a rollover pays (or
 * receives) rate × nights / dayCount of its notional at the last price; weekends are charged on the triple day.
 */
export function swapSchedule(s: SwapSchedule): AccountEventSource {
  const tz = s.timeZone ?? 'America/New_York'
  assertTimeZone(tz)
  const minute = s.rolloverMinute ?? 17 * 60
  const days = s.dayCount ?? 365
  const triple = s.tripleDay === undefined ? 3 : s.tripleDay
  if (!(Number.isInteger(minute) && minute >= 0 && minute < 1440))
    throw new KestrelError('PARAM_INVALID', `swap of ${s.instrumentId}: rolloverMinute ${minute} must be 0..1439`)
  if (!(days > 0) || !Number.isFinite(days))
    throw new KestrelError('PARAM_INVALID', `swap of ${s.instrumentId}: dayCount ${days} must be > 0`)
  if (triple !== null && !(Number.isInteger(triple) && triple >= 1 && triple <= 5))
    throw new KestrelError(
      'PARAM_INVALID',
      `swap of ${s.instrumentId}: tripleDay ${triple} must be 1 (Monday) .. 5 (Friday) or null`,
    )
  for (const r of [s.longAnnualRate, s.shortAnnualRate])
    if (!Number.isFinite(r) || Math.abs(r) > 10)
      throw new KestrelError(
        'PARAM_INVALID',
        `swap of ${s.instrumentId}: annual rate ${r} must be finite, |rate| <= 10`,
      )
  return {
    *events(from: EpochMs): Iterator<AccountEvent, unknown, undefined> {
      for (let day = localDayIndex(tz, from) - 1; ; day++) {
        const wd = weekdayOf(day) // 0 = Sunday … 6 = Saturday
        if (wd === 0 || wd === 6) continue
        const time = localToUtc(tz, day, minute)
        if (time < from) continue
        const nights = triple === null ? (wd === 5 ? 3 : 1) : wd === triple ? 3 : 1
        const k = nights / days
        yield {
          kind: 'SWAP',
          instrumentId: s.instrumentId,
          time,
          longRate: s.longAnnualRate * k,
          shortRate: s.shortAnnualRate * k,
        } satisfies SwapEvent
      }
    },
  }
}
