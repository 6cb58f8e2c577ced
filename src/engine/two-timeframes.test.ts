/**
 * One instrument fed at two timeframes from a config: SPY 1m bars (five a session, three sessions) and SPY 1d
 * bars (closes 200, 210, 220, far from the 1m prices). Both entries are one instrument with two feeds; the
 * exchange matches and the portfolio marks on the 1m bars only; a strategy with `timeframes: [1m, 1d]` sees a
 * day's bar after that day's last 1m bar, never before.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { z } from 'zod'
import { backtestSection, isoUtc } from '../core/index.ts'
import { defineStrategy, type StrategyDefinition } from '../strategy/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { backtestFromConfig } from './setup.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-two-tf-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04']
const minute = ['timestamp,open,high,low,close,volume']
DAYS.forEach((d, k) => {
  for (let i = 0; i < 5; i++) {
    const c = 100 + k * 10 + i
    minute.push(`${d}T14:3${i}:00Z,${c},${c + 0.5},${c - 0.5},${c},1000`)
  }
})
writeFileSync(join(dir, 'SPY_1m.csv'), minute.join('\n') + '\n')
const daily = ['timestamp,open,high,low,close,volume']
DAYS.forEach((d, k) => daily.push(`${d},${190 + k * 10},${205 + k * 10},${185 + k * 10},${200 + k * 10},100000`))
writeFileSync(join(dir, 'SPY_1d.csv'), daily.join('\n') + '\n')

const both = [
  { file: 'SPY_1m.csv', timeframe: '1m' },
  { file: 'SPY_1d.csv', timeframe: '1d' },
]

/** Buys 10 at the 2nd 1m bar and sells them at the 8th; with `readDaily`, records the daily close it sees at each 1m bar. */
function recorder(seen: string[], readDaily = true): StrategyDefinition {
  return defineStrategy({
    name: 'two-tf',
    params: z.object({}),
    create(ctx) {
      let n = 0
      return {
        onBar(bar) {
          if (bar.timeframe === '1d') {
            seen.push(`1d ${isoUtc(bar.closeTime)} ${bar.close}`)
            return
          }
          if (readDaily) {
            const d = ctx.history(bar.instrumentId, '1d', 1)
            seen.push(`1m ${isoUtc(bar.closeTime)} ${d.close.length > 0 ? d.close[d.close.length - 1] : '-'}`)
          }
          n++
          if (n === 2) ctx.submit(ctx.orders.market(bar.instrumentId, 'BUY', 10))
          if (n === 8) ctx.submit(ctx.orders.market(bar.instrumentId, 'SELL', 10))
        },
      }
    },
  }) as unknown as StrategyDefinition
}

async function run(data: readonly object[], definition: StrategyDefinition, timeframes?: string[]) {
  const backtest = backtestSection.parse({ data, benchmark: false })
  const c = await backtestFromConfig(
    { backtest, strategies: [{ use: 'buy-and-hold', params: {}, ...(timeframes ? { timeframes } : {}) }] },
    dir,
  )
  const r = await runBacktest({ ...c.options, strategies: c.options.strategies.map((s) => ({ ...s, definition })) })
  return { c, r }
}

describe('one instrument at two timeframes from a config', () => {
  it('maps both entries to one instrument with two feeds and shows a day only after its close', async () => {
    const seen: string[] = []
    const { c, r } = await run(both, recorder(seen), ['1m', '1d'])
    assert.deepEqual(
      c.options.instruments.map((i) => i.id),
      ['SPY.SIM'],
    )
    assert.deepEqual(
      c.options.feeds.map((f) => `${f.instrumentId} ${(f as { timeframe: string }).timeframe}`),
      ['SPY.SIM 1m', 'SPY.SIM 1d'],
    )
    assert.equal(c.periodsPerYear, 252 * 6.5 * 60)
    const expected = DAYS.flatMap((d, k) => [
      ...[1, 2, 3, 4, 5].map((i) => `1m ${d}T14:3${i}:00Z ${k === 0 ? '-' : 190 + k * 10}`),
      `1d ${DAYS[k + 1] ?? '2024-01-05'}T00:00:00Z ${200 + k * 10}`,
    ])
    assert.deepEqual(seen, expected)
    // Filled on 1m bars only: the buy at the open of the 3rd bar (102), the sell at the 4th of day 2 (113).
    assert.deepEqual(
      r.fills.map((f) => [f.side, f.quantity, f.price, isoUtc(f.time)]),
      [
        ['BUY', 10, 102, '2024-01-02T14:32:00Z'],
        ['SELL', 10, 113, '2024-01-03T14:33:00Z'],
      ],
    )
    assert.deepEqual(
      r.data.map((d) => [d.source?.endsWith('SPY_1m.csv'), d.rowsAccepted]),
      [
        [true, 15],
        [false, 3],
      ],
    )
  })

  it('fills, marks and samples the equity curve as the 1m feed alone when the strategy reads only 1m', async () => {
    const alone = await run([both[0]!], recorder([], false))
    assert.equal(alone.r.fills.length, 2)
    assert.equal(alone.r.equity.time.length, 15)
    // Listed or not (without timeframes: it hears the 1d bars too, and passes them by), the 1d feed changes nothing.
    for (const timeframes of [['1m'], undefined]) {
      const two = await run(both, recorder([], false), timeframes)
      assert.deepEqual(two.r.fills, alone.r.fills)
      assert.deepEqual([...two.r.equity.time], [...alone.r.equity.time])
      assert.deepEqual([...two.r.equity.value], [...alone.r.equity.value])
      assert.equal(two.r.finalEquity, alone.r.finalEquity)
      assert.equal(two.r.stats.bars, 18)
    }
  })

  it('feeds one file resampled to sessions: the day built of its 1m bars, seen at the session close', async () => {
    const seen: string[] = []
    const { c, r } = await run([{ ...both[0]!, resample: ['1d'] }], recorder(seen), ['1m', '1d'])
    assert.deepEqual(
      c.options.feeds.map((f) => [(f as { timeframe: string }).timeframe, (f as { source?: string }).source]),
      [
        ['1m', join(dir, 'SPY_1m.csv')],
        ['1d', `${join(dir, 'SPY_1m.csv')} resampled to 1d`],
      ],
    )
    // Each session's last 1m close (104, 114, 124), stamped with the session's date: seen at 24:00 UTC.
    const expected = DAYS.flatMap((d, k) => [
      ...[1, 2, 3, 4, 5].map((i) => `1m ${d}T14:3${i}:00Z ${k === 0 ? '-' : 94 + k * 10}`),
      `1d ${DAYS[k + 1] ?? '2024-01-05'}T00:00:00Z ${104 + k * 10}`,
    ])
    assert.deepEqual(seen, expected)
    const alone = await run([both[0]!], recorder([]), ['1m', '1d']).catch((e: Error) => e)
    assert.match(String(alone), /no 1d bars are fed for SPY\.SIM/)
    assert.equal(r.fills.length, 2)
    await assert.rejects(run([{ ...both[0]!, resample: ['1m'] }], recorder([])), /resample\[0\]: 1m is not coarser/)
  })

  it('refuses an instrument given twice at the same timeframe, naming both entries', async () => {
    writeFileSync(join(dir, 'SPY_copy_1m.csv'), minute.join('\n') + '\n')
    const backtest = backtestSection.parse({
      data: [both[0], { file: 'SPY_copy_1m.csv', symbol: 'SPY' }],
    })
    await assert.rejects(
      backtestFromConfig({ backtest, strategies: [{ use: 'buy-and-hold', params: {} }] }, dir),
      (e: Error) => {
        assert.match(e.message, /backtest\.data\[1\].*SPY\.SIM 1m.*backtest\.data\[0\]/)
        assert.equal((e as { code?: string }).code, 'CONFIG_INVALID')
        return true
      },
    )
  })
})
