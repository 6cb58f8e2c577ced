/**
 * The feature spec: a YAML document naming features by expression. Validated by zod; a bad key names its
 * path (`features.vol`), and the error code is SPEC_INVALID.
 *
 * ```yaml
 * name: intraday
 * features:
 *   ret: logret(close, 1)
 *   vol: ewmavol(ret, 0.94)
 *   rsiz: zscore(rsi(close, 14), 50)
 * output: [ret, vol, rsiz]     # optional: default every feature
 * ```
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { KestrelError, isKestrelError, loadConfigText, zodIssues } from '../../core/index.ts'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The zod schema of a feature spec. */
export const featureSpecSchema = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().min(1),
    description: z.string().optional(),
    /** Feature name → expression. */
    features: z
      .record(z.string().regex(NAME, 'a feature name is a letter or _ then letters, digits or _'), z.string().min(1))
      .refine((r) => Object.keys(r).length > 0, 'at least one feature'),
    /** Columns to write, `name` or `name.output`; default all. */
    output: z.array(z.string().min(1)).optional(),
    /** Names of external series the caller provides (e.g. a benchmark's closes for `xbeta`). */
    extra: z.array(z.string().regex(NAME)).default([]),
    /** Where the data comes from when the CLI is given no --data. */
    data: z
      .object({ csv: z.string().min(1), timeframe: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict()

/** A validated feature spec. */
export type FeatureSpec = z.output<typeof featureSpecSchema>

function asSpecError(e: unknown): never {
  if (isKestrelError(e, 'CONFIG_INVALID'))
    throw new KestrelError('SPEC_INVALID', e.message.replace('invalid configuration', 'invalid feature spec'), {
      ...e.details,
    })
  throw e
}

/** Parses and validates spec YAML text. */
export function parseFeatureSpec(text: string, source = 'feature spec'): FeatureSpec {
  try {
    return loadConfigText(text, featureSpecSchema, {}, source).value
  } catch (e) {
    return asSpecError(e)
  }
}

/** Reads and validates a spec file. */
export function loadFeatureSpec(path: string): FeatureSpec {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new KestrelError(
      'FILE_NOT_FOUND',
      `${path}: cannot read the feature spec (${(e as NodeJS.ErrnoException).code})`,
      {
        path,
      },
    )
  }
  return parseFeatureSpec(text, path)
}

/** Validates a spec given as a plain object (API payloads, tests). */
export function featureSpec(value: unknown, source = 'feature spec'): FeatureSpec {
  const r = featureSpecSchema.safeParse(value)
  if (r.success) return r.data
  const lines = zodIssues(r.error).map((i) => `  ${i.path}: ${i.message}`)
  throw new KestrelError('SPEC_INVALID', `${source}: invalid feature spec\n${lines.join('\n')}`, { source })
}
