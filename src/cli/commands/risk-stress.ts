/** `kestrel risk stress --config <yaml>`: the stress scenarios of `risk.stress` as a table, JSON or a Markdown report. */
import { resolve } from 'node:path'
import { riskStress } from '../../app/risk.ts'
import { envVars, printJson, stdout, table } from '../util.ts'

export async function run(o: { config: string; report?: string; json: boolean }): Promise<void> {
  const results = await riskStress({ ...o, env: envVars() })
  if (o.json)
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
  if (o.report) stdout().write(`report: ${resolve(o.report)}\n`)
}
