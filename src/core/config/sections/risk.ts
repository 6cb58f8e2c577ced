import { z } from 'zod'

// Filled in by the risk work (issue 5): pre-trade limits and real-time controls.
export const riskSection = z.strictObject({}).passthrough().describe('Risk limits (see issue 5)')
