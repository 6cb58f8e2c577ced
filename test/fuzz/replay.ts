/**
 * Replays fuzz cases: writes their files into a folder (kept), prints the command, runs it in-process and prints
 * the output and the verdict.
 *   node --import tsx test/fuzz/replay.ts "<command name substring>" <case seed>... [--dir folder]
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runFuzz } from './harness.ts'
import { TARGETS, sharedSetup } from './targets.ts'

const args = process.argv.slice(2)
const d = args.indexOf('--dir')
const root = d >= 0 ? args.splice(d, 2)[1]! : mkdtempSync(join(tmpdir(), 'kestrel-replay-'))
const [name, ...seeds] = args
const target = TARGETS.find((t) => t.name.includes(name ?? '\u0000'))
if (!target || seeds.length === 0) {
  process.stderr.write(
    `usage: replay.ts "<command>" <case seed>... [--dir folder]\ncommands: ${TARGETS.map((t) => t.name).join(', ')}\n`,
  )
  process.exit(2)
}
await runFuzz(
  {
    targets: [target],
    runs: 0,
    seeds: seeds.map(Number),
    seed: 0,
    root,
    timeoutMs: 10_000,
    keep: true,
    onCase: (c, rep, raw) => {
      process.stdout.write(
        `\n${c.target} seed ${c.seed}: ${c.what.join('; ')}\nkestrel ${c.argv.map((a) => JSON.stringify(a)).join(' ')}\n`,
      )
      if (raw !== 'hang')
        process.stdout.write(
          `exit ${raw.code} in ${raw.ms.toFixed(0)} ms\n--- stdout\n${raw.out.slice(0, 3000)}\n--- stderr\n${raw.err.slice(0, 3000)}\n`,
        )
      process.stdout.write(`verdict: ${rep.outcome}${rep.problems.length ? `\n  ${rep.problems.join('\n  ')}` : ''}\n`)
    },
  },
  sharedSetup(root),
)
