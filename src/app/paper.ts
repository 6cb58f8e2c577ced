/**
 * Paper trading on a replayed feed: a config's strategies, account, framework and risk on its `backtest:`
 * data (or `--replay` files in its place), run by the paper node (journal first, restartable, with a control
 * socket), reported exactly as a backtest is.
 */
import { dirname, resolve } from 'node:path'
import { KestrelError, kestrelConfigSchema, loadConfigFile, paperSection } from '../core/index.ts'
import { nodeFingerprint, parseSpeed, runPaper, type NodeControl, type PaperRun } from '../engine/index.ts'
import {
  fromConfig,
  runPrepared,
  type BacktestOutputOptions,
  type BacktestRun,
  type ConfigBacktest,
} from './backtest.ts'
import { runDataWarnings, strictDataError } from './data-warnings.ts'
import { serveControl } from './node-control.ts'

/** A paper run of a config file. */
export interface PaperRequest extends ConfigBacktest {
  /** Bar files replayed in place of `backtest.data` (one per entry, in order). */
  readonly replay?: readonly string[]
  /** Override `paper.journal` (relative to the working folder). */
  readonly journal?: string
  /** Override `paper.speed`: `max`, `1x`, `10x`. */
  readonly speed?: string
  /** Override `paper.durability`. */
  readonly durability?: 'os' | 'fsync' | 'batch'
  /** Override `paper.control` (the control socket path); `false` serves none. */
  readonly control?: string | false
  /** Stops the node gracefully when aborted. */
  readonly signal?: AbortSignal
  /** On a graceful stop: cancel working orders (default) or leave them. */
  readonly onStop?: 'cancel' | 'leave'
  /** Called once the node is up, with its control interface and socket path. */
  readonly onReady?: (control: NodeControl, socket: string | undefined) => void | Promise<void>
}

/** A finished paper run: the backtest's report and what the journal holds. */
export interface PaperAppRun extends BacktestRun {
  readonly journal: PaperRun['journal']
}

/** Runs a config's strategies in the paper node over its replayed data; see the file header. */
export async function paper(req: PaperRequest, opts: BacktestOutputOptions = {}): Promise<PaperAppRun> {
  const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
  const section = cfg.paper ?? paperSection.parse({})
  const base = dirname(resolve(req.config))
  const journal = req.journal !== undefined ? resolve(req.journal) : resolve(base, section.journal)
  const speed = parseSpeed(req.speed ?? section.speed)
  const durability = req.durability ?? section.durability
  const socket =
    req.control === false
      ? undefined
      : req.control !== undefined
        ? resolve(req.control)
        : section.control !== undefined
          ? resolve(base, section.control)
          : `${journal}.sock`
  const prepared = await fromConfig(req)
  let journalInfo: PaperRun['journal'] | undefined
  try {
    const warnings = await runDataWarnings(prepared.loaded, prepared.actions)
    if (req.strictData && warnings.length > 0) throw strictDataError(warnings)
    const fingerprint = nodeFingerprint({
      strategies: cfg.strategies,
      account: cfg.account,
      framework: cfg.framework ?? null,
      risk: cfg.risk ?? null,
      backtest: { ...cfg.backtest, data: prepared.loaded.map((l) => l.instrument.id) },
      nodeId: section.nodeId,
    })
    let server: { close(): Promise<void> } | undefined
    try {
      const run = await runPrepared(prepared, opts, warnings, async (options) => {
        const r = await runPaper(
          { ...options, nodeId: section.nodeId, riskFile: undefined },
          {
            journal,
            durability,
            speed,
            fingerprint,
            ...(req.signal ? { signal: req.signal } : {}),
            ...(req.onStop ? { onStop: req.onStop } : {}),
            onReady: async (control) => {
              if (socket !== undefined) server = await serveControl(socket, control)
              await req.onReady?.(control, socket)
            },
          },
        )
        journalInfo = r.journal
        return r
      })
      if (journalInfo === undefined) throw new KestrelError('INTERNAL', 'paper: the node did not run')
      return { ...run, journal: journalInfo, report: { ...run.report, journal: journalInfo } }
    } finally {
      await server?.close()
    }
  } finally {
    await prepared.close()
  }
}
