/**
 * `kestrel risk status` and `kestrel risk stress`.
 *   status: the limits of a config's `risk:` section, their usage and every breach. Without `--state` it runs
 *     the config's `backtest:` section through the limits risk engine (a dry run of the limits on real data)
 *     and shows the engine's state at the end; `--save` writes that snapshot, `--state` shows a saved one.
 *   stress: the `risk.stress` book under its hypothetical shocks and historical replays, as a table or a
 *     Markdown report.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { z } from 'zod'
import { KestrelError, isoUtc, kestrelConfigSchema, loadConfigFile, parseTimeframe } from '../../core/index.ts'
import { backtestFromConfig, loadCsvBars, periodsPerYear, runBacktest } from '../../engine/index.ts'
import {
  LimitsRiskEngine,
  parseRiskConfig,
  runStress,
  stressReportMarkdown,
  type RiskConfig,
  type RiskStatus,
} from '../../risk/index.ts'
import { cliLogger, envVars, printJson, stdout, table, withExample } from '../util.ts'

/** Flattens a config object to `key.path: value` rows (arrays and records shown inline). */
export function flattenLimits(v: unknown, prefix = 'risk'): { limit: string; value: string }[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return [{ limit: prefix, value: Array.isArray(v) ? v.join(', ') || '(none)' : String(v) }]
  const rows: { limit: string; value: string }[] = []
  for (const [k, x] of Object.entries(v)) {
    if (k === 'stress') continue
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0) continue
    rows.push(...flattenLimits(x, `${prefix}.${k}`))
  }
  return rows
}

/** Renders a status snapshot for people. */
export function renderStatus(s: RiskStatus, source: string): string {
  const out: string[] = []
  out.push(
    `risk status (${source}) at ${s.time ? isoUtc(s.time) : '-'}: mode ${s.mode}${s.killed ? ' — KILL SWITCH ON, re-arm needed' : ''}\n`,
  )
  const { controls, ...rest } = s.config
  const rules = Object.entries(controls).map(([rule, r]) => {
    const { enabled, action, cooldownMs, rearm, reduceFraction, ...th } = r as Record<string, unknown>
    return {
      limit: `risk.controls.${rule}`,
      value: `${Object.entries(th)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(
          ', ',
        )} → ${String(action)}${action === 'reduce' ? ` ${String(reduceFraction)}` : ''}, cooldown ${String(cooldownMs)} ms, re-arm ${action === 'kill' ? 'manual' : String(rearm)}${enabled ? '' : ' (disabled)'}`,
    }
  })
  out.push('\nlimits\n' + table([...flattenLimits(rest), ...rules]))
  const r = s.readings
  const usage = [
    ...s.usage.map((u) => ({
      limit: u.limit,
      value: u.value,
      max: u.max,
      used: `${((u.value / u.max) * 100).toFixed(1)}%`,
      'peak used': u.peak === undefined ? '' : `${((u.peak / u.max) * 100).toFixed(1)}%`,
    })),
    { limit: 'equity', value: r.equity, max: null, used: '', 'peak used': '' },
    { limit: 'daily loss', value: r.dailyLoss, max: null, used: '' },
    { limit: 'drawdown', value: r.drawdown, max: null, used: '' },
    { limit: 'concentration', value: r.concentration, max: null, used: '' },
    ...(Number.isFinite(r.var)
      ? [
          { limit: 'VaR', value: r.var, max: null, used: '' },
          { limit: 'ES', value: r.es, max: null, used: '' },
        ]
      : []),
  ]
  out.push('\nusage\n' + table(usage))
  out.push(
    `\nactive breaches\n` +
      table(
        s.active.map((b) => ({
          rule: b.rule,
          instrument: b.instrumentId ?? '',
          action: b.action,
          since: isoUtc(b.time),
          message: b.message,
        })),
      ),
  )
  out.push(
    `\nbreach log (${s.breaches.length})\n` +
      table(
        s.breaches.slice(-20).map((b) => ({
          time: isoUtc(b.time),
          rule: b.rule,
          action: b.action,
          value: b.value,
          limit: b.limit,
          message: b.message,
        })),
      ),
  )
  if (s.rearms.length)
    out.push(
      '\nre-arms\n' +
        table(
          s.rearms.map((x) => ({ time: isoUtc(x.time), by: x.by, reason: x.reason, cleared: x.cleared.join(', ') })),
        ),
    )
  out.push(
    '\ncounters\n' +
      table(
        Object.entries(s.counters)
          .sort()
          .map(([counter, n]) => ({ counter, n })),
      ),
  )
  return out.join('')
}

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

interface StatusOptions {
  config?: string
  state?: string
  save?: string
  json: boolean
}

async function status(opts: StatusOptions): Promise<void> {
  let st: RiskStatus
  let source: string
  if (opts.state) {
    let text: string
    try {
      text = await readFile(opts.state, 'utf8')
    } catch (e) {
      throw new KestrelError('FILE_NOT_FOUND', `--state ${opts.state}: cannot read (${(e as Error).message})`)
    }
    st = parseSnapshot(text, opts.state)
    if (opts.config) {
      const cfg = loadConfigFile(opts.config, kestrelConfigSchema, envVars()).value
      st = { ...st, config: parseRiskConfig(cfg.risk ?? {}) }
    }
    source = `snapshot ${opts.state}`
  } else {
    if (!opts.config)
      throw new KestrelError('USAGE', 'risk status: give --config <yaml> (with backtest: and risk:) or --state <json>')
    const cfg = loadConfigFile(opts.config, kestrelConfigSchema, envVars()).value
    if (!cfg.backtest)
      throw new KestrelError(
        'CONFIG_INVALID',
        `${opts.config}: risk status runs the backtest: section through the limits; it has none`,
      )
    const c = await backtestFromConfig(cfg.backtest, dirname(resolve(opts.config)), cfg.risk ?? {}, {
      logger: cliLogger(),
    })
    const risk = c.options.risk as LimitsRiskEngine
    const r = await runBacktest(c.options)
    st = risk.status()
    source = `dry run of ${opts.config}: ${r.stats.bars} bars, ${r.fills.length} fills, ${r.stats.riskRejected} orders refused by risk`
  }
  if (opts.save) {
    await mkdir(dirname(resolve(opts.save)), { recursive: true })
    await writeFile(opts.save, JSON.stringify(st, null, 2))
  }
  if (opts.json) return printJson({ source, ...st })
  stdout().write(renderStatus(st, source))
  if (opts.save) stdout().write(`\nsnapshot: ${resolve(opts.save)}\n`)
}

interface StressOptions {
  config: string
  report?: string
  json: boolean
}

async function stress(opts: StressOptions): Promise<void> {
  const cfg = loadConfigFile(opts.config, kestrelConfigSchema, envVars()).value
  const risk: RiskConfig = parseRiskConfig(cfg.risk ?? {})
  if (!risk.stress)
    throw new KestrelError('CONFIG_INVALID', `${opts.config}: risk.stress: missing (book, data, shocks, replays)`)
  const base = dirname(resolve(opts.config))
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
  const md = `# Stress test: ${opts.config}\n\n${stressReportMarkdown(results)}`
  if (opts.report) {
    await mkdir(dirname(resolve(opts.report)), { recursive: true })
    await writeFile(opts.report, md)
  }
  if (opts.json)
    return printJson(
      results.map((r) => ({ scenario: r.scenario, kind: r.kind, pnl: r.pnl, pnlPct: r.pnlPct, detail: r.detail })),
    )
  stdout().write(
    table(
      results.map((r) => ({
        scenario: r.scenario,
        kind: r.kind,
        'P&L': r.pnl,
        '% of gross': `${(r.pnlPct * 100).toFixed(2)}%`,
      })),
    ),
  )
  if (opts.report) stdout().write(`report: ${resolve(opts.report)}\n`)
}

/** Registers `kestrel risk status|stress`. */
export function registerRisk(program: Command): void {
  const risk = program.command('risk').description('risk limits, their usage and breaches; stress tests')
  withExample(
    risk
      .command('status')
      .description(
        "limits, usage and breaches: a dry run of the config's backtest through its risk: limits, or a saved snapshot",
      )
      .option('--config <yaml>', 'config with backtest: and risk: sections')
      .option('--state <json>', 'show a snapshot saved by --save instead of running')
      .option('--save <json>', 'write the snapshot here')
      .option('--json', 'one JSON object on stdout', false)
      .action(status),
    'kestrel risk status --config examples/risk.yaml',
    'kestrel risk status --config examples/risk.yaml --save out/risk-state.json && kestrel risk status --state out/risk-state.json',
  )
  withExample(
    risk
      .command('stress')
      .description(
        'shock the risk.stress book (index move, volatility x k, correlations to 1, liquidity) and replay historical windows',
      )
      .requiredOption('--config <yaml>', 'config with a risk.stress section')
      .option('--report <md>', 'write a Markdown report here')
      .option('--json', 'results as JSON', false)
      .action(stress),
    'kestrel risk stress --config examples/risk.yaml --report out/stress.md',
  )
}
