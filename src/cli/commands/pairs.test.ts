import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Rng } from '../../core/index.ts'
import { engleGranger } from '../../features/index.ts'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-pairs-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const DAY = 86_400_000
const T0 = Date.UTC(2020, 0, 1)

/** Writes daily bars with the given closes at day indices `days`; returns the path. */
function writeBars(name: string, days: readonly number[], closes: readonly number[]): string {
  const lines = ['timestamp,open,high,low,close,volume']
  days.forEach((d, i) => {
    const c = closes[i]!.toFixed(4)
    lines.push(`${new Date(T0 + d * DAY).toISOString()},${c},${c},${c},${c},1000`)
  })
  const p = join(dir, name)
  writeFileSync(p, `${lines.join('\n')}\n`)
  return p
}

const n = 300
const rng = new Rng(17)
const x: number[] = []
const y: number[] = []
const w: number[] = []
let px = 50
let pw = 80
let e = 0
for (let i = 0; i < n; i++) {
  px += 0.5 * rng.normal()
  pw += 0.5 * rng.normal()
  e = 0.7 * e + 0.3 * rng.normal()
  x.push(px)
  w.push(pw)
  y.push(20 + 2 * px + e)
}
const all = Array.from({ length: n }, (_, i) => i)
// X lacks every 7th day: pairs with X use the days both files have
const xDays = all.filter((d) => d % 7 !== 3)
const Y = writeBars('YY_1d.csv', all, y)
const X = writeBars(
  'XX_1d.csv',
  xDays,
  xDays.map((d) => x[d]!),
)
const W = writeBars('WW_1d.csv', all, w)
const round = (v: number) => Number(v.toFixed(4))

describe('kestrel pairs scan', () => {
  it('prints every pair (y before x) with the contract fields, on the bars both files have', async () => {
    const r = await runCliCaptured(['pairs', 'scan', Y, X, W, '--json'])
    assert.equal(r.code, 0, r.err)
    const rows = JSON.parse(r.out) as Record<string, unknown>[]
    assert.deepEqual(
      rows.map((p) => `${p.y}/${p.x}`),
      ['YY/XX', 'YY/WW', 'XX/WW'],
    )
    for (const p of rows)
      assert.deepEqual(Object.keys(p), ['y', 'x', 'hedgeRatio', 'intercept', 'adfStat', 'pValue', 'lags', 'halfLife'])
    const want = engleGranger(
      xDays.map((d) => round(y[d]!)),
      xDays.map((d) => round(x[d]!)),
    )
    const yx = rows[0]!
    assert.equal(yx.hedgeRatio, want.hedgeRatio)
    assert.equal(yx.adfStat, want.statistic)
    assert.equal(yx.pValue, want.pValue)
    assert.equal(yx.lags, want.lags)
    assert.equal(yx.halfLife, want.halfLife)
    assert.ok((yx.pValue as number) < 0.01, 'the cointegrated pair')
    assert.ok(Math.abs((yx.hedgeRatio as number) - 2) < 0.05)
    const yw = engleGranger(y.map(round), w.map(round))
    assert.equal(rows[1]!.adfStat, yw.statistic)
  })
  it('gives the plain Dickey-Fuller statistic with --max-lags 0', async () => {
    const r = await runCliCaptured(['pairs', 'scan', Y, W, '--max-lags', '0', '--json'])
    assert.equal(r.code, 0, r.err)
    const [p] = JSON.parse(r.out) as { adfStat: number; lags: number }[]
    assert.equal(p!.lags, 0)
    assert.equal(p!.adfStat, engleGranger(y.map(round), w.map(round), { maxLag: 0 }).statistic)
  })
  it('prints a table without --json', async () => {
    const r = await runCliCaptured(['pairs', 'scan', Y, W])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^y\s+x\s+hedgeRatio\s+intercept\s+adfStat\s+pValue\s+lags\s+halfLife/)
    assert.match(r.out, /YY\s+WW/)
  })
  it('is a usage error with one file, a bad --max-lags, or one too large for the bars', async () => {
    const one = await runCliCaptured(['pairs', 'scan', Y, '--json'])
    assert.equal(one.code, 2)
    assert.match(one.err, /at least two bar files/)
    const bad = await runCliCaptured(['pairs', 'scan', Y, W, '--max-lags', '-1'])
    assert.equal(bad.code, 2)
    assert.match(bad.err, /--max-lags/)
    const big = await runCliCaptured(['pairs', 'scan', Y, W, '--max-lags', '200'])
    assert.equal(big.code, 2)
    assert.match(big.err, /--max-lags 200 is too large for their 300 common bars \(at most 149\)/)
  })
})
