/**
 * Layer 2: the catalyst orchestrator. It runs catalyst scanners over what layer 1 found and what catalyst sources
 * published (news, sentiment), and over prices across markets (see `intermarket.ts`), then publishes every alert
 * on the bus under `alert.scanner.<scanner>`, in time order (ties: best score first), so strategies and the
 * feature bridge subscribe to `alert.scanner.>`.
 *
 * No look-ahead: a news item counts from its publication time, and a news alert confirmed by a layer-1 alert is
 * stamped at the later of the two.
 */
import {
  KestrelError,
  isoUtc,
  type BarSeries,
  type CatalystSource,
  type EpochMs,
  type EventBus,
} from '../../core/index.ts'
import { checkScannerName, compareAlerts, type ScannerAlert } from './types.ts'

/** What a catalyst scanner sees. */
export interface CatalystContext {
  /** The universe's bars. */
  readonly series: readonly BarSeries[]
  /** Layer-1 alerts of the universe. */
  readonly layer1: readonly ScannerAlert[]
  /** The scanned span, `from` inclusive, `to` exclusive (epoch ms). */
  readonly from: EpochMs
  readonly to: EpochMs
}

/** A layer-2 scanner. */
export interface CatalystScanner {
  readonly name: string
  scan(ctx: CatalystContext): Promise<ScannerAlert[]> | ScannerAlert[]
}

/** The bus topic of a scanner's alerts: `alert.scanner.<name>`. */
export function scannerAlertTopic(name: string): string {
  return `alert.scanner.${checkScannerName(name)}`
}

/** The symbol part of an instrument id (`BTC-USD.SIM` → `BTC-USD`). */
export function symbolOf(instrumentId: string): string {
  const dot = instrumentId.lastIndexOf('.')
  return dot > 0 ? instrumentId.slice(0, dot) : instrumentId
}

/** Runs catalyst scanners and publishes their alerts on the bus. */
export class CatalystOrchestrator {
  private readonly scanners: readonly CatalystScanner[]

  constructor(
    private readonly bus: EventBus,
    scanners: readonly CatalystScanner[],
  ) {
    const names = new Set<string>()
    for (const s of scanners) {
      checkScannerName(s.name)
      if (names.has(s.name))
        throw new KestrelError('PARAM_INVALID', `catalyst scanners: ${s.name} is given twice`, { name: s.name })
      names.add(s.name)
    }
    this.scanners = scanners
  }

  /** Runs every scanner, publishes all alerts in output order, and returns them in that order. */
  async run(ctx: CatalystContext): Promise<ScannerAlert[]> {
    const all: ScannerAlert[] = []
    for (const s of this.scanners) all.push(...(await s.scan(ctx)))
    all.sort(compareAlerts)
    for (const a of all) this.bus.publish(scannerAlertTopic(a.scanner), a)
    return all
  }
}

/** Options of {@link newsCatalystScanner}. */
export interface NewsCatalystOptions {
  /** Items with |sentiment| below this are ignored. Default 0. */
  readonly minAbsSentiment?: number
  /** Score of an item without a sentiment. Default 0.5. */
  readonly defaultScore?: number
  /** A layer-1 alert on the same instrument this long after the item confirms it. Default 30 minutes. */
  readonly confirmWindowMs?: number
  /** Emit only confirmed items. Default false. */
  readonly requireConfirmation?: boolean
  /** Scanner name in the alerts. Default `news`. */
  readonly name?: string
}

/**
 * A catalyst scanner over a news or sentiment source: one alert per item and instrument of the universe it names
 * (by symbol or instrument id). Score: |sentiment|, or `defaultScore`. When a layer-1 alert on the instrument
 * follows within `confirmWindowMs`, the item is confirmed: the alert moves to that alert's time and scores
 * 1 − (1 − news)(1 − layer-1).
 */
export function newsCatalystScanner(source: CatalystSource, opts: NewsCatalystOptions = {}): CatalystScanner {
  const name = checkScannerName(opts.name ?? 'news')
  const minAbs = opts.minAbsSentiment ?? 0
  const defaultScore = opts.defaultScore ?? 0.5
  const window = opts.confirmWindowMs ?? 30 * 60_000
  return {
    name,
    async scan(ctx) {
      const ids = new Map<string, string>()
      for (const s of ctx.series) {
        ids.set(s.instrumentId, s.instrumentId)
        if (!ids.has(symbolOf(s.instrumentId))) ids.set(symbolOf(s.instrumentId), s.instrumentId)
      }
      const byInstrument = new Map<string, ScannerAlert[]>()
      for (const a of [...ctx.layer1].sort(compareAlerts)) {
        let l = byInstrument.get(a.instrumentId)
        if (!l) byInstrument.set(a.instrumentId, (l = []))
        l.push(a)
      }
      const out: ScannerAlert[] = []
      for await (const item of source.read(ctx.from, ctx.to)) {
        const sentiment = item.sentiment
        if (sentiment !== undefined && Math.abs(sentiment) < minAbs) continue
        const base = sentiment === undefined ? defaultScore : Math.abs(sentiment)
        const targets = new Set<string>()
        for (const sym of item.symbols) {
          const id = ids.get(sym)
          if (id !== undefined) targets.add(id)
        }
        for (const id of [...targets].sort()) {
          const confirm = (byInstrument.get(id) ?? []).find((a) => a.time >= item.time && a.time <= item.time + window)
          if (!confirm && opts.requireConfirmation) continue
          out.push({
            time: confirm ? confirm.time : item.time,
            instrumentId: id,
            scanner: name,
            score: confirm ? 1 - (1 - base) * (1 - confirm.score) : base,
            details: {
              headline: item.headline,
              source: item.source,
              sentiment: sentiment ?? null,
              publishedAt: isoUtc(item.time),
              confirmedBy: confirm ? confirm.scanner : null,
            },
          })
        }
      }
      return out
    },
  }
}
