/**
 * SIGKILL at random (seeded) points of an import and of an archive: nothing is half-visible, nothing lost or
 * doubled, and a re-run finishes the job (test/helpers/crash.ts says what is checked). `npm run fuzz` runs the
 * same with many more kills (crash.fuzz.ts).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { killArchives, killCreations, killImports } from '../../../test/helpers/crash.ts'

const dir = await mkdtemp(join(tmpdir(), 'kestrel-crash-'))
after(() => rm(dir, { recursive: true, force: true }))

describe('store under SIGKILL', { concurrency: 2 }, () => {
  it('an import killed at 10 random points is all or nothing, and its re-run stores every bar and the quarantine once', async () => {
    const c = await killImports(join(dir, 'import'), { runs: 10, rows: 20_000, seed: 20240611 })
    process.stderr.write(`  import kills: ${c.killed} killed mid-way, ${c.finishedFirst} finished before the kill\n`)
    assert.ok(c.killed >= 4, `only ${c.killed} of ${c.runs} runs were killed mid-way`)
  })

  it('a store file killed at 12 random points as it is created is absent or opens empty, and leaves no temporary file', async () => {
    const c = await killCreations(join(dir, 'create'), { runs: 12, seed: 20261202 })
    process.stderr.write(
      `  creation kills: ${c.killed} killed mid-way (${c.beforeLink} before the file was in place), ${c.finishedFirst} finished before the kill\n`,
    )
    assert.ok(c.killed >= 5, `only ${c.killed} of ${c.runs} runs were killed mid-way`)
    assert.ok(c.beforeLink >= 1, 'no kill landed before the file was in place: the temporary-file cleanup went untried')
  })

  it('an archive killed at 10 random points loses and doubles no bar, and its re-run leaves each bar once', async () => {
    const c = await killArchives(join(dir, 'archive'), { runs: 10, rows: 20_000, seed: 20240612, chunk: 3_000 })
    process.stderr.write(`  archive kills: ${c.killed} killed mid-way, ${c.finishedFirst} finished before the kill\n`)
    assert.ok(c.killed >= 4, `only ${c.killed} of ${c.runs} runs were killed mid-way`)
  })
})
