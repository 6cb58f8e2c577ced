/**
 * The fuzz worker: runs CLI invocations in-process, one at a time, through the CLI's entry function, with
 * stdout and stderr captured. It runs in a worker thread so the harness can stop it when an input hangs
 * (even in a synchronous loop) and start a fresh one.
 */
import { parentPort } from 'node:worker_threads'
import { main } from '../../src/cli/main.ts'

export interface RunRequest {
  readonly id: number
  readonly argv: readonly string[]
}

export interface RunResult {
  readonly id: number
  readonly code: number
  readonly out: string
  readonly err: string
  readonly ms: number
  /** Exceptions and rejections that escaped `main` while the case ran. */
  readonly escaped: readonly string[]
}

const CAP = 8 << 20
let escaped: string[] = []
process.on('uncaughtException', (e) => escaped.push(`uncaught exception: ${(e as Error)?.stack ?? String(e)}`))
process.on('unhandledRejection', (e) => escaped.push(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`))

async function run(req: RunRequest): Promise<RunResult> {
  let out = ''
  let err = ''
  const ow = process.stdout.write
  const ew = process.stderr.write
  const sink = (to: 'out' | 'err') =>
    ((chunk: unknown, ...rest: unknown[]) => {
      const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      if (to === 'out') out = out.length < CAP ? out + s : out
      else err = err.length < CAP ? err + s : err
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined
      cb?.()
      return true
    }) as typeof process.stdout.write
  escaped = []
  process.exitCode = undefined
  process.stdout.write = sink('out')
  process.stderr.write = sink('err')
  const t0 = performance.now()
  let code: number
  try {
    code = await main([...req.argv])
  } catch (e) {
    escaped.push(`main threw: ${(e as Error)?.stack ?? String(e)}`)
    code = -1
  } finally {
    process.stdout.write = ow
    process.stderr.write = ew
    process.exitCode = undefined
  }
  // Let stray callbacks (a stream error after the command returned) surface before the verdict.
  await new Promise((r) => setImmediate(r))
  return { id: req.id, code, out, err, ms: performance.now() - t0, escaped: [...escaped] }
}

parentPort!.on('message', (req: RunRequest) => {
  void run(req).then((r) => parentPort!.postMessage(r))
})
parentPort!.postMessage({ ready: true })
