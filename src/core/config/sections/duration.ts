/** A duration written in the timeframe units (`30m`, `4h`, `1d`), shared by the config sections. */
import { z } from 'zod'
import { parseTimeframe } from '../../time.ts'

/** A duration such as `30m`, `4h`, `1d`. */
export const durationSchema = z.string().refine(
  (s) => {
    try {
      return parseTimeframe(s).ms > 0
    } catch {
      return false
    }
  },
  { message: 'expected a duration such as 30m, 4h or 1d' },
)
