/** `kestrel strategy ls`: the built-in strategies and their parameters (name, type, default, description). */
import { listStrategies } from '../../app/strategy.ts'
import { printJson, stdout, table } from '../util.ts'

export function run(o: { json?: boolean }): void {
  const list = listStrategies()
  if (o.json) return printJson(list)
  const rows = list.flatMap((s) =>
    s.params.map((p) => ({
      strategy: s.name,
      param: p.name,
      type: p.type,
      default: 'default' in p ? JSON.stringify(p.default) : p.required ? '(required)' : '-',
      description: p.description ?? '',
    })),
  )
  stdout().write(table(rows))
  for (const s of list) stdout().write(`\n${s.name}: ${s.description}`)
  stdout().write('\n')
}
