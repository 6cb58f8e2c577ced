/** `kestrel config validate <file>`: `<file>: valid`, or with `--json` the validated config, secrets redacted. */
import { validateConfig } from '../../app/config.ts'
import { envVars, printJson, stdout } from '../util.ts'

export function run(file: string, o: { json?: boolean }): void {
  const value = validateConfig(file, envVars())
  if (o.json) printJson(value)
  else stdout().write(`${file}: valid\n`)
}
