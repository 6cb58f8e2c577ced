/**
 * One instrument at several timeframes: the series a run loaded, merged into one instrument each (the finest
 * series is the one the exchange matches and the portfolio marks on), and coarser series resampled from a
 * loaded one. A coarser series is data for strategies: it is seen at its close, never before.
 */
import { KestrelError, isKestrelError, isoUtc, parseTimeframe } from '../core/index.ts'
import type { BarSeries, Instrument } from '../core/index.ts'
import { getCalendar, localDayIndex, resample } from '../data/index.ts'
import type { LoadedBars } from './setup.ts'

/**
 * The instruments of loaded series, each once: entries of one instrument at different timeframes are one
 * instrument with a feed per timeframe (the finest is the one the exchange matches on). The same instrument and
 * timeframe twice, or one id whose entries describe different instruments (tick size, asset class), is
 * `code` (CONFIG_INVALID) naming both entries (`key(k)` names entry `k`).
 */
export function instrumentsOf(
  loaded: readonly LoadedBars[],
  key: (k: number) => string,
  code: 'CONFIG_INVALID' | 'USAGE' = 'CONFIG_INVALID',
): Instrument[] {
  const first = new Map<string, number>()
  const at = new Map<string, number>()
  const out: Instrument[] = []
  for (const [k, l] of loaded.entries()) {
    const id = l.instrument.id
    const tf = parseTimeframe(l.timeframe).text
    const twin = at.get(`${id} ${tf}`)
    if (twin !== undefined)
      throw new KestrelError(
        code,
        `${key(k)}: ${id} ${tf} is given twice (also ${key(twin)}); give each instrument once per timeframe`,
        { instrument: id, timeframe: tf, entries: [key(twin), key(k)] },
      )
    at.set(`${id} ${tf}`, k)
    const j = first.get(id)
    if (j === undefined) {
      first.set(id, k)
      out.push(l.instrument)
      continue
    }
    const a = loaded[j]!.instrument
    const b = l.instrument
    const differs = (['assetClass', 'currency', 'tickSize', 'lotSize', 'multiplier'] as const).find(
      (f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]),
    )
    if (differs !== undefined)
      throw new KestrelError(
        code,
        `${key(k)}: ${id} has ${differs} ${JSON.stringify(b[differs])}, but ${key(j)} gives it ${JSON.stringify(a[differs])}; the entries of one instrument must agree`,
        { instrument: id, field: differs, entries: [key(j), key(k)] },
      )
  }
  return out
}

/**
 * `l`'s bars (`whole`: all of them in one series) resampled to `timeframe` on its instrument's session calendar: `1d` is one bar per session, stamped
 * with the session's date (00:00–24:00 UTC, as a daily file's dates), so it is seen after the session's last bar
 * of `l`; a shorter timeframe keeps the session-aligned bars (a session's short last bar closes at open +
 * timeframe). CONFIG_INVALID at `key` for a bar that would be seen before its close, or a timeframe not coarser
 * than `l`'s or not a multiple of it.
 */
export function resampledBars(l: LoadedBars, whole: BarSeries, timeframe: string, key: string): LoadedBars {
  let tf: string
  try {
    tf = parseTimeframe(timeframe).text
  } catch (e) {
    throw new KestrelError('CONFIG_INVALID', `${key}: ${(e as Error).message}`, { path: key }, { cause: e })
  }
  if (parseTimeframe(tf).ms <= parseTimeframe(l.timeframe).ms)
    throw new KestrelError(
      'CONFIG_INVALID',
      `${key}: ${tf} is not coarser than the entry's ${l.timeframe} bars; resample to a longer timeframe`,
      { path: key, timeframe: tf, from: l.timeframe },
    )
  const daily = tf === '1d'
  if (!daily && parseTimeframe(tf).ms >= 86_400_000)
    throw new KestrelError('CONFIG_INVALID', `${key}: ${tf}: resample to 1d or to a timeframe shorter than a day`, {
      path: key,
    })
  const calendar = getCalendar(l.instrument.calendar)
  let r: BarSeries
  try {
    r = resample(whole, { to: tf, calendar })
  } catch (e) {
    if (!isKestrelError(e)) throw e
    throw new KestrelError('CONFIG_INVALID', `${key}: ${e.message}`, { path: key }, { cause: e })
  }
  const n = r.openTime.length
  const openTime = new Float64Array(n)
  const closeTime = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    // A session bar is stamped with its session's date, 00:00 to 24:00 UTC, as a daily file's dates are; it
    // must not become visible before its session closed.
    openTime[i] = daily ? localDayIndex(calendar.timezone, r.openTime[i]!) * 86_400_000 : r.openTime[i]!
    closeTime[i] = openTime[i]! + parseTimeframe(tf).ms
    if (closeTime[i]! < r.closeTime[i]!)
      throw new KestrelError(
        'CONFIG_INVALID',
        daily
          ? `${key}: the session closing ${isoUtc(r.closeTime[i]!)} ends after its date in UTC; give the daily bars as a file of their own`
          : `${key}: the ${tf} bar closing ${isoUtc(r.closeTime[i]!)} would be seen before its close`,
        { path: key },
      )
  }
  const { instrumentId, timeframe: rtf, open, high, low, close, volume } = r
  const series: BarSeries = { instrumentId, timeframe: rtf, openTime, closeTime, open, high, low, close, volume }
  const source = `${l.feed.source ?? `${l.instrument.id} ${l.timeframe}`} resampled to ${tf}`
  return {
    instrument: l.instrument,
    timeframe: tf,
    series,
    quarantine: [],
    feed: { instrumentId: l.instrument.id, timeframe: tf, data: series, source, quarantined: [], rowsRead: n },
  }
}

/** The loaded series of instrument `id` with the shortest bars (the one a run executes and marks on). */
export function finestOf(loaded: readonly LoadedBars[], id: string): LoadedBars {
  let best: LoadedBars | undefined
  for (const l of loaded)
    if (l.instrument.id === id && (!best || parseTimeframe(l.timeframe).ms < parseTimeframe(best.timeframe).ms))
      best = l
  if (!best) throw new KestrelError('DATA_NOT_FOUND', `no bars are loaded for ${id}`)
  return best
}
