/**
 * The top-level `account:` section: starting cash, the account currency and the account type. It sits outside
 * every mode's section: a backtest starts its simulated account from it, and so does paper trading.
 */
import { z } from 'zod'

const nonNeg = z.number().nonnegative()

/** A currency code in capitals: USD, EUR, BTC, USDT. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, 'a currency code in capitals such as USD, EUR, BTC')

/** The `account:` section. */
export const accountSection = z
  .strictObject({
    cash: z.number().positive().default(100_000).describe('starting cash, in the account currency'),
    currency: currencyCode.default('USD').describe('the account currency: cash, equity, fees and margin are in it'),
    type: z.enum(['cash', 'margin']).default('cash'),
    leverage: z.number().min(1).default(1),
    maintenanceMargin: nonNeg.max(1).default(0.25),
    borrowRate: nonNeg
      .default(0)
      .describe('annual borrow fee on the market value of short positions (0.03 = 3 %/year)'),
  })
  .describe('Account: starting cash, currency and type (cash or margin), the same in every mode')

/** The validated `account:` section. */
export type AccountSectionConfig = z.output<typeof accountSection>
