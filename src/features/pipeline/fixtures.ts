/** Test fixtures for the pipeline: a spec using every feature kind, and BTC bars with ETH as a benchmark. */
import type { BarSeries } from '../../core/index.ts'
import { loadBundled } from '../common/bundled.ts'

/** Aligns ETH closes to BTC bars by open time (the benchmark for cross-asset kinds). */
export function btcWithEth(n: number): { s: BarSeries; bench: Float64Array } {
  const btc = loadBundled('BTC-USD_1m')
  const eth = loadBundled('ETH-USD_1m')
  const at = new Map<number, number>()
  eth.openTime.forEach((t, i) => at.set(t, eth.close[i]!))
  const keep: number[] = []
  for (let i = 0; i < btc.close.length && keep.length < n; i++) if (at.has(btc.openTime[i]!)) keep.push(i)
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!)
  const s: BarSeries = {
    instrumentId: 'BTC-USD',
    timeframe: '1m',
    openTime: pick(btc.openTime),
    closeTime: pick(btc.closeTime),
    open: pick(btc.open),
    high: pick(btc.high),
    low: pick(btc.low),
    close: pick(btc.close),
    volume: pick(btc.volume),
  }
  return { s, bench: Float64Array.from(keep, (i) => at.get(btc.openTime[i]!)!) }
}

/** A spec with every feature kind (and a few indicators). */
export const EVERY_KIND = {
  name: 'every-kind',
  extra: ['bench'],
  features: {
    ret: 'logret(close, 1)',
    ret5: 'logret(close, 5)',
    candle: 'candle()',
    cal: 'calendar()',
    fx: 'sessions()',
    vol: 'ewmavol(ret, 0.94)',
    cc: 'ccvol(20)',
    pk: 'parkinson(20)',
    gk: 'garmanklass(20)',
    rs: 'rogerssatchell(20)',
    yz: 'yangzhang(20)',
    kyle: 'kyle(30)',
    amihud: 'amihud(30)',
    roll: 'roll(30)',
    cs: 'corwinschultz(20)',
    vpin: 'vpin(20, 10, 50)',
    sr: 'levels(3, 200)',
    heat: 'levelheat(3, 200, 7, 0.01)',
    lc: 'log(close)',
    ffd: 'fracdiff(lc, 0.4, 0.001)',
    lagged: 'lag(ret, 3)',
    rsiz: 'zscore(rsi(close, 14), 50)',
    macd: 'macd(close, 12, 26, 9)',
    atr: 'atr(14)',
    hmm: 'hmm(ret, 2, 300)',
    volreg: 'volregime(vol, 100)',
    trend: 'trendregime(close, 30, 2)',
    cusum: 'cusum(close, 0.002)',
    corr: 'xcorr(close, bench, 60)',
    beta: 'xbeta(close, bench, 60)',
    rel: 'relstrength(close, bench, 30)',
    c: 'close',
    pb: '(close - bbands(20,2,2).lowerband) / (bbands(20,2,2).upperband - bbands(20,2,2).lowerband)',
    spread: '-(ret - rsiz) * 2 / (high - low)',
    tb: 'triplebarrier(vol, 2, 2, 20)',
    fh: 'fixedhorizon(close, 10, 0.0005)',
    meta: 'metalabel(trend.label, vol, 1, 1, 20)',
    tbz: 'zscore(tb.ret, 20)',
    tbneg: '-tb.ret * vol',
  },
}
