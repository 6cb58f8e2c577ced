import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { binomial, combinations, combinatorialPurgedCV, cpcvPathCount } from './cpcv.ts'

function labels(n: number, h: number) {
  return { t0: Array.from({ length: n }, (_, i) => i), t1: Array.from({ length: n }, (_, i) => i + h) }
}

describe('combinatorial purged cross-validation', () => {
  it('has C(N, k) splits and φ = k/N · C(N, k) paths (AFML: N = 6, k = 2 gives 15 splits and 5 paths)', () => {
    const cv = combinatorialPurgedCV(labels(60, 0), 6, 2)
    assert.equal(cv.splits.length, 15)
    assert.equal(cv.paths.length, 5)
    for (const [N, k] of [
      [6, 2],
      [10, 2],
      [10, 3],
      [8, 4],
    ] as const) {
      assert.equal(cpcvPathCount(N, k), (k / N) * binomial(N, k))
    }
    assert.equal(binomial(10, 3), 120)
    assert.equal(combinations(5, 3).length, 10)
  })
  it('every path covers each group once and uses each (split, test group) pair exactly once', () => {
    const cv = combinatorialPurgedCV(labels(100, 0), 7, 3)
    const seen = new Set<string>()
    for (const path of cv.paths) {
      assert.equal(path.length, 7)
      path.forEach((si, g) => {
        assert.ok(cv.splits[si]!.testGroups.includes(g), `split ${si} does not test group ${g}`)
        seen.add(`${si}:${g}`)
      })
    }
    assert.equal(seen.size, cv.splits.length * 3)
  })
  it('purges and embargoes around every test group', () => {
    const t = labels(120, 4)
    const cv = combinatorialPurgedCV(t, 6, 2, 0.02)
    for (const s of cv.splits) {
      for (const i of s.train) {
        for (const j of s.test) assert.ok(!(t.t0[i]! <= t.t1[j]! && t.t1[i]! >= t.t0[j]!), `train ${i} overlaps ${j}`)
      }
      // each test group's span ends at its last t1; the next 2 observations (⌊120 · 0.02⌋) after it are embargoed
      for (const g of s.testGroups) {
        const [, b] = cv.groups[g]!
        const spanEnd = b - 1 + 4
        for (const i of [spanEnd + 1, spanEnd + 2]) if (i < 120) assert.ok(!s.train.includes(i))
      }
    }
  })
})
