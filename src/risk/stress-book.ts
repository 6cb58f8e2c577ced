/**
 * Builds the book a stress run shocks from the `risk.stress` config and bar data: prices default to the last
 * close, daily volatilities and the daily covariance come from the bars' returns aligned on common timestamps
 * (scaled from the bar length to a day), then {@link applyShock} and {@link replayWindow} do the scenario math.
 */
import { KestrelError, parseIso, type BarSeries, type Matrix } from '../core/index.ts'
import { applyShock, replayWindow, type Shock, type StressPosition, type StressResult } from './stress/index.ts'
import type { RiskConfig } from './limits-types.ts'

/** The validated `risk.stress` section. */
export type StressConfig = NonNullable<RiskConfig['stress']>

/** What {@link runStress} needs besides the config: bars per instrument and bars per day of each series. */
export interface StressData {
  readonly series: ReadonlyMap<string, BarSeries>
  /** Bars per trading day of an instrument's series (390 for US equity minutes, 1440 for crypto minutes). */
  readonly barsPerDay: (instrument: string) => number
}

/** The book and its daily covariance (undefined when some position has no data). */
export function stressBook(cfg: StressConfig, data: StressData): { book: StressPosition[]; cov?: Matrix } {
  const rets: Map<number, number>[] = []
  const from = cfg.returnsFrom === undefined ? -Infinity : parseIso(cfg.returnsFrom)
  const to = cfg.returnsTo === undefined ? Infinity : parseIso(cfg.returnsTo)
  const book = cfg.book.map((p) => {
    const s = data.series.get(p.instrument)
    const n = s?.close.length ?? 0
    const price = p.price ?? (n > 0 ? s!.close[n - 1]! : undefined)
    if (price === undefined)
      throw new KestrelError(
        'CONFIG_INVALID',
        `risk.stress.book: ${p.instrument} has no price and no data (give price or risk.stress.data.${p.instrument})`,
      )
    let dailyVol: number | undefined
    if (s && n > 2) {
      // Returns inside [returnsFrom, returnsTo) only.
      const m = new Map<number, number>()
      for (let i = 1; i < n; i++)
        if (s.openTime[i - 1]! >= from && s.openTime[i]! < to)
          m.set(s.openTime[i]!, Math.log(s.close[i]! / s.close[i - 1]!))
      rets.push(m)
      const xs = [...m.values()]
      if (xs.length < 3)
        throw new KestrelError(
          'CONFIG_INVALID',
          `risk.stress: fewer than 3 returns of ${p.instrument} in the returns window`,
        )
      const mu = xs.reduce((a, b) => a + b, 0) / xs.length
      const v = xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1)
      dailyVol = Math.sqrt(v * data.barsPerDay(p.instrument))
    }
    const pos: StressPosition = {
      instrumentId: p.instrument,
      quantity: p.quantity,
      price,
      ...(p.beta !== undefined ? { beta: p.beta } : {}),
      ...(p.adv !== undefined ? { adv: p.adv } : {}),
      ...(p.spread !== undefined ? { spread: p.spread } : {}),
      ...(dailyVol !== undefined ? { dailyVol } : {}),
    }
    return pos
  })
  if (rets.length !== book.length) return { book }
  // Covariance on common timestamps, scaled to daily; the diagonal is each series' own full-sample variance.
  const common = [...rets[0]!.keys()].filter((t) => rets.every((m) => m.has(t)))
  if (common.length < 3 || book.length === 1) return { book }
  const k = book.length
  const cols = rets.map((m) => common.map((t) => m.get(t)!))
  const mus = cols.map((c) => c.reduce((a, b) => a + b, 0) / c.length)
  const cov: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let sxy = 0
      let sxx = 0
      let syy = 0
      for (let t = 0; t < common.length; t++) {
        const a = cols[i]![t]! - mus[i]!
        const b = cols[j]![t]! - mus[j]!
        sxy += a * b
        sxx += a * a
        syy += b * b
      }
      const rho = i === j ? 1 : sxy / Math.sqrt(sxx * syy)
      cov[i]![j] = cov[j]![i] = rho * book[i]!.dailyVol! * book[j]!.dailyVol!
    }
  return { book, cov }
}

/** Runs every shock and replay of the config on its book. */
export function runStress(cfg: StressConfig, data: StressData): StressResult[] {
  const { book, cov } = stressBook(cfg, data)
  const out: StressResult[] = []
  for (const s of cfg.shocks) out.push(applyShock(book, s as Shock, cov))
  for (const r of cfg.replays) out.push(replayWindow(book, data.series, parseIso(r.from), parseIso(r.to), r.name))
  return out
}
