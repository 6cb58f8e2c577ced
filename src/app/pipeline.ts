/**
 * The scan-then-backtest pipeline (the AI Trader flow): a config with `pipeline:`, `scan:` and `backtest:`
 * sections runs in three stages.
 *   1. scan: the scanner layers over the `scan.data` universe; an instrument is flagged when the layer-1.5
 *      shortlist holds it or a layer-2 scanner alerted on it.
 *   2. features: the flagged instruments' alerts go through the {@link FeatureRequestQueue}; each batch it hands
 *      out is computed with the `pipeline.features` spec, one CSV per instrument under `<out>/features/`.
 *   3. backtest: the `backtest:` section on its `backtest.data` entries of flagged instruments only (each entry
 *      must be one of `scan.data`), through the `framework:` and `risk:` sections; the HTML report is written.
 * Nothing flagged is not an error: the run says so and has no backtest.
 * The scan reads the whole period the backtest then trades: it screens a research universe, it is not a
 * point-in-time membership (use `backtest.universe` for that).
 */
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import {
  KestrelError,
  isoUtc,
  kestrelConfigSchema,
  loadConfigFile,
  type KestrelConfig,
  type Logger,
} from '../core/index.ts'
import { buildFeatures, buildPlan, loadFeatureSpec } from '../features/index.ts'
import { FeatureRequestQueue, type ScannerAlert } from '../strategy/index.ts'
import { backtest, type BacktestRun } from './backtest.ts'
import type { ReturnsSample } from './backtest-result.ts'
import { writeFrameCsv } from './features.ts'
import { readScanUniverse, scanSeries, type ScanResult } from './scan.ts'
import type { Env } from './types.ts'

/** What {@link runPipeline} needs. */
export interface PipelineRequest {
  /** The YAML config with `pipeline:`, `scan:` and `backtest:` sections. */
  readonly config: string
  readonly env: Env
  /** Folder for the features and the report. */
  readonly out: string
  /** Where to write the HTML report (default `<out>/report.html`). */
  readonly report?: string
  /** How the JSON's equity and returns are sampled (default `day`). */
  readonly sample?: ReturnsSample
  readonly logger?: Logger
  /** One line per step of each stage, for the user (the CLI writes them on stderr). */
  readonly onProgress?: (stage: 'scan' | 'features' | 'backtest' | 'report', message: string) => void
  /** A reload of the risk limits failed while running (the old limits stay). */
  readonly onRiskReloadError?: (e: unknown) => void
}

/** The features computed for one flagged instrument. */
export interface PipelineFeatures {
  readonly instrumentId: string
  /** The spec's name. */
  readonly spec: string
  /** The feature request batch it was computed in (1-based). */
  readonly batch: number
  /** The request's priority (the best score of its alerts). */
  readonly priority: number
  /** The scanners whose alerts asked for it. */
  readonly scanners: readonly string[]
  readonly bars: number
  readonly columns: readonly string[]
  /** The CSV written (absolute path). */
  readonly file: string
}

/** A finished pipeline run. */
export interface PipelineRun {
  readonly scan: ScanResult
  /** Instrument ids the scan flagged, sorted. */
  readonly flagged: readonly string[]
  readonly features: readonly PipelineFeatures[]
  /** The backtest, unless nothing was flagged. */
  readonly backtest?: BacktestRun
  /** Why there is no backtest. */
  readonly message?: string
  /** The JSON report: `scan`, `flagged`, `features`, then the backtest's report. */
  readonly report: Record<string, unknown>
}

/** True when the config at `path` asks for the pipeline (it has a `pipeline:` section). */
export function isPipelineConfig(path: string, env: Env): boolean {
  return loadConfigFile(path, kestrelConfigSchema, env).value.pipeline !== undefined
}

/** The identity of a data entry (paths resolved), to find a `backtest.data` entry in `scan.data`. */
function entryKey(d: NonNullable<KestrelConfig['scan']>['data'][number], baseDir: string): string {
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(baseDir, p))
  return JSON.stringify({ ...d, file: abs(d.file), store: abs(d.store), lake: abs(d.lake) })
}

function alertJson(a: ScannerAlert): Record<string, unknown> {
  return { time: isoUtc(a.time), instrumentId: a.instrumentId, scanner: a.scanner, score: a.score, details: a.details }
}

/** Runs scan → features → backtest as the config describes (see the module comment). */
export async function runPipeline(req: PipelineRequest): Promise<PipelineRun> {
  const say = req.onProgress ?? (() => undefined)
  const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
  const missing = (['pipeline', 'scan', 'backtest'] as const).filter((k) => cfg[k] === undefined)
  if (missing.length > 0 || !cfg.pipeline || !cfg.scan || !cfg.backtest)
    throw new KestrelError(
      'CONFIG_INVALID',
      `${req.config}: the pipeline needs pipeline:, scan: and backtest: sections; ${missing.join(', ')} missing`,
      { path: req.config, missing },
    )
  const baseDir = dirname(resolve(req.config))
  const scanKeys = cfg.scan.data.map((d) => entryKey(d, baseDir))
  const positions = cfg.backtest.data.map((d, i) => {
    const at = scanKeys.indexOf(entryKey(d, baseDir))
    if (at < 0)
      throw new KestrelError(
        'CONFIG_INVALID',
        `${req.config}: backtest.data[${i}] is not in scan.data; the pipeline backtests what the scan flags`,
        { path: `backtest.data[${i}]` },
      )
    return at
  })
  const spec = loadFeatureSpec(resolve(baseDir, cfg.pipeline.features))
  const plan = buildPlan(spec)

  // 1. scan
  say('scan', `reading the universe: ${cfg.scan.data.length} series`)
  const { series, universe } = await readScanUniverse(cfg.scan, baseDir, req.env)
  const layers = await scanSeries(cfg.scan, series, baseDir)
  const scan: ScanResult = { ...layers, universe }
  const ids = new Set(universe.map((u) => u.instrumentId))
  const flaggedAlerts = [...layers.layer1_5, ...layers.layer2].filter((a) => ids.has(a.instrumentId))
  const flagged = [...new Set(flaggedAlerts.map((a) => a.instrumentId))].sort()
  say(
    'scan',
    `${layers.layer1.length} layer-1 alerts, ${layers.layer1_5.length} shortlist entries, ${layers.layer2.length} layer-2 alerts; ` +
      `flagged ${flagged.length} of ${ids.size}: ${flagged.join(', ') || 'none'}`,
  )
  if (layers.catalystQuarantine.length > 0)
    say(
      'scan',
      `${layers.catalystQuarantine.length} layer-2 record line(s) quarantined: ` +
        layers.catalystQuarantine.map((q) => q.message).join('; '),
    )
  const scanJson = {
    universe: universe.map((u) => ({
      instrumentId: u.instrumentId,
      bars: u.bars,
      quarantinedRows: u.quarantine.length,
      flagged: flagged.includes(u.instrumentId),
    })),
    layer1: layers.layer1.length,
    layer1_5: layers.layer1_5.map(alertJson),
    layer2: layers.layer2.map(alertJson),
    catalystQuarantine: layers.catalystQuarantine,
  }

  // 2. features, batch by batch as the queue hands them out
  const queue = new FeatureRequestQueue({
    batchSize: cfg.pipeline.batchSize,
    features: {},
    defaultFeatures: [spec.name],
  })
  queue.pushAll(flaggedAlerts)
  const features: PipelineFeatures[] = []
  const dir = resolve(req.out, 'features')
  if (queue.size > 0) await mkdir(dir, { recursive: true })
  const kinds = new Map(plan.nodes.map((n) => [n.id, n]))
  const timeColumns = plan.columns.map((c) => {
    const node = kinds.get(c.node)!
    return node.kind.timeOutputs?.includes(node.outputs[c.output]!) ?? false
  })
  let batch = 0
  for (const requests of queue.drain()) {
    batch++
    say('features', `batch ${batch}: ${requests.map((r) => r.instrumentId).join(', ')}`)
    for (const r of requests) {
      const s = series.find((x) => x.instrumentId === r.instrumentId)!
      const { frame } = await buildFeatures(plan, s)
      const file = join(dir, `${r.instrumentId}.csv`)
      const out = createWriteStream(file)
      await writeFrameCsv(out, frame, timeColumns)
      await new Promise<void>((ok, fail) => {
        out.once('error', fail)
        out.end(ok)
      })
      features.push({
        instrumentId: r.instrumentId,
        spec: spec.name,
        batch,
        priority: r.priority,
        scanners: r.scanners,
        bars: frame.time.length,
        columns: frame.columns,
        file,
      })
    }
  }
  const featuresJson = features.map((f) => ({ ...f }))
  const head = { scan: scanJson, flagged, features: featuresJson }

  // 3. backtest of the flagged entries of backtest.data
  const onlyData = positions.flatMap((at, i) => (flagged.includes(universe[at]!.instrumentId) ? [i] : []))
  if (onlyData.length === 0) {
    const message =
      flagged.length === 0
        ? 'the scan flagged no instrument: nothing to backtest'
        : `the scan flagged ${flagged.join(', ')}, none of them in backtest.data: nothing to backtest`
    say('backtest', message)
    return { scan, flagged, features, message, report: { ...head, message } }
  }
  const n = cfg.strategies?.length ?? 0
  say(
    'backtest',
    `${n} ${n === 1 ? 'strategy' : 'strategies'} on ${onlyData.length} of ${positions.length} instruments`,
  )
  const done = await backtest(
    {
      config: req.config,
      env: req.env,
      logger: req.logger,
      onRiskReloadError: req.onRiskReloadError,
      onlyData,
    },
    { report: req.report ?? join(req.out, 'report.html'), sample: req.sample },
  )
  say('report', `${done.result.fills.length} fills; report ${done.reportPath ?? '(none)'}`)
  return { scan, flagged, features, backtest: done, report: { ...head, ...done.report } }
}
