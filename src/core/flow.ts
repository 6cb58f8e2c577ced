/**
 * Positioning catalysts: option prints (options flow) and insiders' own trades (Form-4-like filings), and the
 * source interfaces the layer-2 options-flow and insider scanners read. A record is known from its `time` on
 * (the print, or the filing's publication), never before; a source yields records in time order.
 */
import type { EpochMs } from './time.ts'

/** One option print: a trade in one contract series. */
export interface OptionsFlowRecord {
  /** Unique within its source (a file's records without one are known by file name and line). */
  readonly id: string
  /** When the print happened (epoch ms, UTC). */
  readonly time: EpochMs
  /** The underlying's symbol, upper case. */
  readonly symbol: string
  readonly right: 'call' | 'put'
  readonly strike: number
  /** Expiry date, 00:00 UTC of the day. */
  readonly expiry: EpochMs
  /** Money paid for the print (contracts × price × multiplier), in the quote currency. */
  readonly premium: number
  /** Contracts traded in the series that day, up to this print. */
  readonly volume: number
  /** Open interest of the series at the start of the day. */
  readonly openInterest: number
  /** How it traded: a sweep across venues or one negotiated block. */
  readonly side: 'sweep' | 'block'
}

/** A source of option prints in `[from, to)`, in time order. */
export interface OptionsFlowSource {
  /** A name for messages and alert details. */
  readonly name: string
  read(from: EpochMs, to: EpochMs): AsyncIterable<OptionsFlowRecord>
}

/** One insider transaction as a Form 4 reports it. */
export interface InsiderTransaction {
  /** Unique within its source (a file's records without one are known by file name and line). */
  readonly id: string
  /** When the filing became public (epoch ms, UTC): the scanners see the trade from then on. */
  readonly time: EpochMs
  /** The issuer's symbol, upper case. */
  readonly symbol: string
  /** Who traded: the reporting person's name. */
  readonly insider: string
  /** Their relation to the issuer: `CEO`, `Director`, `10% owner`. */
  readonly role: string
  /** Form 4 transaction code: `P` open-market purchase, `S` open-market sale. */
  readonly code: 'P' | 'S'
  readonly shares: number
  readonly price: number
}

/** A source of insider transactions made public in `[from, to)`, in time order. */
export interface InsiderSource {
  /** A name for messages and alert details. */
  readonly name: string
  read(from: EpochMs, to: EpochMs): AsyncIterable<InsiderTransaction>
}
