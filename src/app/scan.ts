/**
 * `kestrel scan`: runs the scanner layers a config's `scan:` section describes over its universe, and returns the
 * alerts of each layer, sorted by time, then score (best first). Layer-2 alerts are published on an event bus
 * under `alert.scanner.<name>` as they would be in a live node; pass a bus to listen.
 */
import { dirname, resolve } from 'node:path'
import {
  EventBus,
  KestrelError,
  kestrelConfigSchema,
  loadConfigFile,
  parseTimeBounds,
  parseTimeframe,
  type BarSeries,
  type EpochMs,
  type Logger,
  type ScanConfig,
} from '../core/index.ts'
import { JsonlInsiderSource, JsonlNewsSource, JsonlOptionsFlowSource, type QuarantinedRow } from '../data/index.ts'
import { loadCsvBars, sliceLoaded } from '../engine/index.ts'
import {
  CatalystOrchestrator,
  breakoutScanner,
  compareAlerts,
  correlationBreakScanner,
  insiderClusterScanner,
  momentumShiftScanner,
  optionsFlowScanner,
  newsCatalystScanner,
  sectorRotationScanner,
  shortlist,
  symbolOf,
  unusualVolumeScanner,
  type BarScanner,
  type CatalystScanner,
  type ScannerAlert,
  type ShortlistEntry,
} from '../strategy/index.ts'
import { OpenStores, configStoreLoader, wholeSeries } from './backtest-data.ts'
import type { Env } from './types.ts'

/** What {@link runScan} needs. */
export interface ScanRequest {
  /** The YAML config with a `scan:` section. */
  readonly config: string
  readonly env: Env
  readonly logger?: Logger
  /** The bus layer-2 alerts are published on (default: a bus of its own). */
  readonly bus?: EventBus
}

/** The alerts of each layer. */
export interface ScanResult {
  readonly layer1: readonly ScannerAlert[]
  readonly layer1_5: readonly ShortlistEntry[]
  readonly layer2: readonly ScannerAlert[]
  /** The lines of the layer-2 record files (options flow, insider transactions) set aside as bad. */
  readonly catalystQuarantine: readonly QuarantinedRow[]
  /** The series scanned, with the rows their files' validation set aside. */
  readonly universe: readonly { instrumentId: string; bars: number; quarantine: readonly QuarantinedRow[] }[]
}

/** The layer-1 scanners a `scan.layer1` section turns on. */
export function layer1Scanners(cfg: ScanConfig['layer1']): BarScanner[] {
  const out: BarScanner[] = []
  const { enabled: uvOn, ...uv } = cfg.unusualVolume
  if (uvOn) out.push(unusualVolumeScanner(uv))
  if (cfg.breakout.enabled) out.push(breakoutScanner({ lookback: cfg.breakout.lookback }))
  const { enabled: msOn, ...ms } = cfg.momentumShift
  if (msOn) out.push(momentumShiftScanner(ms))
  return out
}

/** The times of the layer-1.5 shortlists: each `every` boundary (UTC) inside the data, and the last close. */
function shortlistTimes(first: EpochMs, last: EpochMs, every: number | undefined): EpochMs[] {
  if (every === undefined) return [last]
  const out: EpochMs[] = []
  for (let t = Math.floor(first / every) * every + every; t < last; t += every) out.push(t)
  out.push(last)
  return out
}

/** Runs the layers over series already read; `baseDir` resolves the catalyst file. */
export async function scanSeries(
  cfg: ScanConfig,
  series: readonly BarSeries[],
  baseDir = '.',
  bus: EventBus = new EventBus({ historySize: 0 }),
): Promise<Omit<ScanResult, 'universe'>> {
  const layer1: ScannerAlert[] = []
  for (const scanner of layer1Scanners(cfg.layer1)) for (const s of series) layer1.push(...scanner.scan(s))
  layer1.sort(compareAlerts)
  let first = Infinity
  let firstOpen = Infinity
  let last = -Infinity
  for (const s of series) {
    const n = s.closeTime.length
    if (n === 0) continue
    first = Math.min(first, s.closeTime[0]!)
    firstOpen = Math.min(firstOpen, s.openTime[0]!)
    last = Math.max(last, s.closeTime[n - 1]!)
  }
  const l15 = cfg.layer1_5
  const every = l15.every === undefined ? undefined : parseTimeframe(l15.every).ms
  const layer1_5: ShortlistEntry[] = []
  if (Number.isFinite(first))
    for (const t of shortlistTimes(first, last, every))
      layer1_5.push(
        ...shortlist(series, layer1, t, {
          lookback: l15.lookback,
          minDollarVolume: l15.minDollarVolume,
          minVolRank: l15.minVolRank,
          maxVolRank: l15.maxVolRank,
          weights: l15.weights,
          minScore: l15.minScore,
          maxSize: l15.maxSize,
          windowMs: every,
        }),
      )
  layer1_5.sort(compareAlerts)
  const l2 = cfg.layer2
  const catalysts: CatalystScanner[] = []
  if (l2.catalysts !== undefined)
    catalysts.push(
      newsCatalystScanner(new JsonlNewsSource(resolve(baseDir, l2.catalysts)), {
        minAbsSentiment: l2.news.minAbsSentiment,
        defaultScore: l2.news.defaultScore,
        confirmWindowMs: parseTimeframe(l2.news.confirmWindow).ms,
        requireConfirmation: l2.news.requireConfirmation,
      }),
    )
  const recordFiles: { readonly quarantine: readonly QuarantinedRow[] }[] = []
  if (l2.optionsFlow !== undefined) {
    const { file, ...params } = l2.optionsFlow
    const src = new JsonlOptionsFlowSource(resolve(baseDir, file))
    recordFiles.push(src)
    catalysts.push(optionsFlowScanner(src, params))
  }
  if (l2.insider !== undefined) {
    const { file, ...params } = l2.insider
    const src = new JsonlInsiderSource(resolve(baseDir, file))
    recordFiles.push(src)
    catalysts.push(insiderClusterScanner(src, params))
  }
  // The inter-market scanners name instruments of the universe: one that is not there is the config's error.
  const inUniverse = (key: string, path: string) => {
    if (!series.some((x) => x.instrumentId === key || symbolOf(x.instrumentId) === key))
      throw new KestrelError(
        'CONFIG_INVALID',
        `${path}: no series for ${key} in scan.data; the universe has ${series.map((x) => x.instrumentId).join(', ') || 'none'}`,
        { path, key },
      )
  }
  if (l2.sectorRotation) {
    inUniverse(l2.sectorRotation.benchmark, 'scan.layer2.sectorRotation.benchmark')
    for (const [sector, members] of Object.entries(l2.sectorRotation.sectors))
      members.forEach((m, i) => inUniverse(m, `scan.layer2.sectorRotation.sectors.${sector}[${i}]`))
  }
  l2.correlationBreaks.forEach((c, i) => {
    inUniverse(c.a, `scan.layer2.correlationBreaks[${i}].a`)
    inUniverse(c.b, `scan.layer2.correlationBreaks[${i}].b`)
  })
  if (l2.sectorRotation) catalysts.push(sectorRotationScanner(l2.sectorRotation))
  l2.correlationBreaks.forEach((c, i) =>
    catalysts.push(
      correlationBreakScanner({
        ...c,
        name: l2.correlationBreaks.length > 1 ? `correlation-break-${i + 1}` : undefined,
      }),
    ),
  )
  const layer2 = Number.isFinite(first)
    ? await new CatalystOrchestrator(bus, catalysts).run({
        series,
        layer1,
        from: firstOpen,
        to: last + 1,
      })
    : []
  return { layer1, layer1_5, layer2, catalystQuarantine: recordFiles.flatMap((f) => f.quarantine) }
}

/** The universe of a `scan:` section, read: each series, and a row per series with its quarantined rows. */
export interface ScanUniverse {
  readonly series: readonly BarSeries[]
  readonly universe: ScanResult['universe']
}

/** Reads the series of a `scan:` section (paths relative to `baseDir`), in the order of `scan.data`. */
export async function readScanUniverse(cfg: ScanConfig, baseDir: string, env: Env): Promise<ScanUniverse> {
  const stores = new OpenStores()
  const loadStored = configStoreLoader(stores, env)
  const series: BarSeries[] = []
  const universe: { instrumentId: string; bars: number; quarantine: readonly QuarantinedRow[] }[] = []
  try {
    for (const [i, d] of cfg.data.entries()) {
      const key = `scan.data[${i}]`
      let s: BarSeries
      let quarantine: readonly QuarantinedRow[] = []
      if (d.store !== undefined) s = await wholeSeries(await loadStored(d, key, baseDir))
      else {
        const whole = await loadCsvBars(resolve(baseDir, d.file!), {
          symbol: d.symbol ?? d.instrument,
          venue: d.venue,
          assetClass: d.assetClass,
          timeframe: d.timeframe,
        })
        const cut = sliceLoaded(
          whole,
          parseTimeBounds(d.from, d.to, { from: `${key}.from`, to: `${key}.to`, code: 'CONFIG_INVALID' }),
        )
        s = cut.series
        quarantine = cut.quarantine
      }
      if (series.some((x) => x.instrumentId === s.instrumentId))
        throw new KestrelError('CONFIG_INVALID', `${key}: ${s.instrumentId} is in the universe twice`, {
          path: key,
          instrumentId: s.instrumentId,
        })
      series.push(s)
      universe.push({ instrumentId: s.instrumentId, bars: s.closeTime.length, quarantine })
    }
  } finally {
    await stores.close()
  }
  return { series, universe }
}

/** Reads the config's universe and runs the scanner layers over it. */
export async function runScan(req: ScanRequest): Promise<ScanResult> {
  const cfg = loadConfigFile(req.config, kestrelConfigSchema, req.env).value
  if (!cfg.scan)
    throw new KestrelError('CONFIG_INVALID', `${req.config}: no scan: section; kestrel scan needs one`, {
      path: req.config,
    })
  const baseDir = dirname(resolve(req.config))
  const { series, universe } = await readScanUniverse(cfg.scan, baseDir, req.env)
  req.logger?.info({ instruments: series.length }, 'scan universe read')
  return { ...(await scanSeries(cfg.scan, series, baseDir, req.bus)), universe }
}
