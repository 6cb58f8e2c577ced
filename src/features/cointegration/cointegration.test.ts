import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Rng } from '../../core/index.ts'
import { adfTest, mackinnonCrit, mackinnonP } from '../fracdiff/index.ts'
import {
  KalmanHedge,
  RollingHedge,
  adjustPValues,
  engleGranger,
  fitLine,
  halfLife,
  kalmanHedge,
  rollingPairSelection,
  selectPairs,
  type NamedSeries,
} from './index.ts'
import { INFL, REALCONS, REALGDP } from './macrodata.testkit.ts'

const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`)

function randomWalk(rng: Rng, n: number, p0 = 100, sd = 1): Float64Array {
  const out = new Float64Array(n)
  let p = p0
  for (let i = 0; i < n; i++) out[i] = p += sd * rng.normal()
  return out
}

/** x a random walk; y = 5 + 1.5·x + an AR(1) spread with coefficient φ. */
function cointegratedPair(rng: Rng, n: number, phi = 0.9): { y: Float64Array; x: Float64Array } {
  const x = randomWalk(rng, n)
  const y = new Float64Array(n)
  let e = 0
  for (let i = 0; i < n; i++) {
    e = phi * e + rng.normal()
    y[i] = 5 + 1.5 * x[i]! + e
  }
  return { y, x }
}

describe('MacKinnon surfaces', () => {
  it('gives the Engle-Granger N = 2 critical values Stata egranger prints for 200 observations', () => {
    // statsmodels test_stattools.test_coint, trend 'c', first pair: nobs 200, critical values at nobs − 1.
    const c = mackinnonCrit(199, 'c', 2)
    close(c['1%'], -3.952321293401682, 6e-7, '1%')
    close(c['5%'], -3.367006313729, 6e-7, '5%')
    close(c['10%'], -3.065831247948, 6e-7, '10%')
  })
  it('gives the no-constant Dickey-Fuller critical values of Stata for 198 observations', () => {
    const c = mackinnonCrit(198, 'n', 1)
    close(c['1%'], -2.587, 1.5e-2, '1%')
    close(c['5%'], -1.95, 1.5e-2, '5%')
    close(c['10%'], -1.617, 1.5e-2, '10%')
    assert.ok(Number.isNaN(mackinnonCrit(100, 'n', 2)['5%']))
  })
  it('is continuous at τ* and clamps outside [τ_min, τ_max]', () => {
    for (const N of [1, 2, 3, 4, 5, 6])
      for (const reg of ['c', 'n'] as const) {
        assert.equal(mackinnonP(-30, reg, N), 0)
        assert.ok(mackinnonP(-1, reg, N) > mackinnonP(-3, reg, N))
      }
    // the 5 % asymptotic critical value of N = 2 maps to ≈ 5 %
    close(mackinnonP(-3.33613, 'c', 2), 0.05, 0.005, 'p at cv5')
    assert.equal(mackinnonP(1, 'c', 2), 1)
  })
})

describe('ADF without a constant', () => {
  it('reproduces Stata on real GDP (lag 4) and inflation (lag 1)', () => {
    // statsmodels test_stattools TestADFNoConstant / TestADFNoConstant2 (values from Stata).
    // Stata prints these to 7-8 digits; statsmodels checks them to 1.5e-5 (and 1.5e-2 for the critical values).
    const g = adfTest(REALGDP, { regression: 'n', maxLag: 4, autolag: 'fixed' })
    close(g.statistic, 3.5227498, 1.5e-5, 'gdp')
    // the same statistic from an independent least-squares solve (numpy lstsq)
    close(g.statistic, 3.5227466640243517, 1e-9, 'gdp (lstsq)')
    const r = adfTest(INFL, { regression: 'n', maxLag: 1, autolag: 'fixed' })
    close(r.statistic, -2.4511596, 1e-6, 'infl')
    close(r.statistic, -2.4511596566145184, 1e-9, 'infl (lstsq)')
    close(r.pValue, 0.013747, 1e-5, 'infl p')
  })
  it('reproduces Stata with a constant too (the same code path)', () => {
    const g = adfTest(REALGDP, { maxLag: 4, autolag: 'fixed' })
    close(g.statistic, 0.97505319, 1.5e-5, 'gdp c')
    close(g.pValue, 0.99399563, 1.5e-5, 'gdp c p')
    const i = adfTest(INFL, { maxLag: 1, autolag: 'fixed' })
    close(i.statistic, -4.3346988, 1e-6, 'infl c')
    close(i.pValue, 0.00038661, 1e-7, 'infl c p')
  })
})

describe('Engle-Granger', () => {
  it('reproduces statsmodels coint(realcons, realgdp, maxlag=0) on the macrodata series', () => {
    const r = engleGranger(REALCONS, REALGDP, { maxLag: 0 })
    close(r.statistic, -1.830170986148, 1e-9, 'τ') // statsmodels TestCoint_t
    // MacKinnon (1994) N = 2, constant, evaluated independently (scipy's Φ): 0.614954560193052
    close(r.pValue, 0.614954560193052, 1e-6, 'p')
    close(r.hedgeRatio, 0.7190029567680838, 1e-10, 'b')
    close(r.intercept, -366.75084504489286, 1e-7, 'a')
    assert.equal(r.lags, 0)
    close(r.halfLife, 14.464773883096695, 1e-8, 'half-life')
  })
  it('chooses the lag by AIC on a common sample, then refits (inflation on real GDP: lag 2)', () => {
    // Reference: an independent numpy implementation of statsmodels' coint/adfuller(autolag='AIC') algorithm.
    const a = engleGranger(INFL, REALGDP)
    assert.equal(a.lags, 2)
    close(a.statistic, -3.21507505226206, 1e-6, 'τ infl~gdp')
    close(a.pValue, 0.06744273083931518, 1e-4, 'p infl~gdp')
    const b = engleGranger(REALGDP, INFL)
    assert.equal(b.lags, 2)
    close(b.statistic, -0.2649925554835692, 1e-6, 'τ gdp~infl')
    close(b.pValue, 0.9774300511775179, 1e-4, 'p gdp~infl')
  })
  it('with maxLag 0 gives the t-ratio of the Dickey-Fuller regression Δe = ρ·e₋₁ computed by hand', () => {
    const { y, x } = cointegratedPair(new Rng(7), 300)
    const r = engleGranger(y, x, { maxLag: 0 })
    const e = r.residuals
    let see = 0
    let sed = 0
    for (let t = 1; t < e.length; t++) {
      see += e[t - 1]! ** 2
      sed += e[t - 1]! * (e[t]! - e[t - 1]!)
    }
    const rho = sed / see
    let ssr = 0
    for (let t = 1; t < e.length; t++) ssr += (e[t]! - e[t - 1]! - rho * e[t - 1]!) ** 2
    const tHand = rho / Math.sqrt(ssr / (e.length - 2) / see)
    close(r.statistic, tHand, 1e-9 * Math.abs(tHand), 'τ')
    const line = fitLine(y, x)
    assert.equal(r.hedgeRatio, line.slope)
    assert.ok(r.pValue < 0.01, `a cointegrated pair: p ${r.pValue}`)
  })
  it('reports −Infinity and p 0 for an exactly collinear pair, as statsmodels does', () => {
    const x = randomWalk(new Rng(3), 100)
    const r = engleGranger(
      x.map((v) => 1 + 2 * v),
      x,
    )
    assert.equal(r.statistic, -Infinity)
    assert.equal(r.pValue, 0)
    assert.ok(Number.isNaN(r.halfLife))
  })
})

describe('half-life', () => {
  it('recovers −ln 2 / ln φ of a long seeded AR(1) within three standard errors', () => {
    for (const phi of [0.5, 0.9, 0.98]) {
      const rng = new Rng(11)
      const n = 20_000
      const e = new Float64Array(n)
      for (let t = 1; t < n; t++) e[t] = phi * e[t - 1]! + rng.normal()
      const want = -Math.LN2 / Math.log(phi)
      // delta method: se(φ̂) = √((1 − φ²)/n), dHL/dφ = ln 2 / (φ ln² φ)
      const se = (Math.sqrt((1 - phi * phi) / n) * Math.LN2) / (phi * Math.log(phi) ** 2)
      close(halfLife(e), want, 3 * se, `φ = ${phi}`)
    }
  })
  it('is Infinity for an explosive series and NaN when it overshoots past −1', () => {
    assert.equal(halfLife(Float64Array.from({ length: 50 }, (_, i) => 1.05 ** i)), Infinity)
    assert.ok(Number.isNaN(halfLife(Float64Array.from({ length: 50 }, (_, i) => (-1.2) ** i))))
  })
})

describe('Kalman hedge ratio', () => {
  const { y, x } = cointegratedPair(new Rng(5), 400)
  const ols = fitLine(y, x)
  it('equals the OLS beta to 1e-8 as its process noise goes to 0', () => {
    // For small q the gap is linear in q: each decade of q takes at least 5× off it.
    let prev = Infinity
    for (const q of [1e-11, 1e-12, 1e-13, 1e-14, 1e-15]) {
      const k = kalmanHedge(y, x, { q })
      const d = Math.abs(k.beta[399]! - ols.slope)
      assert.ok(d < prev / 5, `q ${q}: |β − β_ols| ${d} not 5× below ${prev}`)
      prev = d
    }
    assert.ok(prev < 1e-8, `q 1e-15: ${prev}`)
    assert.ok(Math.abs(kalmanHedge(y, x, { q: 1e-2 }).beta[399]! - ols.slope) > 1e-4, 'q 1e-2 tracks, not OLS')
    const k0 = kalmanHedge(y, x, { q: 0 })
    close(k0.beta[399]!, ols.slope, 1e-10, 'β at q = 0')
    close(k0.alpha[399]!, ols.intercept, 1e-8, 'α at q = 0')
    // and at every t, the state is the OLS of the points so far
    const part = fitLine(y.subarray(0, 150), x.subarray(0, 150))
    close(k0.beta[149]!, part.slope, 1e-10, 'β after 150 points')
  })
  it('streams the same values as the batch filter, and forecasts from the prior state', () => {
    const batch = kalmanHedge(y, x, { q: 1e-3, warmup: 30 })
    const live = new KalmanHedge({ q: 1e-3, warmup: 30 })
    for (let t = 0; t < y.length; t++) {
      const s = live.update(x[t]!, y[t]!)
      if (t < 30) {
        assert.equal(s, undefined)
        continue
      }
      assert.equal(s!.beta, batch.beta[t])
      assert.equal(s!.innovation, batch.innovation[t])
      assert.equal(s!.betaPrior, batch.beta[t - 1])
      close(s!.innovation, y[t]! - s!.alphaPrior - s!.betaPrior * x[t]!, 1e-9, 'innovation')
    }
    assert.ok(live.isStable)
  })
})

describe('rolling hedge', () => {
  it('agrees with the batch OLS of each window to 1e-9 on price levels, across rebuilds', () => {
    const { y, x } = cointegratedPair(new Rng(8), 700)
    const roll = new RollingHedge(50)
    for (let t = 0; t < 700; t++) {
      roll.update(x[t]! + 1000, y[t]! + 1500)
      if (t < 49) {
        assert.equal(roll.isStable, false)
        continue
      }
      const xs = x.slice(t - 49, t + 1).map((v) => v + 1000)
      const ys = y.slice(t - 49, t + 1).map((v) => v + 1500)
      const want = fitLine(ys, xs)
      const got = roll.fit()
      close(got.beta, want.slope, 1e-9, `β at ${t}`)
      close(got.alpha, want.intercept, 1e-6, `α at ${t}`)
      let ssr = 0
      for (let i = 0; i < 50; i++) ssr += (ys[i]! - want.intercept - want.slope * xs[i]!) ** 2
      close(got.sigma, Math.sqrt(ssr / 48), 1e-8, `σ at ${t}`)
    }
  })
})

describe('multiple-testing correction', () => {
  it('adjusts as Bonferroni and Benjamini-Hochberg define (R p.adjust values)', () => {
    const p = [0.01, 0.04, 0.03, 0.005]
    assert.deepEqual([...adjustPValues(p, 'bonferroni')], [0.04, 0.16, 0.12, 0.02])
    assert.deepEqual([...adjustPValues(p, 'bh')], [0.02, 0.04, 0.04, 0.02])
    assert.deepEqual([...adjustPValues([0.2, NaN, 0.6], 'bonferroni')], [0.4, NaN, 1])
  })
  it('never lowers a p-value, keeps BH between the raw and Bonferroni values and the order of the p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (p) => {
        const bh = adjustPValues(p, 'bh')
        const bo = adjustPValues(p, 'bonferroni')
        for (let i = 0; i < p.length; i++) {
          if (!(bh[i]! >= p[i]! - 1e-15 && bh[i]! <= bo[i]! + 1e-15)) return false
          for (let j = 0; j < p.length; j++) if (p[i]! < p[j]! && bh[i]! > bh[j]! + 1e-15) return false
        }
        return true
      }),
    )
  })
})

describe('pair selection over a universe', () => {
  const universe = (seed: number, k: number, n: number): NamedSeries[] => {
    const rng = new Rng(seed)
    return Array.from({ length: k }, (_, i) => ({ name: `S${i}`, values: randomWalk(rng, n) }))
  }
  it('selects no pair at 5 % on independent random walks in at least 45 of 50 seeds (Bonferroni)', () => {
    let none = 0
    let noneRaw = 0
    for (let seed = 1; seed <= 50; seed++) {
      const u = universe(seed, 6, 500)
      const s = selectPairs(u)
      assert.equal(s.tested.length, 15)
      if (s.selected.length === 0) none++
      if (s.tested.every((r) => r.pValue > 0.05)) noneRaw++
    }
    assert.ok(none >= 45, `no pair selected in ${none} of 50 seeds`)
    // without the correction, 15 tests at 5 % find a spurious pair far more often
    assert.ok(noneRaw < none - 5, `uncorrected: no pair in ${noneRaw} of 50 seeds`)
  })
  it('finds the cointegrated pair hidden in a universe of random walks, with BH and Bonferroni', () => {
    const u = universe(99, 5, 500)
    const { y, x } = cointegratedPair(new Rng(100), 500, 0.8)
    const all = [...u.slice(0, 2), { name: 'Y', values: y }, ...u.slice(2), { name: 'X', values: x }]
    for (const correction of ['bonferroni', 'bh'] as const) {
      const s = selectPairs(all, { correction })
      assert.deepEqual(
        s.selected.map((r) => `${r.y}/${r.x}`),
        ['Y/X'],
        correction,
      )
      close(s.selected[0]!.hedgeRatio, 1.5, 0.05, 'hedge')
    }
    assert.equal(selectPairs(all, { maxHalfLife: 1 }).selected.length, 0)
  })
  it('re-selects on formation windows of past bars only', () => {
    const rng = new Rng(4)
    const { y, x } = cointegratedPair(rng, 600, 0.8)
    const u: NamedSeries[] = [
      { name: 'Y', values: y },
      { name: 'X', values: x },
      { name: 'W', values: randomWalk(rng, 600) },
    ]
    const steps = rollingPairSelection(u, { formation: 250, every: 100 })
    assert.deepEqual(
      steps.map((s) => s.end),
      [250, 350, 450, 550],
    )
    for (const s of steps) {
      const direct = selectPairs(
        u.map((v) => ({ name: v.name, values: Array.from(v.values).slice(s.end - 250, s.end) })),
      ).selected
      assert.deepEqual(s.selected, direct)
      assert.ok(s.selected.some((r) => r.y === 'Y' && r.x === 'X'))
    }
  })
})
