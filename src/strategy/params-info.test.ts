import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { KestrelError } from '../core/index.ts'
import { smaCross } from './builtin/index.ts'
import { defineStrategy, parseStrategyParams } from './define.ts'
import { closestName, describeParams, knownParamNames } from './params-info.ts'

const userStrategy = (params: z.ZodType) => defineStrategy({ name: 'mine', params, create: () => ({}) })

const paramError = (re: RegExp) => (e: unknown) =>
  e instanceof KestrelError && e.code === 'PARAM_INVALID' && re.test(e.message)

describe('strategy parameters', () => {
  it('describes each built-in parameter with its type, default and description', () => {
    assert.deepEqual(describeParams(smaCross), [
      {
        name: 'fast',
        type: 'integer > 0',
        default: 10,
        required: false,
        description: 'bars of the fast moving average',
      },
      {
        name: 'slow',
        type: 'integer > 0',
        default: 30,
        required: false,
        description: 'bars of the slow moving average (> fast)',
      },
      {
        name: 'size',
        type: 'number > 0',
        required: false,
        description: 'quantity bought on each cross up (default: use fraction)',
      },
      {
        name: 'fraction',
        type: 'number in (0, 1]',
        default: 0.99,
        required: false,
        description: 'part of the cash invested on a cross up when size is absent',
      },
    ])
  })

  it('describes enums, booleans, required and bounded parameters through a transform', () => {
    const s = userStrategy(
      z
        .object({
          mode: z.enum(['long', 'short']).default('long'),
          on: z.boolean(),
          pct: z.number().min(0).lt(0.5),
        })
        .transform((p) => ({ ...p, twice: p.pct * 2 })),
    )
    assert.deepEqual(describeParams(s), [
      { name: 'mode', type: '"long" | "short"', default: 'long', required: false },
      { name: 'on', type: 'boolean', required: true },
      { name: 'pct', type: 'number in [0, 0.5)', required: true },
    ])
  })

  it('refuses a name a plain z.object would strip, listing the known ones and the closest', () => {
    const s = userStrategy(z.object({ stopPct: z.number().default(0.01), period: z.number().default(14) }))
    assert.throws(
      () => parseStrategyParams(s, { stoppct: 0.02 }),
      paramError(
        /^strategy mine params: stoppct: unknown parameter \(did you mean stopPct\?\); known parameters: stopPct, period$/,
      ),
    )
    // Without the check the value would silently become the default 0.01.
    assert.deepEqual(parseStrategyParams(s, { stopPct: 0.02 }), { stopPct: 0.02, period: 14 })
  })

  it('names every unknown key, suggests nothing for a name far from all', () => {
    const s = userStrategy(z.object({ fast: z.number().default(1) }))
    try {
      parseStrategyParams(s, { fsat: 1, leverage: 3 })
      assert.fail('expected an error')
    } catch (e) {
      assert.ok(e instanceof KestrelError)
      assert.deepEqual(e.details.unknown, ['fsat', 'leverage'])
      assert.match(e.message, /fsat: unknown parameter \(did you mean fast\?\)/)
      assert.match(e.message, /leverage: unknown parameter; known parameters: fast$/)
    }
  })

  it('says "none" for a strategy without parameters', () => {
    assert.throws(
      () => parseStrategyParams(userStrategy(z.object({})), { size: 5 }),
      paramError(/size: unknown parameter; known parameters: none/),
    )
  })

  it('lets a loose object take extra keys on purpose, and leaves non-object schemas to zod', () => {
    assert.equal(knownParamNames(userStrategy(z.looseObject({ a: z.number() }))), undefined)
    assert.deepEqual(parseStrategyParams(userStrategy(z.looseObject({ a: z.number() })), { a: 1, b: 2 }), {
      a: 1,
      b: 2,
    })
    assert.equal(knownParamNames(userStrategy(z.record(z.string(), z.number()))), undefined)
    assert.deepEqual(parseStrategyParams(userStrategy(z.record(z.string(), z.number())), { x: 1 }), { x: 1 })
  })

  it('refuses a built-in parameter typo with the same message', () => {
    assert.throws(
      () => parseStrategyParams(smaCross, { fsat: 5 }),
      paramError(/fsat: unknown parameter \(did you mean fast\?\); known parameters: fast, slow, size, fraction/),
    )
  })

  it('suggests by edit distance, case ignored', () => {
    assert.equal(closestName('STOPPCT', ['stopPct', 'period']), 'stopPct')
    assert.equal(closestName('perod', ['stopPct', 'period']), 'period')
    assert.equal(closestName('xyz', ['stopPct', 'period']), undefined)
  })
})
