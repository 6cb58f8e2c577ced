/** The trading-node part of the command tree: paper trading, the control socket, the journal as an audit trail. */
import type { Command } from 'commander'
import type { ControlCommand } from '../app/node-control.ts'
import { collect, lazy, withExample } from './util.ts'

/**
 * An action that loads the control client only when it runs. `kestrel live` has options of its own (`--config`,
 * `--json`), which commander gives the parent even after the subcommand's name: the two are merged.
 */
function control(cmd: ControlCommand): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const m = await import('./commands/live-control.ts')
    await m.runControl(cmd, (args[1] as Command).optsWithGlobals() as never)
  }
}

/** Registers `kestrel paper`, `kestrel live <control>` and `kestrel audit`. */
export function registerLive(program: Command): void {
  withExample(
    program
      .command('paper')
      .description(
        "paper trading on a replayed feed: the config's strategies, account and risk in the trading node (journal first, restartable, with a control socket), reported as a backtest",
      )
      .requiredOption(
        '--config <yaml>',
        'config with strategies:, a backtest: section (the data and fill model) and optionally paper:',
      )
      .option(
        '--replay <csv>',
        'bar file replayed in place of each backtest.data entry, in order (repeatable)',
        collect,
        [],
      )
      .option('--speed <speed>', 'max, or a multiple of real time: 1x, 10x (default: paper.speed, max)')
      .option('--journal <file>', 'journal file (default: paper.journal); an existing one is replayed and continued')
      .option(
        '--durability <mode>',
        'os (survives a kill), fsync (survives a power cut) or batch (default: paper.durability, os)',
      )
      .option('--control <socket>', 'control socket path (default: paper.control, or the journal path + .sock)')
      .option('--no-control', 'serve no control socket')
      .option('--report <html>', 'write the tearsheet here')
      .option('--sample <bar|day>', 'sampling of the JSON equity and returns series', 'day')
      .option('--allow-rejects', 'exit 0 even when orders were refused for a reason the strategy can fix')
      .option('--strict-data', 'refuse data with a warning that changes the results')
      .option('--json', 'machine-readable output (the backtest report, with the journal)', false)
      .action(lazy(() => import('./commands/paper.ts'))),
    'kestrel paper --config examples/paper.yaml --speed max',
    'kestrel paper --config examples/paper.yaml --replay data/SPY_1m.csv --speed 10x --journal paper.journal',
  )
  const live = withExample(
    program
      .command('live')
      .description(
        "run the live node of a config's live: section until SIGINT/SIGTERM (journal first, reconciled with the venue), or talk to a running node",
      )
      .option('--config <yaml>', 'config with strategies:, account:, risk: and a live: section')
      .option('--journal <file>', 'journal file (default: live.journal); an existing one is replayed and continued')
      .option('--json', 'machine-readable summary when it stops', false)
      .action(lazy(() => import('./commands/live.ts'))),
    'kestrel live --config live.yaml',
    'kestrel live status --config live.yaml',
  )
  const verbs: [ControlCommand, string, boolean][] = [
    ['status', 'state, journal, halts and what `kestrel risk status` shows', false],
    ['orders', 'open orders', false],
    ['positions', 'non-zero positions', false],
    ['kill', 'fire the kill switch: cancel every order, flatten, block until re-armed', true],
    ['rearm', 're-arm after a kill (a person and a reason)', true],
    ['halt', 'halt new risk (reducing orders still pass) until resumed', true],
    ['resume', 'lift an operator halt', true],
  ]
  for (const [verb, what, needsWho] of verbs) {
    let c = live
      .command(verb)
      .description(what)
      .option('--socket <path>', 'the control socket of the node')
      .option('--config <yaml>', "find the socket from the config's paper: section")
      .option('--json', 'machine-readable output', false)
    if (needsWho) c = c.requiredOption('--by <who>', 'who acts').requiredOption('--reason <why>', 'why')
    withExample(
      c.action(control(verb)),
      needsWho
        ? `kestrel live ${verb} --config examples/paper.yaml --by ops --reason "venue outage"`
        : `kestrel live ${verb} --config examples/paper.yaml --json`,
    )
  }
  withExample(
    live
      .command('compare')
      .description(
        "backtest-versus-live drift: run the config's strategies through the backtest engine on the bars the node's journal recorded, and report every order and fill that differs, with each live fill's slippage against the simulated one",
      )
      .option('--config <yaml>', 'the config the node ran (its live: section names the journal)')
      .option('--journal <file>', 'the journal (default: live.journal)')
      .option('--json', 'machine-readable output', false)
      .action(async (...args: unknown[]) => {
        const m = await import('./commands/live-compare.ts')
        await m.run((args[1] as Command).optsWithGlobals() as never)
      }),
    'kestrel live compare --config examples/live.yaml',
  )
  const audit = program.command('audit').description("verify a node's journal, the tamper-evident audit trail")
  withExample(
    audit
      .command('verify [journal]')
      .description(
        'check every record of a journal (a file, or its PostgreSQL mirror) against the hash chain: exit 0 when intact, 1 naming the first bad record',
      )
      .option('--expect <records:hash>', 'also check that record <records> still has the hash an auditor kept')
      .option('--pg <url>', 'verify the PostgreSQL mirror instead of a file')
      .option('--node <id>', 'with --pg: the node whose journal')
      .option('--table <name>', 'with --pg: the mirror table', 'kestrel_journal')
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/audit-verify.ts'))),
    'kestrel audit verify node.journal',
    'kestrel audit verify node.journal --expect 1200:5f0c...e9',
    'kestrel audit verify --pg postgres://127.0.0.1/kestrel --node L1',
  )
  withExample(
    audit
      .command('ship <journal>')
      .description(
        "copy a journal's new records, byte for byte, into PostgreSQL (the shared store governance and other machines read); refuses a file that does not continue what the table holds",
      )
      .requiredOption('--pg <url>', 'PostgreSQL connection string')
      .requiredOption('--node <id>', 'the node whose journal it is')
      .option('--table <name>', 'the mirror table', 'kestrel_journal')
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/audit-ship.ts'))),
    'kestrel audit ship .kestrel/live.journal --pg postgres://127.0.0.1/kestrel --node L1',
  )
}
