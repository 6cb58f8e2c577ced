import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { allocBarSeries, barAt } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { resample } from './resample.ts'
import { loadBundled } from './bundled-bars.testkit.ts'
import { StreamingResampler } from './streaming-resampler.ts'
import type { ResampledBar } from './streaming-resampler.ts'

function stream(s: BarSeries, to: string, calendar: string): ResampledBar[] {
  const r = new StreamingResampler({ to, calendar })
  const out: ResampledBar[] = []
  for (let i = 0; i < s.openTime.length; i++) out.push(...r.update(barAt(s, i)))
  out.push(...r.flush())
  return out
}

function assertAgree(s: BarSeries, to: string, calendar: string): void {
  const batch = resample(s, { to, calendar })
  const st = stream(s, to, calendar)
  assert.equal(st.length, batch.openTime.length)
  st.forEach((b, i) => {
    assert.deepEqual(
      [b.openTime, b.closeTime, b.open, b.high, b.low, b.close, b.volume, b.count, b.expected],
      [
        batch.openTime[i], batch.closeTime[i], batch.open[i], batch.high[i], batch.low[i],
        batch.close[i], batch.volume[i], batch.count[i], batch.expected[i],
      ], // prettier-ignore
    )
  })
}

describe('StreamingResampler', () => {
  it('agrees with the batch resampler on bundled SPY_1m (RTH and extended, 5m to 1d)', () => {
    const spy = loadBundled('SPY_1m')
    for (const to of ['5m', '15m', '1h', '4h', '1d']) {
      assertAgree(spy, to, 'NYSE')
      assertAgree(spy, to, 'NYSE_EXT')
    }
  })

  it('agrees with the batch resampler on bundled BTC-USD_1m (24/7)', () => {
    const btc = loadBundled('BTC-USD_1m')
    for (const to of ['5m', '1h', '1d']) assertAgree(btc, to, '24/7')
  })

  it('emits a bar the moment its last minute arrives, not one bar later', () => {
    const r = new StreamingResampler({ to: '5m', calendar: '24/7' })
    const t0 = Date.parse('2024-01-01T00:00:00Z')
    const mk = (k: number) => ({
      instrumentId: 'X', timeframe: '1m', openTime: t0 + k * 60_000, closeTime: t0 + (k + 1) * 60_000,
      open: k, high: k + 1, low: k - 1, close: k, volume: 1,
    }) // prettier-ignore
    for (let k = 0; k < 4; k++) assert.equal(r.update(mk(k)).length, 0)
    const [done] = r.update(mk(4))
    assert.deepEqual(
      [done!.openTime, done!.closeTime, done!.open, done!.high, done!.low, done!.close, done!.volume, done!.count],
      [t0, t0 + 300_000, 0, 5, -1, 4, 5, 5],
    )
  })

  it('emits an incomplete bar when the clock passes its end', () => {
    const r = new StreamingResampler({ to: '5m', calendar: '24/7' })
    const t0 = Date.parse('2024-01-01T00:00:00Z')
    r.update({
      instrumentId: 'X',
      timeframe: '1m',
      openTime: t0,
      closeTime: t0 + 60_000,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
    })
    assert.equal(r.advance(t0 + 299_999).length, 0)
    const [b] = r.advance(t0 + 300_000)
    assert.deepEqual([b!.count, b!.expected], [1, 5])
  })

  it('agrees with the batch resampler on random gappy series (property)', () => {
    let checked = 0
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom('5m', '15m', '1h', '1d', '1w', '1mo'),
        fc.constantFrom('24/7', 'NYSE', 'FX', 'METALS'),
        (steps, to, calendar) => {
          const s = allocBarSeries('P', '1m', steps.length)
          let t = Date.parse('2024-03-08T12:00:00Z')
          for (let i = 0; i < steps.length; i++) {
            t += steps[i]! * 60_000
            s.openTime[i] = t
            s.closeTime[i] = t + 60_000
            s.open[i] = 100 + Math.sin(i)
            s.close[i] = 100 + Math.cos(i)
            s.high[i] = 102
            s.low[i] = 98
            s.volume[i] = i
          }
          assertAgree(s, to, calendar)
          checked += s.openTime.length
        },
      ),
      { seed: 3, numRuns: 80 },
    )
    assert.ok(checked > 80, `${checked} bars checked`)
  })
})
