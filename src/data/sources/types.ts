/**
 * The shape every network source shares: an async iterable of {@link BarSeries} chunks, each with progress
 * and a resume state a caller can save and pass back to continue after an interruption.
 */
import type { BarSeries, EpochMs } from '../../core/index.ts'
import type { QuarantinedRow } from '../store/types.ts'

/** What to download: one symbol, one timeframe, open times in [from, to). */
export interface FetchRequest {
  /** The provider's symbol (`BTC/USDT` for ccxt, `AAPL` for Alpaca and Yahoo). */
  readonly symbol: string
  /** Id to stamp on the bars (default `SYMBOL.PROVIDER`). */
  readonly instrumentId?: string
  /** Kestrel timeframe, e.g. `1m`, `1h`, `1d`. */
  readonly timeframe: string
  readonly from: EpochMs
  readonly to: EpochMs
}

/** Where a download stands: the next open time to ask for. A second run continues from it. */
export interface ResumeState {
  readonly provider: string
  readonly symbol: string
  readonly timeframe: string
  /** Open time of the first bar not yet delivered. */
  readonly nextFrom: EpochMs
  readonly to: EpochMs
  /** Bars delivered so far over all runs. */
  readonly barsFetched: number
}

/** How far a download has come. */
export interface FetchProgress {
  readonly barsFetched: number
  /** Requests made in this run (pages, including retried ones once). */
  readonly requests: number
  /** Fraction of the time range covered, 0..1. */
  readonly fraction: number
}

/** One page of bars (sorted, unique open times, all inside the request range) and where the download stands. */
export interface SourceChunk {
  readonly bars: BarSeries
  /** Rows the provider sent that cannot be bars (e.g. null prices), kept with the reason. */
  readonly rejected: readonly QuarantinedRow[]
  readonly progress: FetchProgress
  readonly resume: ResumeState
}

/** A historical bar download. */
export interface BarSource {
  /** `ccxt:binance`, `alpaca`, `yahoo`. */
  readonly provider: string
  /** Downloads the request page by page; with `resume`, starts at `resume.nextFrom`. */
  fetch(req: FetchRequest, resume?: ResumeState): AsyncIterable<SourceChunk>
}
