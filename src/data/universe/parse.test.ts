/**
 * Universe files: strict parsing with errors naming file and line, point-in-time membership (exact members
 * at several dates, a symbol that leaves and rejoins), delisting defaults (−30 % performance, 0 merger).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { delistingCategory, parseUniverseCsv, parseUniverseYaml, readUniverse } from './parse.ts'
import { PERFORMANCE_DELISTING_RETURN } from './universe.ts'

const CSV = [
  '# a small universe',
  'symbol,sector,industry,added,removed,delistingReason,delistingReturn',
  'AAA,Technology,Software,2020-01-02,,,',
  'BBB,Energy,Oil,2020-01-02,2020-06-30,bankruptcy,',
  'CCC,Financials,"Banks, regional",2020-03-02,2020-09-30,merger,0.25',
  'DDD,Technology,Hardware,2020-01-02,2020-04-30,,',
  'DDD,Technology,Hardware,2020-08-03,,,',
  'EEE,Utilities,,2020-02-03,2020-12-31,552,-0.5',
  'FFF,Energy,Gas,2020-01-02,2020-05-29,231,',
].join('\n')

/** Noon in New York on a date (inside that day whatever the season). */
const at = (d: string) => Date.parse(`${d}T16:00:00Z`)
const syms = (u: ReturnType<typeof parseUniverseCsv>, d: string) => u.membersAt(at(d)).map((m) => m.symbol)

function throwsAt(f: () => unknown, re: RegExp) {
  assert.throws(f, (e: unknown) => {
    assert.ok(isKestrelError(e), String(e))
    assert.match((e as Error).message, re)
    return true
  })
}

describe('universe CSV', () => {
  const u = parseUniverseCsv(CSV, 'u.csv')

  it('gives the exact members at several dates, a delisted one while it traded, and a rejoin', () => {
    assert.deepEqual(syms(u, '2020-01-01'), [])
    assert.deepEqual(syms(u, '2020-01-02'), ['AAA', 'BBB', 'DDD', 'FFF'])
    assert.deepEqual(syms(u, '2020-03-02'), ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'])
    assert.deepEqual(syms(u, '2020-04-30'), ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'])
    assert.deepEqual(syms(u, '2020-05-01'), ['AAA', 'BBB', 'CCC', 'EEE', 'FFF'])
    assert.deepEqual(syms(u, '2020-07-01'), ['AAA', 'CCC', 'EEE'])
    assert.deepEqual(syms(u, '2020-08-03'), ['AAA', 'CCC', 'DDD', 'EEE'])
    assert.deepEqual(syms(u, '2021-01-04'), ['AAA', 'DDD'])
    assert.equal(u.spells('DDD').length, 2)
  })

  it('a removal day is the last day as a member, to local midnight in New York', () => {
    const bbb = u.spells('BBB')[0]!
    assert.equal(bbb.to, Date.parse('2020-07-01T04:00:00Z')) // EDT: UTC-4
    assert.equal(u.spells('AAA')[0]!.from, Date.parse('2020-01-02T05:00:00Z')) // EST: UTC-5
    assert.equal(u.isMember('BBB', bbb.to - 1), true)
    assert.equal(u.isMember('BBB', bbb.to), false)
  })

  it('a performance delisting without a return gets -30 %, a merger without one 0, given returns stay', () => {
    const d = Object.fromEntries(u.delistings().map((x) => [x.symbol, x]))
    assert.deepEqual(Object.keys(d).sort(), ['BBB', 'CCC', 'EEE', 'FFF'])
    assert.equal(PERFORMANCE_DELISTING_RETURN, -0.3)
    assert.deepEqual([d.BBB!.category, d.BBB!.delistingReturn, d.BBB!.assumed], ['performance', -0.3, true])
    assert.deepEqual([d.CCC!.category, d.CCC!.delistingReturn, d.CCC!.assumed], ['merger', 0.25, false])
    assert.deepEqual([d.EEE!.category, d.EEE!.delistingReturn, d.EEE!.assumed], ['performance', -0.5, false])
    assert.deepEqual([d.FFF!.category, d.FFF!.delistingReturn, d.FFF!.assumed], ['merger', 0, true])
    assert.equal(u.spells('CCC')[0]!.industry, 'Banks, regional')
    assert.equal(u.sectorOf('ccc'), 'Financials')
  })

  it('classifies CRSP codes: 200-399 merger, 400-499 other, 500-599 performance', () => {
    assert.deepEqual(
      ['100', '233', '331', '470', '500', '552', '587', '600', 'Bankruptcy', 'nope'].map(delistingCategory),
      [
        undefined,
        'merger',
        'merger',
        'other',
        'performance',
        'performance',
        'performance',
        undefined,
        'performance',
        undefined,
      ],
    )
  })

  it('names the file and line of every bad row', () => {
    const h = 'symbol,sector,added,removed,delistingReason,delistingReturn\n'
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,,,\nBBB,Tech,2020-13-01,,,', 'x.csv'),
      /^x\.csv line 3: BBB: added "2020-13-01" is not a date/,
    )
    throwsAt(() => parseUniverseCsv(h + 'AAA,,2020-01-02,,,', 'x.csv'), /^x\.csv line 2: AAA: sector is empty/)
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,2019-12-31,,', 'x.csv'),
      /line 2: AAA: removed 2019-12-31 is before added/,
    )
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,,bankruptcy,', 'x.csv'),
      /line 2: AAA: delistingReason bankruptcy needs a removed date/,
    )
    throwsAt(
      () => parseUniverseCsv(h + '\nAAA,Tech,2020-01-02,2020-02-03,fraud,', 'x.csv'),
      /^x\.csv line 3: AAA: delistingReason "fraud": expected a CRSP code/,
    )
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,2020-02-03,merger,-1.5', 'x.csv'),
      /line 2: AAA: delistingReturn "-1.5" must be a number >= -1/,
    )
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,,,0.1', 'x.csv'),
      /line 2: AAA: delistingReturn 0.1 without a delistingReason/,
    )
    throwsAt(() => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,,', 'x.csv'), /line 2: expected 6 columns/)
    throwsAt(() => parseUniverseCsv(h + 'AAA,"Tech,2020-01-02,,,', 'x.csv'), /line 2: a quote is not closed/)
    throwsAt(
      () => parseUniverseCsv(h + 'AAA,Tech,2020-01-02,2020-06-30,,\nAAA,Tech,2020-06-30,,,', 'x.csv'),
      /^x\.csv line 3: AAA from 2020-06-30 overlaps its spell on line 2/,
    )
    throwsAt(() => parseUniverseCsv('symbol,sector,addedd\n', 'x.csv'), /^x\.csv line 1: unknown column "addedd"/)
    throwsAt(
      () => parseUniverseCsv('# only\nsymbol,sector\n', 'x.csv'),
      /^x\.csv line 2: the header has no added column/,
    )
  })

  it('membersAt agrees with the spells for any time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2019-12-01'), max: Date.parse('2021-02-01') }), (t) => {
        const got = u.membersAt(t).map((m) => m.symbol)
        const want = u.members.filter((m) => t >= m.from && t < m.to).map((m) => m.symbol)
        assert.deepEqual(got, [...new Set(want)].sort())
      }),
    )
  })
})

describe('universe YAML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-universe-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('reads thresholds, time zone, the default performance return and a members CSV beside it', async () => {
    writeFileSync(
      join(dir, 'm.csv'),
      'symbol,sector,added,removed,delistingReason\nAAA,Tech,2020-01-02,2020-03-31,insufficient-capital\n',
    )
    writeFileSync(
      join(dir, 'u.yaml'),
      'liquidity: { minDollarVolume: 1000000, minPrice: 5 }\ntimeZone: UTC\nperformanceDelistingReturn: -0.55\nmembers: m.csv\n',
    )
    const u = await readUniverse(join(dir, 'u.yaml'))
    assert.deepEqual(u.liquidity, { minDollarVolume: 1_000_000, minPrice: 5 })
    assert.equal(u.spells('AAA')[0]!.to, Date.parse('2020-04-01T00:00:00Z'))
    assert.equal(u.delistings()[0]!.delistingReturn, -0.55)
    assert.equal(u.isLiquid(5, 1_000_000), true)
    assert.equal(u.isLiquid(4.99, 2_000_000), false)
    assert.equal(u.isLiquid(10, 999_999), false)
  })

  it('reads inline members and names the line of a bad one', async () => {
    const text =
      'members:\n  - { symbol: AAA, sector: Tech, added: 2020-01-02 }\n  - { symbol: BBB, sector: Tech, added: 2020-01-02, removed: 2020-02-28, delistingReason: merger, delistingReturn: 0.1 }\n'
    const u = await parseUniverseYaml(text, 'u.yaml')
    assert.deepEqual(u.symbols, ['AAA', 'BBB'])
    assert.equal(u.delistings()[0]!.delistingReturn, 0.1)
    await assert.rejects(
      parseUniverseYaml(
        'members:\n  - { symbol: AAA, sector: Tech, added: 2020-01-02 }\n  - { symbol: BBB, sector: Tech }\n',
        'u.yaml',
      ),
      /^KestrelError: u\.yaml line 3: BBB: added "" is not a date/,
    )
    await assert.rejects(
      parseUniverseYaml('liquidity: { minPrice: -1 }\nmembers: []\n', 'u.yaml'),
      /u\.yaml line 1: liquidity\.minPrice: expected a number >= 0/,
    )
    await assert.rejects(
      parseUniverseYaml('members: []\nsectors: {}\n', 'u.yaml'),
      /u\.yaml line 2: unknown key sectors/,
    )
  })

  it('a missing file is FILE_NOT_FOUND naming it', async () => {
    await assert.rejects(readUniverse(join(dir, 'nope.csv')), /universe .*nope\.csv: no such file/)
  })
})
