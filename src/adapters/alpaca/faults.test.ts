import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKestrelError } from '../../core/index.ts'
import { FaultPlan, parseFaults } from './faults.ts'

function refused(spec: string, part: string, why: RegExp): void {
  assert.throws(
    () => parseFaults(spec),
    (e: unknown) =>
      isKestrelError(e, 'SPEC_INVALID') &&
      e.details.part === part &&
      why.test(e.message) &&
      e.message.startsWith(`--faults: ${JSON.stringify(part)}: `),
  )
}

describe('parseFaults', () => {
  it('reads every fault of the documented example with its trigger and parameters in their units', () => {
    const f = parseFaults(
      'disconnect@every=20s:down=1s,http429@p=0.05:retry-after=1,http5xx@p=0.02:status=503,dup-report@p=0.1,reorder@p=0.1,slow-ack@p=0.1:ms=500,reject@n=2,fill-during-disconnect',
    )
    assert.deepEqual(
      f.map((x) => [x.name, x.trigger, x.params]),
      [
        ['disconnect', { kind: 'every', ms: 20_000 }, { down: 1000 }],
        ['http429', { kind: 'p', p: 0.05 }, { 'retry-after': 1000 }],
        ['http5xx', { kind: 'p', p: 0.02 }, { status: 503 }],
        ['dup-report', { kind: 'p', p: 0.1 }, {}],
        ['reorder', { kind: 'p', p: 0.1 }, {}],
        ['slow-ack', { kind: 'p', p: 0.1 }, { ms: 500 }],
        ['reject', { kind: 'n', n: 2 }, {}],
        ['fill-during-disconnect', undefined, {}],
      ],
    )
    assert.deepEqual(parseFaults('disconnect@bars=5')[0]!.trigger, { kind: 'bars', n: 5 })
    assert.deepEqual(parseFaults(''), [])
  })

  it('names the bad part and what is wrong with it', () => {
    refused('http429@p=0.1,http42@p=0.1', 'http42@p=0.1', /unknown fault "http42" \(known: disconnect, http429/)
    refused('http429', 'http429', /http429 needs a trigger: @p=\.\.\. or @n=\.\.\./)
    refused('http429@p=1.5', 'http429@p=1.5', /p "1.5" is not a probability in \[0, 1\]/)
    refused('http429@every=2s', 'http429@every=2s', /http429 takes @p= or @n=, not @every=/)
    refused('disconnect@every=soon', 'disconnect@every=soon', /every "soon" is not a duration/)
    refused('slow-ack@p=0.1:delay=5', 'slow-ack@p=0.1:delay=5', /slow-ack has no parameter delay \(it takes ms\)/)
    refused('http5xx@n=1:status=404', 'http5xx@n=1:status=404', /status "404" is not an HTTP 5xx status/)
    refused('reject@n=0', 'reject@n=0', /n "0" is not a whole number >= 1/)
    refused('reject@n=1,,reorder@p=1', '', /empty fault/)
    refused('fill-during-disconnect@p=1', 'fill-during-disconnect@p=1', /takes no trigger/)
  })
})

describe('FaultPlan', () => {
  it('fires an n-trigger on the first n occasions and counts them', () => {
    const plan = new FaultPlan(parseFaults('http5xx@n=2'))
    assert.deepEqual(
      [1, 2, 3, 4].map(() => plan.fire('http5xx') !== undefined),
      [true, true, false, false],
    )
    assert.equal(plan.fire('http429'), undefined)
    assert.deepEqual(plan.counts, { http5xx: 2 })
  })

  it('repeats the same p-draws for the same seed and fires about p of the occasions', () => {
    const draws = (seed: number) => {
      const plan = new FaultPlan(parseFaults('dup-report@p=0.25'), seed)
      return Array.from({ length: 400 }, () => plan.fire('dup-report') !== undefined)
    }
    assert.deepEqual(draws(7), draws(7))
    assert.notDeepEqual(draws(7), draws(8))
    const n = draws(7).filter(Boolean).length
    assert.ok(n > 60 && n < 140, `${n} of 400`)
  })
})
