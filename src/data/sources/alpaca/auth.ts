/** Alpaca's key headers, shared by the market-data and trading API clients. */
import { KestrelError } from '../../../core/index.ts'

/** Alpaca credentials. They come from config (`${ENV:APCA_API_KEY_ID}`), never from code. */
export interface AlpacaKeys {
  readonly keyId: string
  readonly secretKey: string
}

/** The `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers; CONFIG_INVALID when a key is missing. */
export function alpacaHeaders(keys: AlpacaKeys): Record<string, string> {
  if (!keys.keyId || !keys.secretKey)
    throw new KestrelError('CONFIG_INVALID', 'alpaca: keyId and secretKey are required (set them from ${ENV:...})')
  return { 'APCA-API-KEY-ID': keys.keyId, 'APCA-API-SECRET-KEY': keys.secretKey }
}
