/**
 * `kestrel config migrate <file> [--write]`: the file rewritten to the current config shape on stdout, or
 * written in place with `--write` (a line on stderr says what moved).
 */
import { migrateConfigFile } from '../../app/config.ts'
import { stdout } from '../util.ts'

export function run(file: string, o: { write?: boolean }): void {
  const m = migrateConfigFile(file, { write: o.write === true })
  if (!o.write) {
    stdout().write(m.text)
    return
  }
  if (!m.changed) stdout().write(`${file}: already in the current shape\n`)
  else stdout().write(`${file}: migrated (${m.moves.map((x) => `${x.from} → ${x.to}`).join(', ')})\n`)
}
