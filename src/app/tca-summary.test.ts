import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { tcaSummary } from './tca-summary.ts'

const parent = (
  instrumentId: string,
  filled: number,
  arrivalPrice: number,
  is: { total: number | null; execution: number; opportunity: number | null; fees: number },
  arrival: number | null,
  vwap: number | null,
) => ({
  algo: 'twap',
  instrumentId,
  filled,
  arrivalPrice,
  costs: { implementationShortfall: is, slippageVsArrivalBps: arrival, slippageVsVwapBps: vwap },
})

describe('tcaSummary', () => {
  it('sums the filled parents per instrument, weights slippage by arrival notional, and adds the total', () => {
    const rows = tcaSummary([
      parent('A', 100, 10, { total: 3, execution: 2, opportunity: 0, fees: 1 }, 2, 1),
      parent('B', 10, 50, { total: -1, execution: -1.5, opportunity: 0, fees: 0.5 }, -3, null),
      parent('A', 300, 10, { total: 5, execution: 3, opportunity: 1, fees: 1 }, 6, -1),
      // replaced before any fill: counted as a parent, not in the costs
      parent('A', 0, 10, { total: null, execution: 0, opportunity: null, fees: 0 }, null, null),
    ])
    assert.deepEqual(
      rows.map((r) => [r.instrumentId, r.algo, r.parents, r.filledParents, r.notional, r.implementationShortfall]),
      [
        ['A', 'twap', 3, 2, 4000, 8],
        ['B', 'twap', 1, 1, 500, -1],
        ['all', 'twap', 4, 3, 4500, 7],
      ],
    )
    const [a, b, all] = rows
    assert.equal(a!.bps, 20) // 8 / 4000 × 1e4
    assert.equal(a!.slippageVsArrivalBps, 5) // (2·1000 + 6·3000) / 4000
    assert.equal(a!.slippageVsVwapBps, -0.5) // (1·1000 − 1·3000) / 4000
    assert.deepEqual([a!.execution, a!.opportunity, a!.fees], [5, 1, 2])
    assert.ok(Number.isNaN(b!.slippageVsVwapBps))
    assert.equal(all!.slippageVsArrivalBps, (2 * 1000 + 6 * 3000 - 3 * 500) / 4500)
    assert.equal(all!.bps, (7 / 4500) * 1e4)
  })

  it('is empty without parents, and has NaN bps when nothing filled', () => {
    assert.deepEqual(tcaSummary([]), [])
    const [only, all] = tcaSummary([
      parent('A', 0, 10, { total: null, execution: 0, opportunity: null, fees: 0 }, null, null),
    ])
    assert.equal(only!.filledParents, 0)
    assert.ok(Number.isNaN(all!.bps))
  })
})
