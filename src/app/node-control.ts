/**
 * The control socket of a running node: a Unix domain socket (owner-only permissions) that answers one JSON
 * request per line with one JSON response per line. `kestrel live status|orders|positions|kill|rearm` and
 * `kestrel paper ...` use it; the HTTP API will call the same {@link NodeControl}.
 *
 *     → {"id":1,"cmd":"kill","by":"ops","reason":"venue outage"}
 *     ← {"id":1,"ok":true,"result":{...}}  or  {"id":1,"ok":false,"error":{"code":"PARAM_INVALID","message":"..."}}
 *
 * Commands: status, orders, positions, kill, rearm (by and reason required), halt, resume.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import { KestrelError, isKestrelError } from '../core/index.ts'
import type { NodeControl } from '../engine/index.ts'

/** Commands of the control socket. */
export const CONTROL_COMMANDS = ['status', 'orders', 'positions', 'kill', 'rearm', 'halt', 'resume'] as const

/** A command of the control socket. */
export type ControlCommand = (typeof CONTROL_COMMANDS)[number]

/** A request on the control socket. */
export interface ControlRequest {
  readonly cmd: ControlCommand
  readonly by?: string
  readonly reason?: string
}

function answer(control: NodeControl, req: ControlRequest): unknown {
  const by = req.by ?? ''
  const reason = req.reason ?? ''
  const need = (what: string) => {
    if (!by.trim() || !reason.trim())
      throw new KestrelError('PARAM_INVALID', `${what}: give who (by) and why (reason)`, { cmd: req.cmd })
  }
  switch (req.cmd) {
    case 'status':
      return control.status()
    case 'orders':
      return control.orders()
    case 'positions':
      return control.positions()
    case 'kill':
      need('kill')
      control.kill(by, reason)
      return control.status()
    case 'rearm':
      need('rearm')
      return control.rearm(by, reason)
    case 'halt':
      need('halt')
      control.halt(by, reason)
      return control.status()
    case 'resume':
      need('resume')
      control.resume(by, reason)
      return control.status()
    default:
      throw new KestrelError(
        'PARAM_INVALID',
        `control: unknown command ${JSON.stringify((req as { cmd: unknown }).cmd)}; expected one of ${CONTROL_COMMANDS.join(', ')}`,
      )
  }
}

/** Serves `control` on the Unix socket `path` until closed. A stale socket file of a dead node is replaced. */
export async function serveControl(path: string, control: NodeControl): Promise<{ close(): Promise<void> }> {
  if (existsSync(path)) {
    const alive = await new Promise<boolean>((resolve) => {
      const c = createConnection(path)
      c.once('connect', () => {
        c.destroy()
        resolve(true)
      })
      c.once('error', () => resolve(false))
    })
    if (alive) throw new KestrelError('STATE_INVALID', `control socket ${path}: another node is serving it`)
    unlinkSync(path)
  }
  const server: Server = createServer((sock) => {
    let buf = ''
    sock.setEncoding('utf8')
    sock.on('data', (d: string) => {
      buf += d
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        let id: unknown = null
        try {
          const req = JSON.parse(line) as ControlRequest & { id?: unknown }
          id = req.id ?? null
          const result = answer(control, req)
          sock.write(`${JSON.stringify({ id, ok: true, result })}\n`)
        } catch (e) {
          const error = isKestrelError(e)
            ? { code: e.code, message: e.message }
            : e instanceof SyntaxError
              ? { code: 'PARAM_INVALID', message: `control: not a JSON request: ${e.message}` }
              : { code: 'INTERNAL', message: (e as Error).message }
          sock.write(`${JSON.stringify({ id, ok: false, error })}\n`)
        }
      }
    })
    sock.on('error', () => sock.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => resolve())
  })
  chmodSync(path, 0o600)
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
      }),
  }
}

/** Sends one request to the node serving `path`; SERVICE_UNAVAILABLE when no node answers there. */
export async function controlRequest(path: string, req: ControlRequest, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(path)
    let buf = ''
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new KestrelError('SERVICE_UNAVAILABLE', `control socket ${path}: no answer within ${timeoutMs} ms`))
    }, timeoutMs)
    sock.setEncoding('utf8')
    sock.once('connect', () => sock.write(`${JSON.stringify({ id: 1, ...req })}\n`))
    sock.on('data', (d: string) => {
      buf += d
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      sock.end()
      const res = JSON.parse(buf.slice(0, nl)) as {
        ok: boolean
        result?: unknown
        error?: { code: string; message: string }
      }
      if (res.ok) resolve(res.result)
      else
        reject(
          new KestrelError(
            (res.error?.code ?? 'INTERNAL') as never,
            res.error?.message ?? 'control: the node refused the request',
          ),
        )
    })
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        new KestrelError(
          'SERVICE_UNAVAILABLE',
          `control socket ${path}: no node is running there (${e.code ?? e.message})`,
          { path },
        ),
      )
    })
  })
}
