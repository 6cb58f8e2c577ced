/** Money as the JSON reports print it: totals without float noise, and the decimals of each currency. */
import { ExactSum } from '../core/index.ts'

/**
 * A money total as printed in JSON: the exact sum of `values` (each first cleared of float noise), rounded to
 * 15 significant digits, so `0.1 + 0.2` prints `0.3` and `22.225 × 3` prints `66.675` while sub-cent amounts
 * (fees as a fraction of notional) are kept. Relative change at most 5e-16.
 */
export function moneyTotal(values: Iterable<number>): number {
  const s = new ExactSum()
  for (const v of values) s.add(clean(v))
  return clean(s.value())
}

/** `x` to 15 significant digits (below a double's noise). Non-finite values pass. */
function clean(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(15)) : x
}

/** Decimal places of a currency's minor unit (ISO 4217); 8 for crypto and any code not listed. */
export function currencyDecimals(code: string): number {
  if (ZERO_DECIMALS.has(code)) return 0
  if (THREE_DECIMALS.has(code)) return 3
  return TWO_DECIMALS.has(code) ? 2 : 8
}

const ZERO_DECIMALS = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'VND', 'PYG', 'UGX', 'XAF', 'XOF'])
const THREE_DECIMALS = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'LYD', 'IQD'])
const TWO_DECIMALS = new Set(
  (
    'USD EUR GBP CHF CAD AUD NZD SEK NOK DKK HKD SGD CNY CNH INR MXN BRL ZAR PLN CZK HUF TRY ILS THB TWD ' +
    'RUB IDR MYR PHP SAR AED QAR EGP NGN KES COP PEN ARS RON BGN'
  ).split(' '),
)

/** `x` with the decimals of `currency`'s minor unit, for tables (`108765.34` USD, `1234` JPY). */
export function formatMoney(x: number, currency: string): string {
  return Number.isFinite(x) ? x.toFixed(currencyDecimals(currency)) : String(x)
}
