import { z } from 'zod'

/** One data set to import. */
export const datasetSchema = z.strictObject({
  /** File path (CSV or Parquet). */
  path: z.string().min(1),
  symbol: z.string().min(1).optional(),
  venue: z.string().min(1).optional(),
  assetClass: z.enum(['equity', 'crypto', 'crypto_perp', 'fx', 'metal', 'future', 'index', 'etf']).optional(),
  timeframe: z
    .string()
    .regex(/^\d+[smhdw]$/, 'expected <count><s|m|h|d|w>, e.g. 1m')
    .optional(),
  /** IANA time zone for naive timestamps, e.g. America/New_York. Default UTC. */
  timezone: z.string().optional(),
  /** Whether a row's timestamp is the bar's open (default) or close. */
  stampedAt: z.enum(['open', 'close']).default('open'),
})

export const dataSection = z
  .strictObject({
    datasets: z.array(datasetSchema).default([]),
    /** Robust z-score above which a return is flagged as an outlier. */
    outlierZ: z.number().positive().default(12),
    /** Corporate actions file (CSV: symbol,date,type,ratio_or_amount). */
    corporateActions: z.string().optional(),
  })
  .describe('Data sets and validation settings')
