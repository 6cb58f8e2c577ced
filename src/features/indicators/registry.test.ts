import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { getIndicator, indicatorRegistry } from './registry.ts'

describe('indicator registry', () => {
  it('finds an indicator by name, case-insensitively', () => {
    assert.equal(getIndicator('SMA').name, 'sma')
    assert.equal(indicatorRegistry.get('ema')?.outputs[0], 'real')
  })
  it('rejects an unknown name with SPEC_INVALID listing close names', () => {
    assert.throws(
      () => getIndicator('emaa'),
      (e) => isKestrelError(e, 'SPEC_INVALID') && /unknown indicator "emaa"; did you mean .*ema/.test(e.message),
    )
  })
  it('registers unique lower-case names with defaults inside their own ranges', () => {
    for (const [name, def] of indicatorRegistry) {
      assert.equal(name, def.name.toLowerCase())
      for (const p of def.params) {
        assert.ok(p.default >= (p.min ?? -Infinity) && p.default <= (p.max ?? Infinity), `${name}(${p.name}) default`)
      }
    }
  })
})
