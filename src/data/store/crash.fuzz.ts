/**
 * `npm run fuzz`: many SIGKILLs at random points of a store file's creation, an import and an archive (crash.test.ts
 * runs 10 or so of each in `npm test`); test/helpers/crash.ts says what is checked after each kill and its re-run.
 * KESTREL_FUZZ_KILLS (default 60 each) and KESTREL_FUZZ_SEED (default from the clock, printed) set the run.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fuzzSettings, killArchives, killCreations, killImports } from '../../../test/helpers/crash.ts'

const dir = await mkdtemp(join(tmpdir(), 'kestrel-crash-fuzz-'))
after(() => rm(dir, { recursive: true, force: true }))
const { runs, seed } = fuzzSettings()
process.stderr.write(`  crash fuzz: ${runs} kills each, KESTREL_FUZZ_SEED=${seed}\n`)

describe('store under SIGKILL (fuzz)', () => {
  it('new store files are absent or open empty and leave no temporary file', { timeout: 3_600_000 }, async () => {
    const c = await killCreations(join(dir, 'create'), { runs, seed: seed ^ 2 })
    process.stderr.write(`  creation kills: ${c.killed} killed, ${c.beforeLink} before the file was in place\n`)
    assert.ok(c.killed >= runs / 3, `only ${c.killed} of ${runs} runs were killed mid-way`)
  })

  it('imports of 100k rows stay all or nothing and re-run exactly', { timeout: 3_600_000 }, async () => {
    const c = await killImports(join(dir, 'import'), { runs, rows: 100_000, seed })
    process.stderr.write(`  import kills: ${c.killed} killed mid-way, ${c.finishedFirst} finished before the kill\n`)
    assert.ok(c.killed >= runs / 3, `only ${c.killed} of ${runs} runs were killed mid-way`)
  })

  it('archives of 100k bars lose and double no bar and re-run exactly', { timeout: 3_600_000 }, async () => {
    const c = await killArchives(join(dir, 'archive'), { runs, rows: 100_000, seed: seed ^ 1, chunk: 10_000 })
    process.stderr.write(`  archive kills: ${c.killed} killed mid-way, ${c.finishedFirst} finished before the kill\n`)
    assert.ok(c.killed >= runs / 3, `only ${c.killed} of ${runs} runs were killed mid-way`)
  })
})
