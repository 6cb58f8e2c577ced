/**
 * The `pipeline:` section: with a `scan:` and a `backtest:` section beside it, `kestrel backtest --config` runs
 * scan → features → backtest. The scan flags instruments (the layer-1.5 shortlist and the layer-2 alerts), the
 * feature spec is computed for just those through the feature request queue, and the backtest runs on the
 * `backtest.data` entries of the flagged instruments. Paths are relative to the config's folder.
 */
import { z } from 'zod'

/** The `pipeline:` section. */
export const pipelineSection = z
  .strictObject({
    features: z
      .string()
      .min(1)
      .describe('feature spec file (see kestrel features build) computed per flagged instrument'),
    batchSize: z.number().int().min(1).default(4).describe('instruments per feature request batch'),
  })
  .describe('Scan, then features and a backtest of the instruments the scan flags')

/** A validated `pipeline:` section. */
export type PipelineConfig = z.output<typeof pipelineSection>
