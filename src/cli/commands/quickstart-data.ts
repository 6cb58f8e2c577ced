import type { QuickstartOptions } from './quickstart.ts'

/** Main job, part 1: import and validate the bundled data, print the summary table. (Placeholder.) */
export async function quickstartData(_opts: QuickstartOptions): Promise<void> {}
