import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { liveChaos } from '../helpers/live-chaos.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-chaos-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('the live node under SIGKILL (short run; npm run chaos for the full one)', () => {
  it('loses, duplicates and invents nothing across 12 kills against kestrel venue serve', async () => {
    const c = await liveChaos({ dir: mkdtempSync(join(dir, 'a-')), kills: 12, seed: 20261203 })
    assert.equal(c.kills, 12)
    assert.ok(c.orders > 50, `${c.orders} orders`)
    assert.ok(c.fills > 20, `${c.fills} fills`)
  })

  it('and with the venue cutting its streams every 2 s around the kills', async () => {
    const c = await liveChaos({
      dir: mkdtempSync(join(dir, 'b-')),
      kills: 6,
      seed: 7,
      faults: 'disconnect@every=2s:down=300ms',
    })
    assert.equal(c.kills, 6)
    assert.ok(c.fills > 10, `${c.fills} fills`)
  })
})
