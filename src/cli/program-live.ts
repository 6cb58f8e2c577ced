/** The live-trading part of the command tree: the node's journal as an audit trail. */
import type { Command } from 'commander'
import { lazy, withExample } from './util.ts'

/** Registers `kestrel audit`. */
export function registerLive(program: Command): void {
  const audit = program.command('audit').description("verify a node's journal, the tamper-evident audit trail")
  withExample(
    audit
      .command('verify <journal>')
      .description(
        'check every record of a journal against the hash chain: exit 0 when intact, 1 naming the first bad record',
      )
      .option('--expect <records:hash>', 'also check that record <records> still has the hash an auditor kept')
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/audit-verify.ts'))),
    'kestrel audit verify node.journal',
    'kestrel audit verify node.journal --expect 1200:5f0c...e9',
  )
}
