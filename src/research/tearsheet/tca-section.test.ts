/** The tearsheet's transaction-cost table: one row per parent, figures as given, absent without parents. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderTearsheet } from './render-tearsheet.ts'
import { syntheticPerformance } from './synthetic-input.ts'
import type { ParentTcaRow } from './tearsheet-json.ts'

const row = (algo: string, shortfallBps: number | null): ParentTcaRow => ({
  algo,
  instrumentId: 'SPY.SIM',
  side: 'BUY',
  quantity: 500,
  filled: 400,
  shortfallBps,
  slippageVsArrivalBps: 1.25,
  slippageVsVwapBps: -0.5,
  slippageVsCloseBps: 2,
  participation: 0.0412,
})

/** The body rows of the `tca-parents` section, each as its cells' text. */
function tcaRows(html: string): string[][] | undefined {
  const sec = /<section id="tca-parents">([\s\S]*?)<\/section>/.exec(html)?.[1]
  if (sec === undefined) return undefined
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(sec)![1]!
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!),
  )
}

describe('tearsheet transaction-cost table', () => {
  const input = syntheticPerformance(7, 60)

  it('lists one row per parent with its algo, side, quantities, costs in bps and participation', () => {
    const html = renderTearsheet({ ...input, tcaParents: [row('vwap', 3.456), row('iceberg', null), row('twap', -1)] })
    const rows = tcaRows(html)!
    assert.equal(rows.length, 3)
    assert.deepEqual(rows[0], ['vwap', 'SPY.SIM', 'BUY', '500', '400', '3.5', '1.3', '-0.5', '2.0', '4.12 %'])
    assert.equal(rows[1]![5], '–', 'a shortfall not known is a dash')
    assert.ok(html.indexOf('id="tca-parents"') < html.indexOf('id="instruments"'))
  })

  it('is absent when the run worked no parent orders', () => {
    assert.equal(tcaRows(renderTearsheet(input)), undefined)
    assert.equal(tcaRows(renderTearsheet({ ...input, tcaParents: [] })), undefined)
  })
})
