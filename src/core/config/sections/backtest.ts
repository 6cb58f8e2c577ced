import { z } from 'zod'

// Filled in by the engine work (issue 4): strategies, venues, fill and fee models.
export const backtestSection = z.strictObject({}).passthrough().describe('Backtest settings (see issue 4)')
