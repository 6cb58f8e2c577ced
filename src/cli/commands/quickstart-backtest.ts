import type { QuickstartOptions } from './quickstart.ts'

/** Main job, part 2: backtest the reference strategies on the bundled data and write a tearsheet. (Placeholder.) */
export async function quickstartBacktest(_opts: QuickstartOptions): Promise<void> {}
