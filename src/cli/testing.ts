/** Running the CLI in-process for tests and harnesses: the exit status and everything it printed. */
import { Writable } from 'node:stream'
import { runCli, type RunCliOptions } from './main.ts'

/** A stream that keeps what is written to it. */
export function textSink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
      done()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/** One CLI run in-process: exit status, stdout and stderr as text. `env` defaults to `{ CI: '1' }`. */
export async function runCliCaptured(
  argv: readonly string[],
  opts: Omit<RunCliOptions, 'stdout' | 'stderr'> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out = textSink()
  const err = textSink()
  const code = await runCli(argv, { env: { CI: '1' }, ...opts, stdout: out.stream, stderr: err.stream })
  return { code, out: out.text(), err: err.text() }
}
