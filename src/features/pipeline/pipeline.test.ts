import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKestrelError, sliceSeries } from '../../core/index.ts'
import { dataVersion } from '../../data/index.ts'
import { assertArraysClose } from '../common/assert.ts'
import { loadBundled } from '../common/bundled.ts'
import {
  FeatureCache,
  FeatureStreamer,
  buildFeatures,
  buildFeaturesFromStore,
  buildPlan,
  computeFeatures,
  computeFromStore,
  featureSpec,
  parseFeatureSpec,
} from './index.ts'
import { EVERY_KIND, btcWithEth } from './fixtures.ts'

const plan = (features: Record<string, string>, rest: Record<string, unknown> = {}) =>
  buildPlan(featureSpec({ name: 't', features, ...rest }))

function specErr(re: RegExp) {
  return (e: unknown) => isKestrelError(e, 'SPEC_INVALID') && re.test(e.message)
}

describe('feature spec and graph', () => {
  it('names the key path of a schema error in the YAML', () => {
    assert.throws(() => parseFeatureSpec('name: x\nfeatures:\n  a: 5\n'), specErr(/features\.a/))
    assert.throws(() => parseFeatureSpec('name: x\nfeatures: {a: "logret(close)"}\nbogus: 1\n'), specErr(/bogus/))
  })
  it('rejects an unknown function, suggesting indicator names, with the key path', () => {
    assert.throws(() => plan({ a: 'logret(close)', b: 'rsj(close, 14)' }), specErr(/features\.b: .*rsj.*rsi/))
  })
  it('rejects a cycle and names it', () => {
    assert.throws(
      () => plan({ a: 'zscore(b, 10)', b: 'logret(c)', c: 'lag(a, 1)' }),
      specErr(/cycle: a -> b -> c -> a/),
    )
  })
  it('rejects bad parameters, unknown names and missing arguments with the key path', () => {
    assert.throws(() => plan({ v: 'parkinson(1)' }), specErr(/features\.v: parkinson\(window\)/))
    assert.throws(() => plan({ v: 'zscore(nope, 5)' }), specErr(/features\.v: unknown name nope/))
    assert.throws(() => plan({ v: 'ewmavol()' }), specErr(/missing series argument returns/))
    assert.throws(() => plan({ v: 'logret(close, 1, 2)' }), specErr(/at most 1 number/))
    assert.throws(() => plan({ v: 'macd(close, 26, 12, 9)' }), specErr(/features\.v/))
    assert.throws(() => plan({ c: 'candle()', v: 'zscore(c, 5)' }), specErr(/several outputs.*c\.upperWick/))
  })
  it('orders nodes after their inputs and shares equal nested expressions', () => {
    const p = plan({
      z: 'zscore(rsi(close, 14), 50)',
      vol: 'ewmavol(ret)',
      ret: 'logret(close, 1)',
      r: 'rsi(close,14)',
    })
    const ids = p.nodes.map((n) => n.id)
    assert.ok(ids.indexOf('ret') < ids.indexOf('vol'))
    assert.ok(ids.indexOf('rsi(close,14)') < ids.indexOf('z'))
    assert.equal(ids.filter((i) => i.startsWith('rsi')).length + ids.filter((i) => i === 'r').length, 2)
    assert.deepEqual(
      p.columns.map((c) => c.name),
      ['z', 'vol', 'ret', 'r'],
    )
  })
  it('changes the hash when the spec changes, not when only whitespace does', () => {
    assert.equal(plan({ a: 'logret(close, 1)' }).hash, plan({ a: 'logret( close,1 )' }).hash)
    assert.notEqual(plan({ a: 'logret(close, 1)' }).hash, plan({ a: 'logret(close, 2)' }).hash)
  })
})

describe('MAVP in a feature spec', () => {
  it('takes its periods from another feature, equal to TA-Lib MAVP over HT_DCPERIOD, in batch and streaming', () => {
    const talib = createRequire(import.meta.url)('talib') as {
      execute(a: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> }
    }
    const { s } = btcWithEth(600)
    const p = plan({ per: 'ht_dcperiod(close)', m: 'mavp(close, per, 4, 40, 1)' })
    const frame = computeFeatures(p, s)
    const close = Array.from(s.close)
    const per = talib.execute({ name: 'HT_DCPERIOD', startIdx: 0, endIdx: close.length - 1, inReal: close })
    const periods = new Array<number>(close.length).fill(NaN)
    per.result.outReal!.forEach((v, i) => (periods[per.begIndex + i] = v))
    const want = talib.execute({
      name: 'MAVP',
      startIdx: 0,
      endIdx: close.length - 1,
      inReal: close,
      inPeriods: periods,
      optInMinPeriod: 4,
      optInMaxPeriod: 40,
      optInMAType: 1,
    })
    const full = new Float64Array(close.length).fill(NaN)
    want.result.outReal!.forEach((v, i) => (full[want.begIndex + i] = v))
    const m = frame.values[frame.columns.indexOf('m')]!
    assert.ok(want.nbElement > 400)
    assertArraysClose(m, full, 1e-9, 'mavp')
    const st = new FeatureStreamer(p)
    const live = new Float64Array(close.length)
    for (let i = 0; i < close.length; i++) {
      const v = st.update({
        openTime: s.openTime[i]!,
        closeTime: s.closeTime[i]!,
        open: s.open[i]!,
        high: s.high[i]!,
        low: s.low[i]!,
        close: s.close[i]!,
        volume: s.volume[i]!,
      })
      live[i] = v[p.columns.findIndex((c) => c.name === 'm')]!
    }
    assertArraysClose(live, m, 1e-9, 'mavp stream')
  })
  it('needs its periods argument', () => {
    assert.throws(() => plan({ m: 'mavp(close)' }), specErr(/features\.m: .*periods/))
  })
})

describe('batch and streaming agree', () => {
  const { s, bench } = btcWithEth(2000)
  const p = buildPlan(featureSpec(EVERY_KIND))
  const frame = computeFeatures(p, s, { extra: { bench } })
  it('every non-label column of a spec with every kind matches to 1e-9 on BTC-USD_1m', () => {
    const st = new FeatureStreamer(p)
    const live = p.columns.map(() => new Float64Array(s.close.length))
    for (let i = 0; i < s.close.length; i++) {
      const v = st.update(
        {
          openTime: s.openTime[i]!,
          closeTime: s.closeTime[i]!,
          open: s.open[i]!,
          high: s.high[i]!,
          low: s.low[i]!,
          close: s.close[i]!,
          volume: s.volume[i]!,
        },
        { bench: bench[i]! },
      )
      v.forEach((x, k) => (live[k]![i] = x))
    }
    let checked = 0
    p.columns.forEach((c, k) => {
      if (c.label) {
        assert.ok(live[k]!.every(Number.isNaN), `${c.name} is batch-only`)
        return
      }
      assertArraysClose(live[k]!, frame.values[k]!, 1e-9, c.name)
      checked++
    })
    assert.ok(checked >= 50, `${checked} columns`)
    assert.ok(p.columns.find((c) => c.name === 'tbz')!.label, 'a feature of a label is a label')
  })
  it('reads FX sessions from the data calendar by default', () => {
    const k = frame.columns.indexOf('fx.london')
    const i = Array.from(s.openTime).findIndex((t) => new Date(t).getUTCHours() === 10)
    assert.equal(frame.values[k]![i], 1) // 2018-04-04 was a Wednesday; 10:00 UTC is inside London hours
  })
  it('needs the extra series the spec declares', () => {
    assert.throws(() => computeFeatures(p, s), specErr(/extra\.bench/))
  })
})

describe('feature store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-features-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  it('caches a frame in Parquet keyed by spec hash and data version, and reads it back', async () => {
    const s = sliceSeries(loadBundled('SPY_1m'), 0, 600)
    const p = plan({ ret: 'logret(close, 1)', vol: 'ewmavol(ret)', sr: 'levels(2, 100)' })
    const cache = new FeatureCache(dir)
    try {
      const a = await buildFeatures(p, s, { cache })
      const b = await buildFeatures(p, s, { cache })
      assert.equal(a.cached, false)
      assert.equal(b.cached, true)
      assert.deepEqual(b.frame.columns, a.frame.columns)
      a.frame.values.forEach((v, k) => assertArraysClose(b.frame.values[k]!, v, 0, a.frame.columns[k]))
      assertArraysClose(b.frame.time, s.openTime, 0)
      const other = await buildFeatures(p, sliceSeries(loadBundled('SPY_1m'), 0, 601), { cache })
      assert.equal(other.cached, false, 'new data, new version')
      assert.notEqual(other.dataVersion, a.dataVersion)
    } finally {
      await cache.close()
    }
  })
  it('computes over a stored symbol through the BarStore interface', async () => {
    const s = loadBundled('IBM_1m')
    const store = {
      readBars: async (id: string, tf: string) => (id === 'IBM' && tf === '1m' ? s : sliceSeries(s, 0, 0)),
      ingestions: async () => [],
    }
    const p = plan({ ret: 'logret(close, 1)' })
    const r = await computeFromStore(p, store, 'IBM', '1m')
    assert.equal(r.dataVersion, dataVersion([s]).dataVersion)
    assert.equal(r.frame.values[0]![1], Math.log(s.close[1]! / s.close[0]!))
    await assert.rejects(computeFromStore(p, store, 'IBM', '5m'), (e) => isKestrelError(e, 'DATA_NOT_FOUND'))
    const cache = new FeatureCache(dir)
    try {
      const first = await buildFeaturesFromStore(p, store, 'IBM', '1m', undefined, { cache })
      const again = await buildFeaturesFromStore(p, store, 'IBM', '1m', undefined, { cache })
      assert.deepEqual([first.cached, again.cached, again.bars], [false, true, s.close.length])
    } finally {
      await cache.close()
    }
  })
})
