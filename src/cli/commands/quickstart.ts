import type { Command } from 'commander'
import { quickstartBacktest } from './quickstart-backtest.ts'
import { quickstartData } from './quickstart-data.ts'
import { printJson, withExample } from '../util.ts'

/** Options of the main job. */
export interface QuickstartOptions {
  /** DuckDB file the bundled data is imported into. */
  db: string
  /** Folder for reports (tearsheets). */
  out: string
  json: boolean
}

/** Registers `kestrel quickstart`, the main job that `npm start` runs on the bundled data. */
export function registerQuickstart(program: Command): void {
  withExample(
    program
      .command('quickstart')
      .description('the main job: import and validate the bundled data, then backtest the reference strategies')
      .option('--db <file>', 'DuckDB file to import into', '.kestrel/kestrel.duckdb')
      .option('--out <dir>', 'folder for reports', 'out')
      .option('--json', 'machine-readable output', false)
      .action(async (opts: QuickstartOptions) => {
        const data = await quickstartData(opts)
        const backtests = await quickstartBacktest(opts)
        if (opts.json) printJson({ data, ...(backtests as object) })
      }),
    'kestrel quickstart',
  )
}
