/**
 * `kestrel live status|orders|positions|kill|rearm|halt|resume`: talks to a running node over its control socket
 * (`--socket`, or the one a config's `live:` or `paper:` section names).
 */
import { dirname, resolve } from 'node:path'
import { controlRequest, type ControlCommand } from '../../app/node-control.ts'
import { KestrelError, isoUtc, kestrelConfigSchema, loadConfigFile, paperSection } from '../../core/index.ts'
import type { NodeStatus } from '../../engine/index.ts'
import { envVars, printJson, stdout, table } from '../util.ts'

interface ControlFlags {
  socket?: string
  config?: string
  json: boolean
  by?: string
  reason?: string
}

function socketOf(o: ControlFlags): string {
  if (o.socket !== undefined) return resolve(o.socket)
  if (o.config === undefined) throw new KestrelError('USAGE', 'live: give --socket <path> or --config <yaml>')
  const cfg = loadConfigFile(o.config, kestrelConfigSchema, envVars()).value
  const s = cfg.live ?? cfg.paper ?? paperSection.parse({})
  const base = dirname(resolve(o.config))
  return s.control !== undefined ? resolve(base, s.control) : `${resolve(base, s.journal)}.sock`
}

/** Runs one control command. */
export async function runControl(cmd: ControlCommand, o: ControlFlags): Promise<void> {
  const result = await controlRequest(socketOf(o), {
    cmd,
    ...(o.by !== undefined ? { by: o.by } : {}),
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
  })
  if (o.json) return printJson(result)
  const w = stdout()
  if (cmd === 'orders' || cmd === 'positions') {
    w.write(table(result as Record<string, unknown>[]))
    return
  }
  if (cmd === 'rearm') {
    const r = result as { by: string; reason: string; cleared: string[] }
    w.write(`re-armed by ${r.by}: ${r.reason} (cleared ${r.cleared.join(', ') || 'nothing'})\n`)
    return
  }
  const s = result as NodeStatus
  const halted = Object.entries(s.halted)
  w.write(
    `node ${s.nodeId} (${s.mode}) ${s.state} at ${isoUtc(s.time)}: risk ${s.risk.mode}${s.risk.killed ? ' — KILL SWITCH ON, re-arm needed' : ''}${halted.length ? `; HALTED: ${halted.map(([k, v]) => `${k}: ${v}`).join('; ')}` : ''}\n`,
  )
  w.write(
    table([
      {
        journal: s.journal.path,
        records: s.journal.records,
        'open orders': s.openOrders,
        equity: s.equity,
      },
    ]),
  )
}
