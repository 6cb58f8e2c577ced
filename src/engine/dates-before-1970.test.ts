/**
 * Data before 1970 trades like any other: every bundled file, its timestamps moved back 2087 weeks (14609 days,
 * 40 years less a day), gives the same fills, round trips, equity and metrics, their times moved by the same
 * amount; and so does a move of 3130 weeks (60 years less 7 days), which puts every file (the minute files are
 * from 2013–2018) wholly before 1970. A whole number of weeks keeps every bar on its weekday and UTC time of day, so nothing that depends on
 * the day of the week (sessions, weekends) changes; 40 calendar years (14610 days) would move each bar to
 * another weekday. The shift goes through the CSV text, so the parser reads the pre-1970 dates too.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { MS, isoUtc, parseIso } from '../core/index.ts'
import { computeMetrics } from '../research/index.ts'
import { smaCross } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { loadCsvBars, periodsPerYear } from './setup.ts'

const BUNDLED = join(import.meta.dirname, '..', '..', 'data', 'bundled')
const SHIFTS = [2087, 3130]
const dir = mkdtempSync(join(tmpdir(), 'kestrel-1970-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `file` with every timestamp moved `shift` ms; returns the new path (same name, so same symbol). */
function shifted(file: string, weeks: number): string {
  const shift = weeks * MS.week
  const lines = readFileSync(join(BUNDLED, file), 'utf8').split('\n')
  const out = lines.map((line, i) => {
    if (i === 0 || line === '') return line
    const comma = line.indexOf(',')
    return isoUtc(parseIso(line.slice(0, comma)) - shift) + line.slice(comma)
  })
  const path = join(dir, String(weeks), file)
  mkdirSync(join(dir, String(weeks)), { recursive: true })
  writeFileSync(path, out.join('\n'))
  return path
}

async function run(path: string) {
  const l = await loadCsvBars(path)
  const result = await runBacktest({
    instruments: [l.instrument],
    feeds: [l.feed],
    strategies: [{ definition: smaCross, params: { fast: 10, slow: 30 } }],
    account: { cash: 100_000, type: 'margin', leverage: 2 },
    fees: { type: 'percent', takerRate: 0.001, makerRate: 0.001 },
  })
  const ppy = periodsPerYear(l.timeframe, l.instrument.assetClass)
  const metrics = computeMetrics(
    { equity: result.equity, trades: result.trades, exposure: result.exposure, periodsPerYear: ppy },
    {},
  )
  return { bars: l.series.openTime, result, metrics }
}

describe('backtests on data before 1970', () => {
  const files = readdirSync(BUNDLED).filter((f) => f.endsWith('.csv'))

  it('finds the eight bundled files', () => assert.equal(files.length, 8))

  for (const weeks of SHIFTS)
    for (const file of files) {
      it(`${file} moved back ${weeks} weeks gives the same fills, trades, equity and metrics, moved`, async () => {
        const a = await run(join(BUNDLED, file))
        const b = await run(shifted(file, weeks))
        const SHIFT = weeks * MS.week
        if (weeks === 3130) assert.ok(b.bars.at(-1)! < 0, `${file}: moved before 1970 (ends ${isoUtc(b.bars.at(-1)!)})`)
        assert.equal(b.bars.length, a.bars.length)
        assert.ok(a.result.fills.length > 0, `${file}: the reference run fills`)
        assert.equal(b.result.fills.length, a.result.fills.length, `${file}: fills`)
        assert.equal(b.result.orders.length, a.result.orders.length, `${file}: orders`)
        a.result.fills.forEach((fa, i) => {
          const fb = b.result.fills[i]!
          assert.deepEqual(
            { side: fb.side, quantity: fb.quantity, price: fb.price, fee: fb.fee, time: fb.time + SHIFT },
            { side: fa.side, quantity: fa.quantity, price: fa.price, fee: fa.fee, time: fa.time },
            `${file}: fill ${i}`,
          )
        })
        assert.deepEqual(
          b.result.trades.map((t) => ({ ...t, entryTime: t.entryTime + SHIFT, exitTime: t.exitTime + SHIFT })),
          a.result.trades,
        )
        assert.deepEqual(
          Array.from(b.result.equity.time, (t) => t + SHIFT),
          Array.from(a.result.equity.time),
        )
        assert.deepEqual(b.result.equity.value, a.result.equity.value)
        assert.equal(b.result.finalEquity, a.result.finalEquity)
        assert.equal(b.result.stats.firstTime + SHIFT, a.result.stats.firstTime)
        assert.deepEqual(b.metrics, a.metrics)
      })
    }
})
