import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ClientOrderIds, RISK_OWNER, strategyOwner } from './order-ids.ts'

describe('client order ids', () => {
  it('are <node>-<owner>-<seq>, one counter per node, within Binance’s 36 characters and character set', () => {
    const ids = new ClientOrderIds('NODE0001')
    const s = ids.source(strategyOwner(99_999))
    const r = ids.source(RISK_OWNER)
    assert.deepEqual([s(), r(), s()], ['NODE0001-S99999-1', 'NODE0001-R-2', 'NODE0001-S99999-3'])
    const longest = `NODE0001-S99999-${Number.MAX_SAFE_INTEGER}`
    assert.ok(longest.length <= 36 && /^[.A-Z:/a-z0-9_-]{1,36}$/.test(longest), longest)
    assert.equal(ids.ownerOf('NODE0001-R-2'), 'R')
    assert.equal(ids.ownerOf('OTHER-S1-2'), undefined)
  })

  it('refuses a bad node id', () => {
    for (const bad of ['', 'has-dash', 'NINECHARS', 'strategy name'])
      assert.throws(() => new ClientOrderIds(bad), { code: 'CONFIG_INVALID' })
  })

  it('lets each id be claimed once, by its owner only; anything else is refused with the reason', () => {
    const ids = new ClientOrderIds()
    const a = ids.source('S1')
    const x = a()
    assert.throws(() => ids.claim(x, 'S2'), /belongs to another strategy or to risk/)
    ids.claim(x, 'S1')
    assert.throws(() => ids.claim(x, 'S1'), /already used/)
    assert.throws(() => ids.claim('N1-R-999', 'R'), /not issued/)
    assert.throws(() => ids.claim('RISK-1', 'S1'), { code: 'ORDER_INVALID' })
  })

  it('never accepts an id twice, nor one of another owner, for any sequence of claims (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ owner: fc.constantFrom('S1', 'S2', 'R'), issue: fc.boolean(), pick: fc.nat() }), {
          maxLength: 80,
        }),
        (steps) => {
          const ids = new ClientOrderIds()
          const src = { S1: ids.source('S1'), S2: ids.source('S2'), R: ids.source('R') }
          const issued: [string, string][] = []
          const taken = new Set<string>()
          for (const st of steps) {
            if (st.issue || issued.length === 0) issued.push([src[st.owner as 'S1'](), st.owner])
            const [id, owner] = issued[st.pick % issued.length]!
            let ok = true
            try {
              ids.claim(id, st.owner)
            } catch {
              ok = false
            }
            assert.equal(ok, owner === st.owner && !taken.has(id))
            if (ok) taken.add(id)
          }
        },
      ),
      { seed: 3, numRuns: 200 },
    )
  })
})
