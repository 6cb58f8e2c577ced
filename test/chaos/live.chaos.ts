/**
 * The full chaos run of the live node (`npm run chaos`): KESTREL_CHAOS_KILLS (default 200) SIGKILLs of `kestrel
 * live` trading against `kestrel venue serve`, then as many with the venue dropping its streams every 2 s
 * (a cut connection at random moments relative to the kills), each checked as test/helpers/live-chaos.ts says.
 * KESTREL_CHAOS_SEED sets the seed (default from the clock; printed, so a failure can be repeated).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { liveChaos } from '../helpers/live-chaos.ts'

const kills = Number(process.env.KESTREL_CHAOS_KILLS ?? 200)
const seed = Number(process.env.KESTREL_CHAOS_SEED ?? Date.now() % 2 ** 31)
const dir = mkdtempSync(join(tmpdir(), 'kestrel-chaos-'))
console.log(`live chaos: ${kills} kills per variant, seed ${seed}`)
try {
  for (const [name, faults] of [
    ['SIGKILL only', undefined],
    ['SIGKILL and stream cuts every 2 s', 'disconnect@every=2s:down=300ms'],
  ] as const) {
    const t0 = performance.now()
    const c = await liveChaos({
      dir: mkdtempSync(join(dir, 'v-')),
      kills,
      seed,
      barIntervalMs: 40,
      ...(faults ? { faults } : {}),
    })
    console.log(
      `${name}: ${c.kills} kills, ${c.restarts} restarts, ${c.orders} orders, ${c.fills} fills, ${c.resubmits} resubmitted in the last run; 0 lost, 0 duplicated, 0 invented, position ${c.position} = venue's (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
