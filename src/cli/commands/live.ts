/**
 * `kestrel live --config <yaml>`: runs the live node of the config's `live:` section until SIGINT/SIGTERM,
 * then prints what it did (`--json` for machines). Talk to it meanwhile with `kestrel live status|kill|...`.
 */
import { live } from '../../app/live.ts'
import { cliLogger } from '../log.ts'
import { envVars, printJson, redact, stderr, stdout, table } from '../util.ts'

export async function run(o: { config?: string; journal?: string; json: boolean }): Promise<void> {
  if (o.config === undefined) {
    const { KestrelError } = await import('../../core/index.ts')
    throw new KestrelError(
      'USAGE',
      'live: give --config <yaml> to run a node, or a command: status, orders, positions, kill, rearm, halt, resume',
    )
  }
  const abort = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => {
    stderr().write(`${sig}: stopping the live node\n`)
    abort.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const s = await live({
      config: o.config,
      env: envVars(),
      logger: cliLogger(),
      signal: abort.signal,
      ...(o.journal !== undefined ? { journal: o.journal } : {}),
      onReady: (c, socket) => {
        const st = c.status()
        stderr().write(
          redact(
            `live node ${st.nodeId} up: journal ${st.journal.path} (${st.journal.replayed} records replayed), control socket ${socket ?? '-'}${
              Object.keys(st.halted).length
                ? `; HALTED: ${Object.entries(st.halted)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join('; ')}`
                : ''
            }\n`,
          ),
        )
      },
    })
    if (o.json) return printJson(s)
    stdout().write(
      table([
        {
          node: s.nodeId,
          orders: s.orders,
          fills: s.fills,
          'open orders': s.openOrders,
          equity: s.equity,
          journal: `${s.journal.records} records`,
          halted: Object.keys(s.halted).join(', ') || '-',
        },
      ]),
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
