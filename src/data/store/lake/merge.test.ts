import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { seriesLength, sliceSeries } from '../../../core/index.ts'
import type { BarSeries } from '../../../core/index.ts'
import { barsOf, sampleBar, sampleSeries } from '../conformance.ts'
import { mergeSorted, missingFrom } from './merge.ts'

async function* chunks(s: BarSeries, size: number): AsyncIterable<BarSeries> {
  for (let i = 0; i < seriesLength(s); i += size) yield sliceSeries(s, i, Math.min(seriesLength(s), i + size))
}

describe('mergeSorted', () => {
  it('gives the sorted union with the first stream winning ties, in full chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        async (a, b, inSize, outSize) => {
          const sa = sampleSeries(
            [...a].sort((x, y) => x - y),
            'M',
            '1m',
            100,
          )
          const sb = sampleSeries(
            [...b].sort((x, y) => x - y),
            'M',
            '1m',
            200,
          )
          const out: BarSeries[] = []
          for await (const c of mergeSorted('M', '1m', chunks(sa, inSize), chunks(sb, inSize), outSize)) out.push(c)
          const union = [...new Set([...a, ...b])].sort((x, y) => x - y)
          const want = union.map((i) => sampleBar(i, 'M', '1m', a.includes(i) ? 100 : 200))
          assert.deepEqual(out.flatMap(barsOf), want)
          out.slice(0, -1).forEach((c) => assert.equal(seriesLength(c), outSize))
        },
      ),
      { seed: 3, numRuns: 150 },
    )
  })

  it('finds the open times one stream lacks', async () => {
    const r = await missingFrom(chunks(sampleSeries([1, 2, 3, 5], 'M'), 2), chunks(sampleSeries([0, 2, 5], 'M'), 1))
    assert.equal(r.count, 2)
    assert.deepEqual(
      r.examples,
      [1, 3].map((i) => sampleBar(i, 'M').openTime),
    )
  })
})
