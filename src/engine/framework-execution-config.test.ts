/**
 * `framework.execution` in config: each scheduled model is selectable, a VWAP profile is learned from the bars
 * `profile:` names (a file cut to its range, or a stored series read in chunks), and options of another model
 * are refused by key path.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { accountSection, backtestSection, frameworkSection, sliceSeries, strategiesSection } from '../core/index.ts'
import { learnVolumeProfile } from '../execution/index.ts'
import { runBacktest } from './backtest-runner.ts'
import { frameworkFromConfig } from './framework-config.ts'
import { backtestFromConfig, loadCsvBars, volumeProfileFromConfig, type StoreDataLoader } from './setup.ts'

const file = join(import.meta.dirname, '..', '..', 'data', 'bundled', 'SPY_1m.csv')
const id = (s: string) => s

describe('framework.execution in config', () => {
  it('selects each scheduled model by name', () => {
    const models = {
      iceberg: { display: 100 },
      adaptive: { slices: 5, aggressiveness: 1 },
      'almgren-chriss': { slices: 5, eta: 0.01, lambda: 1e-6 },
      twap: {},
      pov: {},
    }
    for (const [model, extra] of Object.entries(models)) {
      const fw = frameworkFromConfig(frameworkSection.parse({ execution: { model, ...extra } }), id)
      assert.equal(fw.execution?.name, model)
    }
  })

  it('refuses a model without what it needs and options of another model, naming the key', () => {
    const issues = (execution: unknown) =>
      frameworkSection.safeParse({ execution }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? []
    assert.deepEqual(issues({ model: 'vwap' }), ['execution.profile: vwap needs profile: (the bars to learn from)'])
    assert.deepEqual(issues({ model: 'iceberg' }), ['execution.display: iceberg needs display: (shares shown)'])
    assert.deepEqual(issues({ model: 'almgren-chriss', eta: 0.1 }), [
      'execution.lambda: almgren-chriss needs lambda: (risk aversion)',
    ])
    assert.deepEqual(issues({ model: 'twap', display: 10 }), ['execution.display: an option of iceberg, not of twap'])
    assert.deepEqual(issues({ model: 'vwap', profile: { file: 'a.csv', store: 'b.duckdb', symbol: 'SPY' } }), [
      'execution.profile.file: give file: or store: (one of them)',
    ])
    assert.deepEqual(issues({ model: 'almgren-chriss', eta: 0.1, lambda: 0, gamma: 0.2 }), [
      'execution.gamma: gamma 0.2 must be below 2·eta (0.2) for a convex cost',
    ])
  })

  it('learns the VWAP profile from the file cut to from/to, and runs VWAP parents with it', async () => {
    const profileCfg = { file, from: '2013-10-04', to: '2013-10-08', buckets: 13 }
    const p = await volumeProfileFromConfig(
      frameworkSection.parse({ execution: { model: 'vwap', profile: profileCfg } }).execution.profile!,
    )
    const whole = (await loadCsvBars(file)).series
    const end = whole.openTime.findIndex((t) => t >= Date.parse('2013-10-09T00:00:00Z'))
    assert.deepEqual(p, learnVolumeProfile(sliceSeries(whole, 0, end), { buckets: 13 }))
    assert.equal(p.sessions, 3)

    const bt = backtestSection.parse({ data: [{ file }] })
    const fw = frameworkSection.parse({ execution: { model: 'vwap', profile: profileCfg } })
    const c = await backtestFromConfig(
      {
        backtest: bt,
        account: accountSection.parse({ cash: 100_000 }),
        strategies: strategiesSection.parse([{ use: 'trend-signal', params: { period: 60 } }]),
      },
      '.',
      undefined,
      { framework: fw },
    )
    assert.equal(c.options.framework?.execution?.name, 'vwap')
    const r = await runBacktest(c.options)
    assert.ok(r.parentOrders!.length > 0)
    assert.ok(r.parentOrders!.every((x) => x.algo === 'vwap'))
  })

  it('reads a stored profile series through the store loader, chunk by chunk', async () => {
    const l = await loadCsvBars(file)
    const n = l.series.openTime.length
    const chunks = [sliceSeries(l.series, 0, 1000), sliceSeries(l.series, 1000, n)]
    const asked: unknown[] = []
    const storeData: StoreDataLoader = async (entry, key) => {
      asked.push([entry, key])
      return {
        instrument: l.instrument,
        timeframe: l.timeframe,
        quarantine: [],
        feed: { instrumentId: l.instrument.id, timeframe: l.timeframe, data: chunks },
      }
    }
    const cfg = frameworkSection.parse({
      execution: { model: 'vwap', profile: { store: 'bars.duckdb', symbol: 'SPY', from: '2013-10-04' } },
    }).execution.profile!
    const p = await volumeProfileFromConfig(cfg, '.', storeData)
    assert.deepEqual(asked, [
      [{ store: 'bars.duckdb', symbol: 'SPY', from: '2013-10-04' }, 'framework.execution.profile'],
    ])
    assert.deepEqual(p, learnVolumeProfile(l.series, { buckets: 13 }))
  })
})
