/**
 * Risk status and stress tests. Status: the limits of a config's `risk:` section, their usage and every
 * breach; without a saved snapshot it runs the config's strategies on its `backtest:` section through the limits risk engine
 * (a dry run of the limits on real data) and returns the engine's state at the end. Stress: the `risk.stress`
 * book under its hypothetical shocks and historical replays.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { KestrelError, kestrelConfigSchema, loadConfigFile, parseTimeframe, type Logger } from '../core/index.ts'
import { OpenStores, configStoreLoader } from './backtest-data.ts'
import { backtestFromConfig, loadCsvBars, periodsPerYear, runBacktest } from '../engine/index.ts'
import {
  LimitsRiskEngine,
  parseRiskConfig,
  runStress,
  stressReportMarkdown,
  type RiskConfig,
  type RiskStatus,
} from '../risk/index.ts'
import type { Env } from './types.ts'

export type { RiskStatus }

const time = z.number().finite()
const num = z.number().nullable() // NaN and ±Infinity were written as null
const breach = z.object({
  rule: z.string(),
  instrumentId: z.string().optional(),
  action: z.string(),
  time,
  value: num.optional(),
  limit: num.optional(),
  message: z.string(),
})
const snapshotSchema = z.object({
  name: z.string(),
  time: time.nullable(),
  killed: z.boolean(),
  mode: z.enum(['normal', 'reduce-only', 'killed']),
  usage: z.array(z.object({ limit: z.string(), value: num, max: num, peak: num.optional() })),
  readings: z.record(z.string(), num),
  active: z.array(breach),
  breaches: z.array(breach),
  rearms: z.array(z.object({ time, by: z.string(), reason: z.string(), cleared: z.array(z.string()) })),
  counters: z.record(z.string(), z.number()),
  config: z.unknown(),
})

/**
 * A snapshot written by `--save`, checked: a hand-edited or damaged file is an input error naming the key. Keys a
 * snapshot does not have are not kept (only these are shown).
 */
export function parseSnapshot(text: string, file: string): RiskStatus {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `--state ${file}: not JSON (${(e as Error).message.replace(/\s+/g, ' ')})`,
      { file },
    )
  }
  const r = snapshotSchema.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]!
    const path = i.path.length ? i.path.join('.') : '(root)'
    throw new KestrelError(
      'DATA_BAD_FILE',
      `--state ${file}: not a risk snapshot saved by --save: ${path}: ${i.message}`,
      {
        file,
        path,
      },
    )
  }
  return { ...(r.data as unknown as RiskStatus), config: parseRiskConfig(r.data.config, `--state ${file} config`) }
}

/** What {@link riskStatus} reads: a config to dry-run, or a saved snapshot (with a config: its limits shown). */
export interface RiskStatusRequest {
  readonly config?: string
  readonly state?: string
  /** Write the snapshot here. */
  readonly save?: string
  readonly env: Env
  readonly logger?: Logger
}

/** The status and where it came from (`dry run of risk.yaml: 250 bars, …` or `snapshot state.json`). */
export async function riskStatus(req: RiskStatusRequest): Promise<{ source: string; status: RiskStatus }> {
  let st: RiskStatus
  let source: string
  if (req.state) {
    let text: string
    try {
      text = await readFile(req.state, 'utf8')
    } catch (e) {
      throw new KestrelError('FILE_NOT_FOUND', `--state ${req.state}: cannot read (${(e as Error).message})`)
    }
    st = parseSnapshot(text, req.state)
    if (req.config) {
      const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
      st = { ...st, config: parseRiskConfig(cfg.risk ?? {}) }
    }
    source = `snapshot ${req.state}`
  } else {
    if (!req.config)
      throw new KestrelError(
        'USAGE',
        'risk status: give --config <yaml> (with strategies:, backtest: and risk:) or --state <json>',
      )
    const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
    if (!cfg.backtest)
      throw new KestrelError(
        'CONFIG_INVALID',
        `${req.config}: risk status runs the strategies on the backtest: section through the limits; it has no backtest:`,
      )
    const stores = new OpenStores()
    let r
    let c
    try {
      c = await backtestFromConfig(cfg, dirname(resolve(req.config)), cfg.risk ?? {}, {
        logger: req.logger,
        storeData: configStoreLoader(stores, req.env),
      })
      r = await runBacktest(c.options)
    } finally {
      await stores.close()
    }
    const risk = c.options.risk as LimitsRiskEngine
    st = risk.status()
    source = `dry run of ${req.config}: ${r.stats.bars} bars, ${r.fills.length} fills, ${r.stats.riskRejected} orders refused by risk`
  }
  if (req.save) {
    await mkdir(dirname(resolve(req.save)), { recursive: true })
    await writeFile(req.save, JSON.stringify(st, null, 2))
  }
  return { source, status: st }
}

/** One stress scenario's outcome. */
export type StressResult = ReturnType<typeof runStress>[number]

/** Runs the `risk.stress` section of `config`; with `report`, writes the Markdown report there. */
export async function riskStress(req: {
  readonly config: string
  readonly report?: string
  readonly env: Env
}): Promise<StressResult[]> {
  const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
  const risk: RiskConfig = parseRiskConfig(cfg.risk ?? {})
  if (!risk.stress)
    throw new KestrelError('CONFIG_INVALID', `${req.config}: risk.stress: missing (book, data, shocks, replays)`)
  const base = dirname(resolve(req.config))
  const series = new Map()
  const perDay = new Map<string, number>()
  for (const [inst, file] of Object.entries(risk.stress.data)) {
    const l = await loadCsvBars(resolve(base, file), { symbol: inst })
    series.set(inst, { ...l.series, instrumentId: inst })
    const ppy = periodsPerYear(l.timeframe, l.instrument.assetClass)
    const crypto = l.instrument.assetClass === 'crypto' || l.instrument.assetClass === 'crypto_perp'
    perDay.set(inst, parseTimeframe(l.timeframe).ms >= 86_400_000 ? 1 : ppy / (crypto ? 365 : 252))
  }
  const results = runStress(risk.stress, { series, barsPerDay: (i) => perDay.get(i) ?? 1 })
  if (req.report) {
    await mkdir(dirname(resolve(req.report)), { recursive: true })
    await writeFile(req.report, `# Stress test: ${req.config}\n\n${stressReportMarkdown(results)}`)
  }
  return results
}
