/**
 * `kestrel scan --config <yaml> [--json]`: the alerts of each scanner layer of the config's `scan:` section, with
 * their scores, sorted by time and then score.
 */
import { runScan } from '../../app/scan.ts'
import { isoUtc } from '../../core/index.ts'
import { cliLogger } from '../log.ts'
import { envVars, printJson, stdout, table, warnQuarantine } from '../util.ts'

interface ScanFlags {
  config: string
  json?: boolean
}

interface Row {
  time: number
  instrumentId: string
  scanner: string
  score: number
  details: Readonly<Record<string, unknown>>
}

/** An alert as JSON: its time as ISO-8601 UTC. */
function jsonRow(a: Row): Record<string, unknown> {
  return { time: isoUtc(a.time), instrumentId: a.instrumentId, scanner: a.scanner, score: a.score, details: a.details }
}

function tableRows(list: readonly Row[]): Record<string, string>[] {
  return list.map((a) => ({
    time: isoUtc(a.time),
    instrument: a.instrumentId,
    scanner: a.scanner,
    score: a.score.toFixed(3),
    details: Object.entries(a.details)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : String(v)}`)
      .join(' '),
  }))
}

export async function run(o: ScanFlags): Promise<void> {
  const r = await runScan({ config: o.config, env: envVars(), logger: cliLogger() })
  for (const u of r.universe) if (u.quarantine.length > 0) warnQuarantine(u.quarantine)
  warnQuarantine(r.catalystQuarantine)
  if (o.json)
    return printJson({
      layer1: r.layer1.map(jsonRow),
      layer1_5: r.layer1_5.map(jsonRow),
      layer2: r.layer2.map(jsonRow),
      catalystQuarantine: r.catalystQuarantine,
    })
  const out = stdout()
  for (const [title, list] of [
    ['layer 1: bar scanners', r.layer1],
    ['layer 1.5: shortlist', r.layer1_5],
    ['layer 2: catalysts and inter-market', r.layer2],
  ] as const) {
    out.write(`${title} (${list.length} alert${list.length === 1 ? '' : 's'})\n`)
    if (list.length > 0) out.write(table(tableRows(list)))
    out.write('\n')
  }
}
