/**
 * `npm run fuzz`: thousands of seeded bad inputs per command (see harness.ts for what each must satisfy).
 *   KESTREL_FUZZ_RUNS   cases per command (default 2000)
 *   KESTREL_FUZZ_SEED   run seed (default: the day, printed; a failure prints each case's own seed)
 *   KESTREL_FUZZ_ONLY   run only the commands whose name contains this text
 *   KESTREL_FUZZ_TIMEOUT_MS  time bound per input (default 10000)
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runFuzz, summaryTable } from './harness.ts'
import { TARGETS, sharedSetup } from './targets.ts'

const runs = Number(process.env.KESTREL_FUZZ_RUNS ?? 2000)
const seed = Number(process.env.KESTREL_FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000))
const only = process.env.KESTREL_FUZZ_ONLY
const timeoutMs = Number(process.env.KESTREL_FUZZ_TIMEOUT_MS ?? 10_000)
const root = mkdtempSync(join(tmpdir(), 'kestrel-fuzz-'))
after(() => rmSync(root, { recursive: true, force: true }))

describe(`fuzz: ${runs} bad inputs per command, seed ${seed}`, () => {
  it('no crash, no hang, no stack trace, no lost row, every error says what and where', async () => {
    const targets = TARGETS.filter((t) => !only || t.name.includes(only))
    const t0 = performance.now()
    const { counts, failures } = await runFuzz({ targets, runs, seed, root, timeoutMs }, sharedSetup(root))
    const s = ((performance.now() - t0) / 1000).toFixed(0)
    process.stdout.write(`\nfuzz seed ${seed}, ${runs} inputs per command, ${s} s\n${summaryTable(counts)}\n`)
    const open = failures.filter((f) => !f.known)
    const known = new Map<string, number>()
    for (const f of failures) if (f.known) known.set(f.known, (known.get(f.known) ?? 0) + 1)
    for (const [note, n] of known) process.stdout.write(`known open (${n} inputs): ${note}\n`)
    for (const f of open.slice(0, 40)) {
      process.stdout.write(`\n${f.target} case seed ${f.seed} [${f.what.join('; ')}]\n  ${f.problems.join('\n  ')}\n`)
    }
    assert.equal(open.length, 0, `${open.length} failing inputs (listed above; replay one with test/fuzz/replay.ts)`)
  })
})
