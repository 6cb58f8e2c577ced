/**
 * The bridge from scanner alerts to feature requests: features are computed only for what was flagged. Alerts go
 * in; batches of requests come out, at most `batchSize` instruments each, highest priority first. A request is
 * one instrument with the union of the feature specs its alerts' scanners ask for; its priority is the best score
 * of those alerts. An instrument waits in the queue once: a second alert on it merges into the pending request
 * (raising its priority, adding specs). Ties go to the earlier alert, then the instrument id.
 */
import { KestrelError, type EpochMs, type EventBus } from '../../core/index.ts'
import type { ScannerAlert } from './types.ts'

/** One instrument's feature request. */
export interface FeatureRequest {
  readonly instrumentId: string
  /** Feature spec names, sorted. */
  readonly features: readonly string[]
  /** The best score of the alerts behind it. */
  readonly priority: number
  /** The earliest alert behind it. */
  readonly time: EpochMs
  /** The scanners behind it, sorted. */
  readonly scanners: readonly string[]
}

/** Options of {@link FeatureRequestQueue}. */
export interface FeatureRequestQueueOptions {
  /** Instruments per batch. */
  readonly batchSize: number
  /** Feature spec names by scanner name. */
  readonly features: Readonly<Record<string, readonly string[]>>
  /** Specs for a scanner not in `features`; default none (its alerts ask for nothing and are not queued). */
  readonly defaultFeatures?: readonly string[]
  /** Alerts scoring below this are not queued. Default 0. */
  readonly minScore?: number
}

interface Pending {
  readonly instrumentId: string
  features: Set<string>
  scanners: Set<string>
  priority: number
  time: EpochMs
}

/** The alert → feature-request queue (see the module comment). */
export class FeatureRequestQueue {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly opts: FeatureRequestQueueOptions) {
    if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1))
      throw new KestrelError(
        'PARAM_INVALID',
        `feature queue batchSize: expected an integer >= 1, got ${opts.batchSize}`,
      )
  }

  /** Instruments waiting. */
  get size(): number {
    return this.pending.size
  }

  /** Queues one alert; returns false when it asks for no feature or scores below `minScore`. */
  push(alert: ScannerAlert): boolean {
    const specs = this.opts.features[alert.scanner] ?? this.opts.defaultFeatures ?? []
    if (specs.length === 0 || alert.score < (this.opts.minScore ?? 0)) return false
    const p = this.pending.get(alert.instrumentId)
    if (!p) {
      this.pending.set(alert.instrumentId, {
        instrumentId: alert.instrumentId,
        features: new Set(specs),
        scanners: new Set([alert.scanner]),
        priority: alert.score,
        time: alert.time,
      })
      return true
    }
    for (const f of specs) p.features.add(f)
    p.scanners.add(alert.scanner)
    p.priority = Math.max(p.priority, alert.score)
    p.time = Math.min(p.time, alert.time)
    return true
  }

  /** Queues every alert. */
  pushAll(alerts: Iterable<ScannerAlert>): void {
    for (const a of alerts) this.push(a)
  }

  /**
   * Queues every alert published on `bus` under `pattern` (default `alert.scanner.>`, the scanners' topics);
   * returns the function that stops listening.
   */
  listen(bus: EventBus, pattern = 'alert.scanner.>'): () => void {
    return bus.subscribe<ScannerAlert>(pattern, (a) => {
      this.push(a)
    })
  }

  /** Takes the next batch off the queue (empty when nothing waits). */
  nextBatch(): FeatureRequest[] {
    const order = [...this.pending.values()].sort(
      (a, b) =>
        b.priority - a.priority ||
        a.time - b.time ||
        (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0),
    )
    const batch = order.slice(0, this.opts.batchSize)
    for (const p of batch) this.pending.delete(p.instrumentId)
    return batch.map((p) => ({
      instrumentId: p.instrumentId,
      features: [...p.features].sort(),
      priority: p.priority,
      time: p.time,
      scanners: [...p.scanners].sort(),
    }))
  }

  /** Every batch until the queue is empty. */
  *drain(): Generator<FeatureRequest[]> {
    while (this.pending.size > 0) yield this.nextBatch()
  }
}
