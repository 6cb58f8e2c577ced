/**
 * Account events: what happens to a position between trades. A split changes its quantity, cost and open
 * orders; a cash dividend, a perpetual future's funding and a CFD's overnight swap move cash between the
 * venue and whoever holds the position at the event's time; a delisting closes the position at its last price
 * adjusted by the delisting return. The engine applies each one when time passes it,
 * before the next market event (so orders filled at the next bar's open see the split).
 */
import { KestrelError } from './errors.ts'
import type { EpochMs } from './time.ts'

/** A stock split: `ratio` new shares per old share (7 for 7:1, 0.1 for a 1:10 reverse split). */
export interface SplitEvent {
  readonly kind: 'SPLIT'
  readonly instrumentId: string
  /** Effective time (the start of the ex-date in the exchange's time zone). */
  readonly time: EpochMs
  readonly ratio: number
}

/** A cash dividend of `amount` per share in the instrument's currency: longs receive it, shorts pay it. */
export interface DividendEvent {
  readonly kind: 'DIVIDEND'
  readonly instrumentId: string
  /** Ex-date time: positions held at it are entitled. */
  readonly time: EpochMs
  readonly amount: number
}

/**
 * A perpetual future's funding: positions pay `rate` × notional (quantity × last price × multiplier); a
 * positive rate is paid by longs to shorts, a negative one by shorts to longs.
 */
export interface FundingEvent {
  readonly kind: 'FUNDING'
  readonly instrumentId: string
  readonly time: EpochMs
  readonly rate: number
}

/**
 * A CFD's overnight financing at a rollover: a long pays `longRate` × notional, a short pays `shortRate` ×
 * notional (a negative rate is received). Rates are for this rollover, day count and triple days included.
 */
export interface SwapEvent {
  readonly kind: 'SWAP'
  readonly instrumentId: string
  readonly time: EpochMs
  readonly longRate: number
  readonly shortRate: number
}

/**
 * A delisting: the instrument stops trading. A position still held is closed at the last price × (1 +
 * `delistingReturn`) (the return from the last close to what holders got: −0.3 loses 30 %), open orders on it
 * are canceled, and the close is booked as a cash flow and a closed round trip.
 */
export interface DelistingEvent {
  readonly kind: 'DELISTING'
  readonly instrumentId: string
  /** End of the last day of trading. */
  readonly time: EpochMs
  /** Return from the last close, >= -1. */
  readonly delistingReturn: number
  /** Why (a reason name or CRSP code), for the record. */
  readonly reason?: string
}

/** One account event. */
export type AccountEvent = SplitEvent | DividendEvent | FundingEvent | SwapEvent | DelistingEvent

/** What an account event did to one strategy's position: cash moved and, for a split, the new quantity. */
export interface CashFlow {
  readonly kind: AccountEvent['kind'] | 'CASH_IN_LIEU'
  readonly time: EpochMs
  readonly instrumentId: string
  readonly strategyId: string
  /** Position quantity the event applied to (before a split). */
  readonly quantity: number
  /** Cash received, in the account currency (negative: paid). */
  readonly amount: number
}

/**
 * Events in time order: a list, or a source that generates them from a time on (periodic funding or swap,
 * possibly without end). The engine asks a source once, with the time of the first market event.
 */
export type AccountEventSource =
  readonly AccountEvent[] | { readonly events: (from: EpochMs) => Iterator<AccountEvent, unknown, undefined> }

/** Throws PARAM_INVALID naming the event when a field is out of range. */
export function checkAccountEvent(e: AccountEvent): void {
  const where = `account event ${e.kind} of ${e.instrumentId} at ${e.time}`
  const bad = (what: string) => new KestrelError('PARAM_INVALID', `${where}: ${what}`, { event: e })
  if (!Number.isFinite(e.time)) throw bad('time must be a finite epoch-ms number')
  if (typeof e.instrumentId !== 'string' || e.instrumentId === '') throw bad('instrumentId is empty')
  switch (e.kind) {
    case 'SPLIT':
      if (!(e.ratio > 0) || !Number.isFinite(e.ratio)) throw bad(`ratio ${e.ratio} must be a finite number > 0`)
      return
    case 'DIVIDEND':
      if (!(e.amount >= 0) || !Number.isFinite(e.amount)) throw bad(`amount ${e.amount} must be a finite number >= 0`)
      return
    case 'FUNDING':
      if (!Number.isFinite(e.rate) || Math.abs(e.rate) >= 1) throw bad(`rate ${e.rate} must be finite, |rate| < 1`)
      return
    case 'SWAP':
      for (const r of [e.longRate, e.shortRate])
        if (!Number.isFinite(r) || Math.abs(r) >= 1) throw bad(`rate ${r} must be finite, |rate| < 1`)
      return
    case 'DELISTING':
      if (!Number.isFinite(e.delistingReturn) || e.delistingReturn < -1)
        throw bad(`delistingReturn ${e.delistingReturn} must be a finite number >= -1`)
      return
    default:
      throw new KestrelError(
        'PARAM_INVALID',
        `account event: unknown kind ${JSON.stringify((e as { kind: unknown }).kind)}`,
      )
  }
}
