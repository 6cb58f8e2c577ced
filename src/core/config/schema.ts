/**
 * The one root schema for every Kestrel YAML file (invariant 7). Each section lives in `sections/`.
 */
import { z } from 'zod'
import { backtestSection } from './sections/backtest.ts'
import { dataSection } from './sections/data.ts'
import { frameworkSection } from './sections/framework.ts'
import { loggingSection } from './sections/logging.ts'
import { pipelineSection } from './sections/pipeline.ts'
import { riskSection } from './sections/risk.ts'
import { scanSection } from './sections/scan.ts'
import { storageSection } from './sections/storage.ts'

/** The one zod schema of a Kestrel YAML config and API payload (`kestrel config schema` prints it as JSON Schema). */
export const kestrelConfigSchema = z
  .strictObject({
    storage: storageSection.default(storageSection.parse({})),
    logging: loggingSection.default(loggingSection.parse({})),
    data: dataSection.default(dataSection.parse({})),
    backtest: backtestSection.optional(),
    risk: riskSection.optional(),
    framework: frameworkSection.optional(),
    scan: scanSection.optional(),
    pipeline: pipelineSection.optional(),
  })
  .describe('Kestrel configuration')

/** A validated Kestrel config: the output of {@link kestrelConfigSchema}. */
export type KestrelConfig = z.output<typeof kestrelConfigSchema>
