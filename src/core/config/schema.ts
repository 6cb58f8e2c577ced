/**
 * The one root schema for every Kestrel YAML file (invariant 7). Each section lives in `sections/`.
 */
import { z } from 'zod'
import { backtestSection } from './sections/backtest.ts'
import { dataSection } from './sections/data.ts'
import { loggingSection } from './sections/logging.ts'
import { riskSection } from './sections/risk.ts'
import { storageSection } from './sections/storage.ts'

export const kestrelConfigSchema = z
  .strictObject({
    storage: storageSection.default(storageSection.parse({})),
    logging: loggingSection.default(loggingSection.parse({})),
    data: dataSection.default(dataSection.parse({})),
    backtest: backtestSection.optional(),
    risk: riskSection.optional(),
  })
  .describe('Kestrel configuration')

export type KestrelConfig = z.output<typeof kestrelConfigSchema>
