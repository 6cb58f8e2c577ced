/**
 * The fixed lists the use cases accept (asset classes, providers, sessions). Plain data, cheap to import: the
 * command line lists them in its help without loading any use case.
 */
import type { AssetClass } from '../core/index.ts'

/** Asset classes an instrument can have. */
export const ASSET_CLASSES: readonly AssetClass[] = [
  'equity',
  'crypto',
  'crypto_perp',
  'fx',
  'metal',
  'future',
  'index',
  'etf',
]

/** Historical data providers of {@link fetchBars}. */
export const PROVIDERS = ['ccxt', 'alpaca', 'yahoo'] as const
export type Provider = (typeof PROVIDERS)[number]

/** Session names of resampling and synthetic markets, and the calendars they mean. */
export const SESSIONS: Readonly<Record<string, string>> = {
  rth: 'NYSE',
  ext: 'NYSE_EXT',
  '24/7': '24/7',
  fx: 'FX',
  metals: 'METALS',
  asia: 'FX_ASIA',
  london: 'FX_LONDON',
  newyork: 'FX_NEWYORK',
}
