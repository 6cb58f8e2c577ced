/** `kestrel config schema`: the JSON Schema of the config on stdout. */
import { configJsonSchema } from '../../app/config.ts'
import { printJson } from '../util.ts'

export function run(): void {
  printJson(configJsonSchema())
}
