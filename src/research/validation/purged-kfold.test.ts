import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { purgedKFold, type LabelTimes } from './purged-kfold.ts'

/** Observation i starts at i and its label ends `h[i]` steps later. */
function labels(h: readonly number[]): LabelTimes {
  return { t0: h.map((_, i) => i), t1: h.map((x, i) => i + x) }
}

const overlaps = (t: LabelTimes, i: number, j: number) => t.t0[i]! <= t.t1[j]! && t.t1[i]! >= t.t0[j]!

describe('purgedKFold (AFML ch. 7)', () => {
  it('is plain k-fold when labels do not overlap and there is no embargo', () => {
    const t = labels(new Array(10).fill(0))
    const folds = purgedKFold(t, 5)
    assert.deepEqual(
      folds.map((f) => [...f.test]),
      [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
      ],
    )
    assert.deepEqual([...folds[1]!.train], [0, 1, 4, 5, 6, 7, 8, 9])
  })
  it('purges training labels that overlap the test span and embargoes the next ⌊n·pct⌋ observations', () => {
    // 20 observations, labels 3 steps long: test block [8, 12) spans times 8..14
    const t = labels(new Array(20).fill(3))
    const f = purgedKFold(t, 5, 0.1)[2]!
    assert.deepEqual([...f.test], [8, 9, 10, 11])
    // before: i + 3 < 8 → i ≤ 4 kept (5, 6, 7 purged); after: t0 > 14 starts at 15, embargo 2 → 15, 16 dropped
    assert.deepEqual([...f.train], [0, 1, 2, 3, 4, 17, 18, 19])
  })
  it('no training label interval overlaps a test label interval; embargo removes exactly its size (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 12, maxLength: 120 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(0, 0.02, 0.05),
        (h, k, pct) => {
          const t = labels(h)
          const n = h.length
          const folds = purgedKFold(t, k, pct)
          const allTest = folds.flatMap((f) => [...f.test])
          assert.deepEqual(allTest, [...Array(n).keys()], 'test folds partition the observations')
          const emb = Math.floor(n * pct)
          for (const f of folds) {
            for (const i of f.train)
              for (const j of f.test) assert.ok(!overlaps(t, i, j), `train ${i} overlaps test ${j}`)
            // the embargo: the `emb` observations right after the test span are absent from train
            const spanEnd = Math.max(...[...f.test].map((j) => t.t1[j]!))
            const after = [...Array(n).keys()].filter((i) => t.t0[i]! > spanEnd)
            const embargoed = after.slice(0, emb)
            for (const i of embargoed) assert.ok(!f.train.includes(i), `embargoed ${i} in train`)
            // and nothing else after the embargo is dropped
            for (const i of after.slice(emb)) assert.ok(f.train.includes(i), `${i} dropped without cause`)
          }
        },
      ),
      { seed: 9, numRuns: 150 },
    )
  })
  it('rejects unsorted label starts and labels that end before they start', () => {
    assert.throws(
      () => purgedKFold({ t0: [0, 2, 1], t1: [0, 2, 1] }, 2),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
    assert.throws(
      () => purgedKFold({ t0: [0, 1, 2], t1: [0, 0, 2] }, 2),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
