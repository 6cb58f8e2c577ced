/**
 * `kestrel paper --config <yaml> [--replay <csv>...] [--speed max|1x|10x] [--journal <file>]`: the paper node on
 * a replayed feed, journal first, with a control socket; prints the same summary as a backtest (`--json` too).
 * Run it again with the same journal after a crash and it goes on where it stopped.
 */
import { RETURNS_SAMPLES, type ReturnsSample } from '../../app/backtest-result.ts'
import { paper } from '../../app/paper.ts'
import { fixableRejectsError } from '../../app/order-rejects.ts'
import { KestrelError } from '../../core/index.ts'
import { cliLogger } from '../log.ts'
import { envVars, printJson, redact, stderr, warnQuarantine } from '../util.ts'
import { printTable } from './backtest.ts'

interface PaperFlags {
  config: string
  replay: string[]
  speed?: string
  journal?: string
  durability?: string
  control?: string | false
  json: boolean
  report?: string
  sample: string
  allowRejects?: boolean
  strictData?: boolean
}

export async function run(o: PaperFlags): Promise<void> {
  if (!(RETURNS_SAMPLES as readonly string[]).includes(o.sample))
    throw new KestrelError('USAGE', `--sample ${JSON.stringify(o.sample)}: expected ${RETURNS_SAMPLES.join(' or ')}`)
  if (o.durability !== undefined && !['os', 'fsync', 'batch'].includes(o.durability))
    throw new KestrelError('USAGE', `--durability ${JSON.stringify(o.durability)}: expected os, fsync or batch`)
  // SIGINT / SIGTERM stop the node gracefully: no new data, working orders canceled, the summary printed.
  const abort = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => {
    stderr().write(`${sig}: stopping the paper node\n`)
    abort.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let done
  try {
    done = await paper(
      {
        config: o.config,
        env: envVars(),
        logger: cliLogger(),
        replay: o.replay,
        ...(o.speed !== undefined ? { speed: o.speed } : {}),
        ...(o.journal !== undefined ? { journal: o.journal } : {}),
        ...(o.durability !== undefined ? { durability: o.durability as 'os' | 'fsync' | 'batch' } : {}),
        ...(o.control !== undefined ? { control: o.control } : {}),
        strictData: o.strictData === true,
        signal: abort.signal,
        onReady: (_c, socket) => {
          stderr().write(
            redact(`paper node up; ${socket !== undefined ? `control socket ${socket}` : 'no control socket'}\n`),
          )
        },
      },
      { report: o.report, sample: o.sample as ReturnsSample },
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  warnQuarantine(done.quarantined)
  for (const n of done.notes) stderr().write(redact(`${n}\n`))
  const j = done.journal
  stderr().write(
    redact(
      `journal ${j.path}: ${j.records} records${j.replayed > 0 ? `, ${j.replayed} replayed at start` : ''}${j.tornBytes > 0 ? `, a torn last record of ${j.tornBytes} bytes cut off` : ''}\n`,
    ),
  )
  if (o.json) printJson(done.report)
  else printTable(done)
  if (done.fixableRejects.length > 0 && !o.allowRejects) throw fixableRejectsError(done.fixableRejects)
}
