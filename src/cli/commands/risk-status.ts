/**
 * `kestrel risk status`: the limits of a config's `risk:` section, their usage and every breach, from a dry
 * run of its `strategies:` on its `backtest:` section or a snapshot saved by `--save`.
 */
import { resolve } from 'node:path'
import { riskStatus, type RiskStatus } from '../../app/risk.ts'
import { isoUtc } from '../../core/index.ts'
import { cliLogger } from '../log.ts'
import { envVars, printJson, stdout, table } from '../util.ts'

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

export async function run(o: { config?: string; state?: string; save?: string; json: boolean }): Promise<void> {
  const { source, status } = await riskStatus({ ...o, env: envVars(), logger: cliLogger() })
  if (o.json) return printJson({ source, ...status })
  stdout().write(renderStatus(status, source))
  if (o.save) stdout().write(`\nsnapshot: ${resolve(o.save)}\n`)
}
