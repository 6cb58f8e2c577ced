import type { Command } from 'commander'
import { kestrelConfigSchema, loadConfigFile, redactSecrets, toJsonSchema } from '../../core/index.ts'
import { envVars, printJson, stdout, withExample } from '../util.ts'

/** Registers `kestrel config validate|schema`. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('validate configuration files and print their schema')
  withExample(
    config
      .command('validate <file>')
      .description('check a YAML config against the schema; errors name the key path and the line')
      .option('--json', 'print the validated config (secrets redacted) as JSON')
      .action((file: string, opts: { json?: boolean }) => {
        const loaded = loadConfigFile(file, kestrelConfigSchema, envVars())
        if (opts.json) printJson(redactSecrets(loaded.value, loaded.secretPaths))
        else stdout().write(`${file}: valid\n`)
      }),
    'kestrel config validate kestrel.yaml',
  )
  withExample(
    config
      .command('schema')
      .description('print the JSON Schema of the config (for editors: yaml-language-server)')
      .action(() => printJson(toJsonSchema(kestrelConfigSchema))),
    'kestrel config schema > kestrel.schema.json',
  )
}
