/** Check a config file against the schema; the schema itself as JSON Schema (for editors). */
import { kestrelConfigSchema, loadConfigFile, redactSecrets, toJsonSchema } from '../core/index.ts'
import type { Env } from './types.ts'

/**
 * The validated config of `file` with its secrets (values read from the environment) redacted. An invalid file
 * is CONFIG_INVALID naming the key path and the line.
 */
export function validateConfig(file: string, env: Env): unknown {
  const loaded = loadConfigFile(file, kestrelConfigSchema, env)
  return redactSecrets(loaded.value, loaded.secretPaths)
}

/** The JSON Schema of the config. */
export function configJsonSchema(): unknown {
  return toJsonSchema(kestrelConfigSchema)
}
export { migrateConfigFile, migrateConfigText, type ConfigMigration } from './config-migrate.ts'
