import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng } from '../../core/index.ts'
import { breakoutScanner } from './breakout.ts'
import { momentumShiftScanner } from './momentum-shift.ts'
import { synthBars, T0 } from './testing.ts'
import { unusualVolumeScanner } from './unusual-volume.ts'

const MIN = 60_000

/** Volumes around 1000 with ±10 % seeded noise. */
function noisyVolumes(n: number, seed = 7): number[] {
  const r = new Rng(seed)
  return Array.from({ length: n }, () => Math.round(1000 * (0.9 + 0.2 * r.uniform())))
}

describe('unusual-volume scanner', () => {
  it('flags a planted volume spike at its bar and at no bar before it (rolling)', () => {
    const k = 60
    const vol = noisyVolumes(100)
    vol[k] = 20_000
    const s = synthBars('X.SIM', new Array(100).fill(10), vol)
    const alerts = unusualVolumeScanner({ lookback: 20, threshold: 3 }).scan(s)
    assert.equal(alerts.length, 1)
    const a = alerts[0]!
    assert.equal(a.time, s.closeTime[k])
    assert.equal(a.instrumentId, 'X.SIM')
    assert.equal(a.scanner, 'unusual-volume')
    assert.ok(a.score > 0.5 && a.score < 1)
    assert.ok((a.details.relVolume as number) > 15)
  })

  it('gives the same alerts before the spike whether or not later bars exist (no look-ahead)', () => {
    const vol = noisyVolumes(100)
    vol[40] = 9000
    vol[70] = 30_000
    const full = unusualVolumeScanner().scan(synthBars('X.SIM', new Array(100).fill(10), vol))
    const cut = unusualVolumeScanner().scan(synthBars('X.SIM', new Array(71).fill(10), vol.slice(0, 71)))
    assert.deepEqual(
      cut,
      full.filter((a) => a.time <= T0 + 71 * MIN),
    )
    assert.deepEqual(
      full.map((a) => (a.time - T0) / MIN - 1),
      [40, 70],
    )
  })

  it('time-of-day: a daily opening burst is usual, the same burst at another minute is not', () => {
    const perDay = 30
    const days = 6
    const closes: number[] = []
    const vol: number[] = []
    const r = new Rng(3)
    for (let d = 0; d < days; d++)
      for (let m = 0; m < perDay; m++) {
        closes.push(10)
        vol.push(Math.round((m === 0 ? 10_000 : 1000) * (0.9 + 0.2 * r.uniform())))
      }
    vol[5 * perDay + 17] = 10_000 // the last day, minute 17
    // bars of each day start at 14:30 the same day: build each day's bars with its own start.
    const s = synthBars('X.SIM', closes, vol)
    for (let d = 0; d < days; d++)
      for (let m = 0; m < perDay; m++) {
        const i = d * perDay + m
        s.openTime[i] = T0 + d * 86_400_000 + m * MIN
        s.closeTime[i] = s.openTime[i]! + MIN
      }
    const alerts = unusualVolumeScanner({ mode: 'time-of-day', lookback: 5, threshold: 3 }).scan(s)
    assert.deepEqual(
      alerts.map((a) => a.time),
      [s.closeTime[5 * perDay + 17]],
    )
    assert.equal(alerts[0]!.details.samples, 5)
    // a rolling window flags every opening burst instead
    const rolling = unusualVolumeScanner({ lookback: 20 }).scan(s)
    assert.ok(rolling.length >= days - 1)
  })
})

describe('breakout scanner', () => {
  it('flags the first close above the 20-bar high at its bar, and the first close below the low', () => {
    const closes = [...Array.from({ length: 30 }, (_, i) => 100 + (i % 2)), 103, 104, 105, 100, 99, 95]
    const s = synthBars('B.SIM', closes)
    const alerts = breakoutScanner({ lookback: 20 }).scan(s)
    assert.deepEqual(
      alerts.map((a) => [(a.time - T0) / MIN - 1, a.details.direction]),
      [
        [30, 'up'],
        [34, 'down'],
      ],
    )
    // 103 is 2 above the channel high 101; the mean absolute one-bar move in the channel is 1: score 2/3
    assert.equal(alerts[0]!.score, 2 / 3)
    assert.equal(alerts[0]!.details.channelHigh, 101)
    // bar 34 (99) is below the channel low 100 of bars 14..33; bar 35 (95) continues the run and is not flagged again
    assert.equal(alerts[1]!.details.channelLow, 100)
  })

  it('is causal: the alerts up to bar k are the same on a series cut after bar k', () => {
    const r = new Rng(11)
    let p = 100
    const closes = Array.from({ length: 300 }, () => (p += r.uniform() - 0.5))
    const full = breakoutScanner().scan(synthBars('B.SIM', closes))
    const cut = breakoutScanner().scan(synthBars('B.SIM', closes.slice(0, 150)))
    assert.ok(full.length > 4)
    assert.deepEqual(
      cut,
      full.filter((a) => a.time <= T0 + 150 * MIN),
    )
  })
})

describe('momentum-shift scanner', () => {
  it('ema: flags the bar where the fast-minus-slow line turns from negative to positive', () => {
    // falling for 40 bars, then rising: the line is negative, then crosses zero once on the way up.
    const closes = [
      ...Array.from({ length: 40 }, (_, i) => 100 - i * 0.5),
      ...Array.from({ length: 40 }, (_, i) => 80.5 + i),
    ]
    const s = synthBars('M.SIM', closes)
    const alerts = momentumShiftScanner({ fast: 3, slow: 10 }).scan(s)
    assert.equal(alerts.length, 1)
    const a = alerts[0]!
    assert.equal(a.details.direction, 'up')
    const k = (a.time - T0) / MIN - 1
    assert.ok((a.details.line as number) > 0 && (a.details.previousLine as number) < 0)
    assert.ok(k > 40 && k < 50, `flip at bar ${k}`)
    // and not before: the series cut at bar k-1 has no alert
    assert.deepEqual(momentumShiftScanner({ fast: 3, slow: 10 }).scan(synthBars('M.SIM', closes.slice(0, k))), [])
  })

  it('rsi: flags the bar where RSI(5) falls through 50 after a rally', () => {
    const closes = [
      ...Array.from({ length: 20 }, (_, i) => 100 + i),
      ...Array.from({ length: 30 }, (_, i) => 119 - i * 1.5),
    ]
    const alerts = momentumShiftScanner({ kind: 'rsi', period: 5 }).scan(synthBars('M.SIM', closes))
    assert.deepEqual(
      alerts.map((a) => [(a.time - T0) / MIN - 1, a.details.direction]),
      [[22, 'down']],
    )
    // Wilder's averages after 20 rises of 1: gain 1, loss 0; then changes 0, -1.5, -1.5 (period 5):
    // gain 0.8, 0.64, 0.512; loss 0, 0.3, 0.54; RSI at bar 22 = 100 · 0.512 / 1.052
    assert.ok(Math.abs((alerts[0]!.details.rsi as number) - (100 * 0.512) / 1.052) < 1e-9)
  })
})
