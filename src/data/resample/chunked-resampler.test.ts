import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { generateMarket } from '../synthetic/index.ts'
import { ChunkedResampler } from './chunked-resampler.ts'
import { resample } from './resample.ts'
import type { ResampledSeries } from './resample.ts'

const KEYS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume', 'count', 'expected'] as const

function concat(parts: ResampledSeries[]): Record<(typeof KEYS)[number], number[]> {
  const out = Object.fromEntries(KEYS.map((k) => [k, [] as number[]])) as Record<(typeof KEYS)[number], number[]>
  for (const p of parts) for (const k of KEYS) out[k].push(...p[k])
  return out
}

describe('ChunkedResampler', () => {
  it('gives the same bars as one resample over the whole stream, whatever the chunk size (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom('5m', '15m', '1h', '1d', '1w', '1mo'),
        fc.constantFrom('24/7', 'NYSE'),
        (chunkSize, to, calendar) => {
          const market = { symbols: 1, bars: 6000, seed: 5, calendar: 'NYSE_EXT', start: Date.UTC(2024, 10, 25) }
          const [whole] = [...generateMarket({ ...market, chunkSize: 6000 })]
          const direct = resample(whole!.series[0]!, { to, calendar })
          const cr = new ChunkedResampler({ to, calendar })
          const parts: ResampledSeries[] = []
          for (const chunk of generateMarket({ ...market, chunkSize })) parts.push(cr.push(chunk.series[0]!))
          parts.push(cr.flush())
          const got = concat(parts)
          for (const k of KEYS) assert.deepEqual(got[k], [...direct[k]], k)
          assert.equal(cr.outsideSession, direct.outsideSession)
        },
      ),
      { seed: 13, numRuns: 25 },
    )
  })
})
