/**
 * Alpaca tradable assets (`GET /v2/assets` on the trading API host): `status` (`active`), `asset_class`
 * (`us_equity`, `crypto`), `exchange`; the body is a JSON array of `{id, class, exchange, symbol, name,
 * status, tradable, marginable, shortable, easy_to_borrow, fractionable}`.
 */
import type { RetryPolicy } from '../http.ts'
import { Fields, getJson, shapeError, trimBase } from '../provider-json.ts'
import { alpacaHeaders, type AlpacaKeys } from './auth.ts'

/** One asset as Alpaca lists it. */
export interface AlpacaAsset {
  readonly id: string
  readonly symbol: string
  readonly name: string
  /** `us_equity`, `us_option`, `crypto`. */
  readonly assetClass: string
  readonly exchange: string
  /** `active` or `inactive`. */
  readonly status: string
  readonly tradable: boolean
  readonly marginable: boolean
  readonly shortable: boolean
  readonly easyToBorrow: boolean
  readonly fractionable: boolean
}

/** Settings of {@link alpacaAssets}. */
export interface AlpacaAssetsOptions extends AlpacaKeys {
  /** Default `https://paper-api.alpaca.markets` (live: `https://api.alpaca.markets`). */
  readonly baseUrl?: string
  readonly retry?: RetryPolicy
  readonly fetch?: typeof fetch
}

/** Filters of the asset list. */
export interface AlpacaAssetsQuery {
  /** Default `active`. */
  readonly status?: 'active' | 'inactive'
  /** Default `us_equity`. */
  readonly assetClass?: string
  readonly exchange?: string
  /** Keep only tradable assets. Default true. */
  readonly tradableOnly?: boolean
}

const PATH = '/v2/assets'

/** Lists assets, sorted by symbol. */
export async function alpacaAssets(opts: AlpacaAssetsOptions, q: AlpacaAssetsQuery = {}): Promise<AlpacaAsset[]> {
  const headers = alpacaHeaders(opts)
  const url = new URL(`${trimBase(opts.baseUrl ?? 'https://paper-api.alpaca.markets')}${PATH}`)
  url.searchParams.set('status', q.status ?? 'active')
  url.searchParams.set('asset_class', q.assetClass ?? 'us_equity')
  if (q.exchange) url.searchParams.set('exchange', q.exchange)
  const body = await getJson({ provider: 'alpaca', retry: opts.retry, fetch: opts.fetch }, url, headers)
  if (!Array.isArray(body)) throw shapeError('alpaca', PATH, 'expected an array of assets', body)
  const out = body.map((raw, i) => alpacaAsset(new Fields('alpaca', PATH, `[${i}]`, raw)))
  return out
    .filter((a) => a.tradable || q.tradableOnly === false)
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
}

/** Maps one Alpaca asset. */
export function alpacaAsset(f: Fields): AlpacaAsset {
  return {
    id: f.str('id'),
    symbol: f.str('symbol'),
    name: f.optStr('name') ?? '',
    assetClass: f.str('class'),
    exchange: f.str('exchange'),
    status: f.str('status'),
    tradable: f.bool('tradable'),
    marginable: f.bool('marginable'),
    shortable: f.bool('shortable'),
    easyToBorrow: f.bool('easy_to_borrow'),
    fractionable: f.bool('fractionable'),
  }
}
