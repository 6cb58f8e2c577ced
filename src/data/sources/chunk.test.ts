import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MS } from '../../core/index.ts'
import { ChunkBuilder } from './chunk.ts'

const FROM = Date.UTC(2024, 0, 1)

describe('ChunkBuilder', () => {
  it('delivers each in-range open time once, sorted, however pages overlap and repeat (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 25 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 55 }),
        (pages, toMin) => {
          const to = FROM + toMin * MS.minute
          const b = new ChunkBuilder('test', { symbol: 'X', timeframe: '1m', from: FROM, to })
          const got: number[] = []
          let lastNext = b.from
          for (const page of pages) {
            for (const m of page) {
              const t = FROM + m * MS.minute
              b.add(t, 1, 2, 0.5, 1.5, 10, () => String(m))
            }
            const c = b.take()
            got.push(...c.bars.openTime)
            assert.ok(c.resume.nextFrom >= lastNext, 'resume point never moves back')
            lastNext = c.resume.nextFrom
            for (let i = 1; i < c.bars.openTime.length; i++) assert.ok(c.bars.openTime[i]! > c.bars.openTime[i - 1]!)
          }
          // Model: each page delivers its unique times in [next, to), then next moves past the last one.
          const want: number[] = []
          let next = FROM
          for (const page of pages) {
            const ts = [...new Set(page.map((m) => FROM + m * MS.minute))]
              .filter((t) => t >= next && t < to)
              .sort((x, y) => x - y)
            want.push(...ts)
            if (ts.length) next = ts.at(-1)! + MS.minute
          }
          assert.deepEqual(got, want)
          assert.equal(b.resumeState().barsFetched, got.length)
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('sets rows with null prices aside with the field and the raw text, and moves past them', () => {
    const b = new ChunkBuilder('yahoo', { symbol: 'SPY', timeframe: '1m', from: FROM, to: FROM + 10 * MS.minute })
    b.add(FROM, 1, 2, 0.5, 1.5, 10, () => 'a')
    b.add(FROM + MS.minute, 1, null, 0.5, 1.5, 10, () => 'raw-b')
    const c = b.take()
    assert.deepEqual([...c.bars.openTime], [FROM])
    assert.equal(c.rejected.length, 1)
    assert.deepEqual(
      {
        field: c.rejected[0]!.field,
        raw: c.rejected[0]!.raw,
        reason: c.rejected[0]!.reason,
        t: c.rejected[0]!.timestamp,
      },
      { field: 'high', raw: 'raw-b', reason: 'PROVIDER_NULL_VALUE', t: FROM + MS.minute },
    )
    assert.equal(c.resume.nextFrom, FROM + 2 * MS.minute)
    assert.equal(c.bars.instrumentId, 'SPY.YAHOO')
  })

  it('starts from the resume point and keeps the running count', () => {
    const b = new ChunkBuilder(
      'p',
      { symbol: 'X', timeframe: '5m', from: FROM, to: FROM + MS.hour },
      {
        provider: 'p',
        symbol: 'X',
        timeframe: '5m',
        nextFrom: FROM + 30 * MS.minute,
        to: FROM + MS.hour,
        barsFetched: 6,
      },
    )
    b.add(FROM + 25 * MS.minute, 1, 1, 1, 1, 1, () => '')
    b.add(FROM + 30 * MS.minute, 1, 1, 1, 1, 1, () => '')
    const c = b.take()
    assert.deepEqual([...c.bars.openTime], [FROM + 30 * MS.minute])
    assert.equal(c.bars.closeTime[0], FROM + 35 * MS.minute)
    assert.equal(c.progress.barsFetched, 7)
    assert.equal(c.progress.fraction, 35 / 60)
  })
})
