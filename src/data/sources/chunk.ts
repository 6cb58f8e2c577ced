/**
 * Turns provider rows into {@link SourceChunk}s: keeps rows inside the request, skips open times already
 * delivered (pages overlap), sorts, and sets rows that cannot be bars aside with a reason.
 */
import { allocBarSeries, isoUtc, parseTimeframe } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import type { FetchRequest, ResumeState, SourceChunk } from './types.ts'

type Row = { t: number; o: number; h: number; l: number; c: number; v: number }

/** Collects one page of rows at a time for a download and hands them out as chunks. */
export class ChunkBuilder {
  readonly instrumentId: string
  readonly tfMs: number
  private nextFrom: EpochMs
  private barsFetched: number
  private rows: Row[] = []
  private rejected: QuarantinedRow[] = []
  private requests = 0

  constructor(
    readonly provider: string,
    readonly req: FetchRequest,
    resume?: ResumeState,
  ) {
    this.instrumentId = req.instrumentId ?? `${req.symbol}.${provider.toUpperCase()}`
    this.tfMs = parseTimeframe(req.timeframe).ms
    this.nextFrom = Math.max(req.from, resume?.nextFrom ?? req.from)
    this.barsFetched = resume?.barsFetched ?? 0
  }

  /** The first open time not yet delivered. */
  get from(): EpochMs {
    return this.nextFrom
  }

  /** True when the whole range has been delivered. */
  get done(): boolean {
    return this.nextFrom >= this.req.to
  }

  /** Counts one request made. */
  request(): void {
    this.requests++
  }

  /**
   * Adds one provider row. Values that are null or not finite make the row a rejected one (with `raw` as
   * the provider sent it). Rows outside [nextFrom, to) are skipped: they were delivered already or were
   * not asked for.
   */
  add(t: number, o: unknown, h: unknown, l: unknown, c: unknown, v: unknown, raw: () => string): void {
    if (!(t >= this.nextFrom && t < this.req.to)) return
    const vals = { open: o, high: h, low: l, close: c, volume: v }
    for (const [field, x] of Object.entries(vals)) {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        this.rejected.push({
          source: this.provider,
          instrumentId: this.instrumentId,
          timeframe: this.req.timeframe,
          timestamp: t,
          field,
          reason: 'PROVIDER_NULL_VALUE',
          message: `${this.provider} ${this.req.symbol} ${isoUtc(t)}: ${field} is ${JSON.stringify(x) ?? 'missing'}`,
          severity: 'warning',
          raw: raw(),
        })
        this.advance(t)
        return
      }
    }
    this.rows.push({ t, o: o as number, h: h as number, l: l as number, c: c as number, v: v as number })
  }

  /** Marks the range up to (excluding) `t` as covered even if no row came for it (an empty page). */
  coverUntil(t: EpochMs): void {
    if (t > this.nextFrom) this.nextFrom = Math.min(t, this.req.to)
  }

  /** The rows added since the last call, as a chunk (sorted, unique), with progress and resume state. */
  take(): SourceChunk {
    const rows = this.rows.sort((a, b) => a.t - b.t).filter((r, i, a) => i === 0 || r.t !== a[i - 1]!.t)
    const s = allocBarSeries(this.instrumentId, this.req.timeframe, rows.length)
    rows.forEach((r, i) => {
      s.openTime[i] = r.t
      s.closeTime[i] = r.t + this.tfMs
      s.open[i] = r.o
      s.high[i] = r.h
      s.low[i] = r.l
      s.close[i] = r.c
      s.volume[i] = r.v
    })
    if (rows.length) this.advance(rows[rows.length - 1]!.t)
    this.barsFetched += rows.length
    const rejected = this.rejected
    this.rows = []
    this.rejected = []
    const span = this.req.to - this.req.from
    return {
      bars: s,
      rejected,
      progress: {
        barsFetched: this.barsFetched,
        requests: this.requests,
        fraction: span > 0 ? Math.min(1, (this.nextFrom - this.req.from) / span) : 1,
      },
      resume: this.resumeState(),
    }
  }

  /** The state to save so that a later run continues after the last delivered bar. */
  resumeState(): ResumeState {
    return {
      provider: this.provider,
      symbol: this.req.symbol,
      timeframe: this.req.timeframe,
      nextFrom: this.nextFrom,
      to: this.req.to,
      barsFetched: this.barsFetched,
    }
  }

  private advance(t: EpochMs): void {
    if (t + this.tfMs > this.nextFrom) this.nextFrom = Math.min(t + this.tfMs, this.req.to)
  }
}
