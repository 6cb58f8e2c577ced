/** `kestrel features list`: the feature kinds a spec can use. */
import { listFeatureKinds } from '../../app/features.ts'
import { printJson, stdout, table } from '../util.ts'

export function run(o: { json?: boolean }): void {
  const rows = listFeatureKinds()
  if (o.json) printJson(rows)
  else stdout().write(table(rows))
}
