import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { walkForwardSplits } from './walk-forward.ts'

describe('walkForwardSplits', () => {
  it('rolls a fixed train window and tiles the test windows', () => {
    assert.deepEqual(walkForwardSplits({ n: 10, trainSize: 4, testSize: 2 }), [
      { train: { start: 0, end: 4 }, test: { start: 4, end: 6 } },
      { train: { start: 2, end: 6 }, test: { start: 6, end: 8 } },
      { train: { start: 4, end: 8 }, test: { start: 8, end: 10 } },
    ])
  })
  it('anchors the train window at 0 and leaves a gap before the test when asked', () => {
    const f = walkForwardSplits({ n: 12, trainSize: 4, testSize: 3, anchored: true, gap: 1 })
    assert.deepEqual(
      f.map((x) => [x.train.start, x.train.end, x.test.start, x.test.end]),
      [
        [0, 4, 5, 8],
        [0, 7, 8, 11],
      ],
    )
  })
  it('never lets a test window start before its train window ends, nor run past n (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (n, trainSize, testSize, gap, anchored) => {
          const folds = walkForwardSplits({ n, trainSize, testSize, gap, anchored })
          for (const f of folds) {
            assert.ok(f.train.end + gap === f.test.start && f.test.end <= n)
            assert.equal(f.test.end - f.test.start, testSize)
          }
          assert.equal(folds.length, Math.max(0, Math.floor((n - trainSize - gap - testSize) / testSize) + 1))
        },
      ),
      { seed: 1, numRuns: 200 },
    )
  })
  it('rejects a non-positive window', () => {
    assert.throws(
      () => walkForwardSplits({ n: 10, trainSize: 0, testSize: 2 }),
      (e) => isKestrelError(e, 'PARAM_INVALID'),
    )
  })
})
