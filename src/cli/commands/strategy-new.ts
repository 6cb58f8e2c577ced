/** `kestrel strategy new <name>`: writes a strategy file and its test, and prints the commands that run them. */
import { scaffoldStrategy } from '../../app/strategy.ts'
import { printJson, stdout } from '../util.ts'

export function run(name: string, o: { dir?: string; force?: boolean; json?: boolean }): void {
  const r = scaffoldStrategy({ name, dir: o.dir, force: o.force, cwd: process.cwd() })
  if (o.json) return printJson(r)
  stdout().write(
    `wrote ${r.strategyFile}\nwrote ${r.testFile}\n\nbacktest it:\n  ${r.backtest.line}\ntest it:\n  ${r.test.line}\n`,
  )
}
