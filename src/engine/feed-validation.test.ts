import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { sliceSeries, type BarSeries } from '../core/index.ts'
import { validateIngest, type QuarantinedRow } from '../data/index.ts'
import { FeedChecker, ValidatedFeed } from './feed-validation.ts'
import { chunked, randomBars } from './testing.ts'

const ID = 'TEST.SIM'
const M = 60_000

/** Damage stage 1 sees (the rest only stage 2: a wrong close time, a bar opening inside the previous one). */
const ROW_DAMAGE = [
  'dup',
  'back',
  'highBelowLow',
  'negClose',
  'nanClose',
  'nanTime',
  'negVolume',
  'zeroVolume',
] as const
const DAMAGE = [...ROW_DAMAGE, 'badClose', 'inside'] as const
type Damage = (typeof DAMAGE)[number]

/** `n` good bars with rows damaged in place. */
function damaged(seed: number, n: number, hits: readonly [number, Damage][]): BarSeries {
  const s = randomBars(seed, n, ID)
  for (const [at, d] of hits) {
    const i = at % n
    if (d === 'dup' && i > 0) s.openTime[i] = s.openTime[i - 1]!
    if (d === 'back') s.openTime[i] = s.openTime[i]! - 5 * M
    if (d === 'highBelowLow') s.high[i] = s.low[i]! - 0.01
    if (d === 'negClose') s.close[i] = -s.close[i]!
    if (d === 'nanClose') s.close[i] = NaN
    if (d === 'nanTime') s.openTime[i] = NaN
    if (d === 'negVolume') s.volume[i] = -1
    if (d === 'zeroVolume') s.volume[i] = 0
    if (d === 'inside' && i > 0) s.openTime[i] = s.openTime[i - 1]! + M / 2
    s.closeTime[i] = s.openTime[i]! + (d === 'badClose' ? 2 * M : M)
  }
  return s
}

/** Feeds `s` to a checker in chunks of the given sizes (cycled); returns the rows kept and the quarantine. */
function checkInChunks(s: BarSeries, sizes: readonly number[], exhaustive = false) {
  const checker = new FeedChecker({ instrumentId: ID, timeframe: '1m', exhaustive })
  const kept: number[] = []
  const n = s.openTime.length
  for (let i = 0, k = 0; i < n; k++) {
    const e = Math.min(n, i + sizes[k % sizes.length]!)
    const out = checker.check(sliceSeries(s, i, e))
    kept.push(...out.openTime)
    i = e
  }
  return { kept, report: checker.report() }
}

const view = (q: QuarantinedRow) => [q.timestamp, q.reason, q.field, q.message]

describe('validation at the feed', () => {
  it('skips the checks only where they find nothing: the same rows, quarantine and warnings as running them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...DAMAGE)), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }),
        (seed, n, hits, sizes) => {
          const s = damaged(seed, n, hits)
          const quick = checkInChunks(s, sizes)
          const all = checkInChunks(s, sizes, true)
          assert.deepEqual(quick.kept, all.kept)
          assert.deepEqual(quick.report.quarantine.map(view), all.report.quarantine.map(view))
          assert.deepEqual(quick.report.warnings, all.report.warnings)
          assert.equal(quick.report.rowsAccepted, all.report.rowsAccepted)
          // Stage 3 over what each kept of the whole series at once.
          const q = new FeedChecker({ instrumentId: ID, timeframe: '1m' })
          const x = new FeedChecker({ instrumentId: ID, timeframe: '1m', exhaustive: true })
          assert.deepEqual(q.features(q.check(s)), x.features(x.check(s)))
        },
      ),
      { numRuns: 400, seed: 20261202 },
    )
  })

  it('quarantines what the whole-series stage-1 checks reject, and the same rows however the feed is chunked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...DAMAGE)), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        (seed, n, hits, sizes) => {
          const s = damaged(seed, n, hits)
          // The feed's checks over the whole series at once, and the import's full stage 1.
          const whole = validateIngest(s, { source: `${ID} 1m`, rowChecksOnly: true })
          const full = validateIngest(s, { source: `${ID} 1m`, rangeZ: Infinity })
          const byRow = new Map<number, string[]>()
          for (const f of whole.findings) {
            if (f.severity !== 'error') continue
            byRow.set(f.index!, [...(byRow.get(f.index!) ?? []), f.message])
          }
          const chunkedRun = checkInChunks(s, sizes)
          const oneChunk = checkInChunks(s, [n])
          assert.deepEqual(chunkedRun.report.quarantine.map(view), oneChunk.report.quarantine.map(view))
          assert.deepEqual(chunkedRun.kept, oneChunk.kept)
          assert.equal(chunkedRun.report.rowsAccepted + chunkedRun.report.quarantine.length, n)
          if (hits.some(([, d]) => d === 'badClose' || d === 'inside')) return
          const expected = [...byRow.keys()].sort((a, b) => a - b)
          assert.deepEqual(
            chunkedRun.report.quarantine.map((q) => q.message),
            expected.map((i) => byRow.get(i)!.join('; ')),
          )
          assert.deepEqual(
            chunkedRun.kept,
            [...s.openTime].filter((_, i) => !whole.rejected[i]),
          )
          // The import rejects the same rows (it may name a duplicate of an older row where the feed, which keeps
          // only the latest time, says out of order), unless its whole-series checks found more.
          if (full.findings.some((f) => f.reason === 'TIMESTAMP_OUTLIER' || f.reason === 'OUTLIER_PRICE')) return
          assert.deepEqual([...full.rejected], [...whole.rejected])
        },
      ),
      { seed: 42, numRuns: 150 },
    )
  })

  it('carries the last good row across a chunk edge: a duplicate or earlier time first in the next chunk', () => {
    const s = randomBars(7, 6, ID)
    s.openTime[3] = s.openTime[2]! // duplicate of the last row of chunk 1
    s.openTime[4] = s.openTime[1]! // before it, after the duplicate was set aside
    for (let i = 3; i < 5; i++) s.closeTime[i] = s.openTime[i]! + M
    const { kept, report } = checkInChunks(s, [3, 1, 2])
    assert.deepEqual(kept, [0, M, 2 * M, 5 * M])
    assert.deepEqual(
      report.quarantine.map((q) => [q.reason, q.message]),
      [
        [
          'DUPLICATE_TIMESTAMP',
          `${ID} 1m 1970-01-01T00:02:00Z: duplicate timestamp 1970-01-01T00:02:00Z, already on row 2 with other values`,
        ],
        [
          'OUT_OF_ORDER',
          `${ID} 1m 1970-01-01T00:01:00Z: timestamp 1970-01-01T00:01:00Z is before 1970-01-01T00:02:00Z on row 2, the latest time so far`,
        ],
      ],
    )
  })

  it('compares a row with the last good one when the whole previous chunk was rejected', () => {
    const s = randomBars(3, 5, ID)
    s.high[1] = s.low[1]! - 1
    s.high[2] = s.low[2]! - 1
    s.openTime[3] = 0 // before bar 0, the last good row, two chunks back
    s.closeTime[3] = M
    const { kept, report } = checkInChunks(s, [1, 2, 2])
    assert.deepEqual(kept, [0, 4 * M])
    assert.deepEqual(
      report.quarantine.map((q) => q.reason),
      ['HIGH_BELOW_LOW', 'HIGH_BELOW_LOW', 'DUPLICATE_TIMESTAMP'],
    )
    assert.match(report.quarantine[2]!.message, /already on row 0 with other values/)
  })

  it('reads a missing close time (0) as open + timeframe, and quarantines a wrong one (stage 2)', () => {
    const s = randomBars(5, 4, ID)
    s.closeTime.fill(0)
    s.closeTime[2] = s.openTime[2]! + 2 * M
    const checker = new FeedChecker({ instrumentId: ID, timeframe: '1m' })
    const out = checker.check(s)
    assert.deepEqual([...out.closeTime], [M, 2 * M, 4 * M])
    assert.deepEqual(
      checker.report().quarantine.map((q) => [q.reason, q.timestamp]),
      [['BAD_CLOSE_TIME', 2 * M]],
    )
  })

  it('names a row without a time by its place in the feed, not in its chunk', () => {
    const s = randomBars(5, 6, ID)
    s.openTime[4] = NaN
    const { report } = checkInChunks(s, [3, 3])
    assert.match(report.quarantine[0]!.message, /^TEST\.SIM 1m row 4: timestamp NaN is not finite/)
  })

  it('holds one chunk at a time: chunks already read can be collected', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const refs: WeakRef<Float64Array>[] = []
    function* source(): Generator<BarSeries> {
      for (let k = 0; k < 20; k++) {
        const s = randomBars(k, 1000, ID, k * 1000 * M)
        if (k === 5) s.high[10] = 0 // something to quarantine
        refs.push(new WeakRef(s.openTime))
        yield s
      }
    }
    const feed = new ValidatedFeed({ instrumentId: ID, timeframe: '1m', data: source() })
    assert.deepEqual(await feed.prime(), [])
    const seen: WeakRef<Float64Array>[] = []
    let bars = 0
    for await (const c of feed.feed.data as AsyncIterable<BarSeries>) {
      bars += c.openTime.length
      seen.push(new WeakRef(c.openTime))
    }
    assert.equal(bars, 20 * 1000 - 1)
    assert.equal(feed.report().quarantine.length, 1)
    await new Promise((r) => setImmediate(r))
    gc()
    const alive = [...refs, ...seen].filter((r) => r.deref() !== undefined).length
    assert.ok(alive <= 2, `${alive} of ${refs.length + seen.length} chunks still held`)
  })

  it('holds back copies while it reads up to minBars, so a source may reuse its buffer', async () => {
    const s = randomBars(9, 30, ID)
    const buf = randomBars(0, 10, ID)
    function* reuse(): Generator<BarSeries> {
      for (let i = 0; i < 30; i += 10) {
        for (const k of ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const) {
          buf[k].set(s[k].subarray(i, i + 10))
        }
        yield buf
      }
    }
    const feed = new ValidatedFeed({ instrumentId: ID, timeframe: '1m', data: reuse() }, 25)
    assert.deepEqual(await feed.prime(), [])
    const seen: number[] = []
    for await (const c of feed.feed.data as AsyncIterable<BarSeries>) seen.push(...c.close)
    assert.deepEqual(seen, [...s.close])
  })

  it('checks a whole file in bounded views and gives the same result as its chunks', async () => {
    const s = damaged(11, 5000, [
      [1000, 'dup'],
      [2000, 'back'],
      [3000, 'badClose'],
      [9, 'negClose'],
    ])
    const one = new ValidatedFeed({ instrumentId: ID, timeframe: '1m', data: s }, 1, 1000)
    const many = new ValidatedFeed({ instrumentId: ID, timeframe: '1m', data: chunked(s, 333) })
    await one.prime()
    await many.prime()
    const rows = async (f: ValidatedFeed) => {
      let n = 0
      for await (const c of f.feed.data as AsyncIterable<BarSeries>) n += c.openTime.length
      return n
    }
    assert.equal(await rows(one), 5000 - 4)
    assert.equal(await rows(many), 5000 - 4)
    assert.deepEqual(one.report().quarantine.map(view), many.report().quarantine.map(view))
    assert.deepEqual(
      one.report().quarantine.map((q) => q.reason),
      ['NON_POSITIVE_PRICE', 'DUPLICATE_TIMESTAMP', 'OUT_OF_ORDER', 'BAD_CLOSE_TIME'],
    )
  })
})
