/**
 * Download historical bars from a provider (ccxt, Alpaca, Yahoo) into the store (validated, quarantined,
 * logged), page by page, with a checkpoint after each stored page so a resumed download continues where an
 * interrupted one stopped; or into a CSV file instead of a store. Alpaca keys come from the environment
 * (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`).
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { KestrelError, type Instrument } from '../core/index.ts'
import {
  AlpacaSource,
  CcxtSource,
  MemoryStore,
  YahooSource,
  checkpointMatches,
  fetchIntoStore,
  loadCheckpoint,
} from '../data/index.ts'
import type { BarSource, BarStore, FetchReport, RetryPolicy } from '../data/index.ts'
import type { Provider } from './choices.ts'
import { BARS_CSV_HEADER, closeFile, openFile, writeBarsCsv, writeText } from './csv-text.ts'
import {
  hotStoreAt,
  requireStore,
  storeLocation,
  storeMissing,
  type StoreLocation,
  type StoreSelection,
} from './store.ts'
import type { Env } from './types.ts'

export type { FetchReport }

/** A download. */
export interface FetchRequest {
  readonly provider: Provider
  /** The provider's symbol: BTC/USDT (ccxt), AAPL (alpaca, yahoo). */
  readonly symbol: string
  readonly timeframe: string
  /** First bar open time (inclusive) and end (exclusive), epoch ms. */
  readonly from: number
  readonly to: number
  /** The instrument the bars are stored under. */
  readonly instrument: Instrument
  /** ccxt exchange id (default binance) and the market types to load. */
  readonly exchange?: string
  readonly marketTypes?: readonly string[]
  /** Send requests to this host instead of the provider's (proxies, tests). */
  readonly baseUrl?: string
  readonly retry: RetryPolicy
  /** Bars per request (ccxt, alpaca). */
  readonly pageLimit?: number
  /** Write a CSV file here instead of storing. */
  readonly out?: string
  /** Continue from the checkpoint of an interrupted download (a store only). */
  readonly resume?: boolean
  /** Default: `<store folder>/checkpoints/<provider>-<symbol>-<tf>.json`. */
  readonly checkpoint?: string
  /** The environment the provider's keys come from. */
  readonly env: Env
}

/** What happened besides the report: notes about the checkpoint, and the fraction done. */
export interface FetchEvents {
  readonly onNote?: (message: string) => void
  readonly onProgress?: (fraction: number) => void
}

/** The source for the provider, with its secrets from the environment. */
function makeSource(req: FetchRequest): BarSource {
  const { retry, pageLimit, baseUrl } = req
  if (req.provider === 'alpaca') {
    const keyId = req.env.APCA_API_KEY_ID
    const secretKey = req.env.APCA_API_SECRET_KEY
    if (!keyId || !secretKey) {
      throw new KestrelError(
        'CONFIG_INVALID',
        'data fetch --provider alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment',
      )
    }
    return new AlpacaSource({ keyId, secretKey, baseUrl, retry, pageLimit })
  }
  if (req.provider === 'yahoo') return new YahooSource({ baseUrl, retry })
  const types = req.marketTypes?.filter(Boolean)
  return new CcxtSource({
    exchange: req.exchange ?? 'binance',
    baseUrl,
    retry,
    pageLimit,
    ...(types?.length ? { exchangeOptions: { fetchMarkets: { types } } } : {}),
  })
}

function isResumable(e: unknown): boolean {
  return (
    e instanceof KestrelError &&
    (e.code === 'PROVIDER_ERROR' || e.code === 'PROVIDER_RATE_LIMITED' || e.code === 'PROVIDER_TIMEOUT')
  )
}

/** Downloads the bars; `store` is where they go unless `req.out` names a CSV file. */
export async function fetchBars(
  req: FetchRequest,
  where: StoreSelection,
  events: FetchEvents = {},
): Promise<FetchReport & { store: string }> {
  const source = makeSource(req)
  const range = { symbol: req.symbol, timeframe: req.timeframe, from: req.from, to: req.to }
  let store: BarStore
  let at: string
  // A new DuckDB file is created for the download, and removed again when the download stored nothing.
  let created: StoreLocation | undefined
  if (req.out) {
    store = new MemoryStore()
    at = req.out
  } else {
    const loc = storeLocation(where)
    if (req.resume) requireStore(loc)
    else if (storeMissing(loc)) created = loc
    store = hotStoreAt(loc)
    at = loc.backend === 'postgres' ? 'postgres' : loc.db!
  }
  const checkpointPath = req.out
    ? undefined
    : (req.checkpoint ??
      join(
        at === 'postgres' ? '.kestrel' : dirname(at),
        'checkpoints',
        `${source.provider}-${req.symbol}-${req.timeframe}.json`.replace(/[^\w.-]+/g, '_'),
      ))
  let resume = checkpointPath && req.resume ? loadCheckpoint(checkpointPath) : undefined
  if (
    resume &&
    (!checkpointMatches(resume, source.provider, range) || resume.to !== req.to || resume.nextFrom < req.from)
  ) {
    events.onNote?.(`checkpoint ${checkpointPath} is for another download; starting from --from`)
    resume = undefined
  } else if (req.resume && !resume) events.onNote?.('no checkpoint to resume; starting from --from')

  await store.init()
  let report: FetchReport
  try {
    report = await fetchIntoStore(source, range, store, {
      instrument: req.instrument,
      resume,
      checkpointPath,
      onProgress: (p) => events.onProgress?.(p.fraction),
    })
    if (req.out) {
      const out = openFile(req.out)
      await writeText(out, BARS_CSV_HEADER)
      for await (const s of store.streamBars(req.instrument.id, req.timeframe)) await writeBarsCsv(out, s, false)
      await closeFile(out, req.out)
    }
  } catch (e) {
    await store.close()
    if (created && !(checkpointPath && existsSync(checkpointPath))) {
      for (const f of [created.db!, `${created.db!}.wal`]) await rm(f, { force: true })
      events.onNote?.(`nothing was stored, so ${created.db} (created for this download) was removed; run again`)
    } else if (checkpointPath && isResumable(e))
      events.onNote?.(`run again with --resume to continue (checkpoint ${checkpointPath})`)
    throw e
  }
  await store.close()
  if (created) created.onCreate?.(created.db!)
  return { ...report, store: at }
}
