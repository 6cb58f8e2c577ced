/**
 * The one root schema for every Kestrel YAML file (invariant 7). Each section lives in `sections/`.
 *
 * Shape: what every mode shares is top level (`strategies`, `account`, `framework`, `risk`); a mode's section
 * (`backtest:`, `paper:`) holds only what is specific to it, so the same strategies run in each mode.
 */
import { z } from 'zod'
import { accountSection } from './sections/account.ts'
import { backtestSection, fxPairBase } from './sections/backtest.ts'
import { dataSection } from './sections/data.ts'
import { frameworkSection } from './sections/framework.ts'
import { loggingSection } from './sections/logging.ts'
import { liveSection, paperSection } from './sections/node.ts'
import { pipelineSection } from './sections/pipeline.ts'
import { riskSection } from './sections/risk.ts'
import { scanSection } from './sections/scan.ts'
import { storageSection } from './sections/storage.ts'
import { strategiesSection } from './sections/strategies.ts'

/** The one zod schema of a Kestrel YAML config and API payload (`kestrel config schema` prints it as JSON Schema). */
export const kestrelConfigSchema = z
  .strictObject({
    storage: storageSection.default(storageSection.parse({})),
    logging: loggingSection.default(loggingSection.parse({})),
    data: dataSection.default(dataSection.parse({})),
    strategies: strategiesSection.optional(),
    account: accountSection.default(accountSection.parse({})),
    framework: frameworkSection.optional(),
    risk: riskSection.optional(),
    backtest: backtestSection.optional(),
    paper: paperSection.optional(),
    live: liveSection.optional(),
    scan: scanSection.optional(),
    pipeline: pipelineSection.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.backtest && v.strategies === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies'],
        message: 'a config with backtest: needs a top-level strategies: list (one or more { use: ... })',
      })
    if (v.live && v.strategies === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies'],
        message: 'a config with live: needs a top-level strategies: list (one or more { use: ... })',
      })
    if (v.paper && v.strategies === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies'],
        message: 'a config with paper: needs a top-level strategies: list (one or more { use: ... })',
      })
    for (const key of Object.keys(v.backtest?.fx ?? {})) {
      const cur = v.account.currency
      if (fxPairBase(key, cur) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['backtest', 'fx', key],
          message: `expected a pair <CUR>${cur} such as BTC${cur} (the price of one <CUR> in the account currency ${cur})`,
        })
    }
  })
  .describe('Kestrel configuration')

/** A validated Kestrel config: the output of {@link kestrelConfigSchema}. */
export type KestrelConfig = z.output<typeof kestrelConfigSchema>

/**
 * Keys that an older shape of the config held in a mode's section, and where each lives now (key paths). A file
 * that still has one is refused naming the new place; `kestrel config migrate` rewrites it.
 */
export const MOVED_CONFIG_KEYS: Readonly<Record<string, string>> = {
  'backtest.strategies': 'strategies',
  'backtest.cash': 'account.cash',
  'backtest.currency': 'account.currency',
  'backtest.account': 'account',
}
