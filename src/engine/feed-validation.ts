/**
 * Validation at the feed: every bar the engine shows to indicators and strategies has passed the data layer's
 * three stages, checked chunk by chunk with the checks' state carried across chunks, so a streamed run holds
 * one chunk at a time. Stage 1's per-row checks (values, OHLC consistency, positive prices, volume, duplicate
 * and out-of-order times) and stage 2's (close = open + timeframe, increasing, not overlapping) quarantine the
 * rows that fail, with their reasons; stage 3 (`validateForFeatures`: finite values, at least `minBars` bars)
 * must pass before the strategies start, or the run is refused.
 *
 * The checks that need a whole series (bad ticks and outlier returns by robust statistics, splits, calendar
 * gaps) belong to the import: a file's inspection runs them before its bars become a feed, and a store holds
 * only bars that passed them.
 *
 * Carried state: stage 1 compares a row with the last row it accepted; stage 2 checks each row's close time on
 * its own, then order and overlap against the previous row with a good close time. Those two rows are kept
 * between chunks and put before the next one, so a chunked check equals a whole-series one
 * (`feed-validation.test.ts` checks it at every chunk boundary).
 */
import { KestrelError, allocBarSeries, isoUtc, parseTimeframe, sliceSeries } from '../core/index.ts'
import type { BarSeries } from '../core/index.ts'
import {
  partitionSeries,
  validateForFeatures,
  validateIngest,
  validateTransform,
  type Finding,
  type QuarantinedRow,
} from '../data/index.ts'
import { iteratorOf, type BarFeed } from './data-engine.ts'

/** Largest chunk checked at once; longer chunks (a whole file) are checked in views of this size. */
const MAX_CHUNK = 65_536

/** What a feed's validation found. */
export interface FeedReport {
  readonly instrumentId: string
  readonly timeframe: string
  /** Where the bars came from (a file path), else `instrument timeframe`. */
  readonly source: string
  /** Rows that reached the feed, plus those its source had already set aside. */
  readonly rowsIn: number
  /** Rows the engine saw (or would have seen, for a refused run: those checked so far). */
  readonly rowsAccepted: number
  /** Every row not used, with its reasons: those the source set aside, then those the feed did. */
  readonly quarantine: readonly QuarantinedRow[]
  /** Warnings of the feed's checks by reason (rows kept). */
  readonly warnings: Readonly<Record<string, number>>
  /** Stage-3 errors: why the run was refused. */
  readonly errors: readonly Finding[]
}

/** Options of {@link FeedChecker}. */
export interface FeedCheckOptions {
  readonly instrumentId: string
  readonly timeframe: string
  /** Name in messages and quarantine rows (a file path). Default `instrument timeframe`. */
  readonly source?: string
  /** Rows the source set aside before the feed (a file's inspection), reported with the feed's own. */
  readonly quarantined?: readonly QuarantinedRow[]
  /** Rows the source read, counting those in `quarantined` (default: the feed's rows + `quarantined`). */
  readonly rowsRead?: number
  /**
   * Run the validation's own checks on every chunk even when the quick scan finds a chunk clean (slower: for
   * tests and audits that compare the two). Default false.
   */
  readonly exhaustive?: boolean
}

/**
 * Stage 1 and 2 of one feed, chunk by chunk: {@link check} returns the rows that pass and quarantines the
 * others. Holds one row of state between chunks, never the series.
 */
export class FeedChecker {
  readonly instrumentId: string
  readonly timeframe: string
  readonly source: string
  private readonly tfMs: number
  private readonly label: string
  private readonly prior: readonly QuarantinedRow[]
  private readonly own: QuarantinedRow[] = []
  private readonly warnings: Record<string, number> = {}
  /** The last row stage 1 accepted (one-row series): the next chunk's first rows are compared with it. */
  private last1: BarSeries | undefined
  /** Its place in the feed (0-based), which names it in messages. */
  private last1Row = -1
  /** The last row with a good close time: stage 2 compares the next chunk's first row with it. */
  private last2: BarSeries | undefined
  /** True while `last1` and `last2` are the same row (no bad close time since the last row stage 1 accepted). */
  private sameCarry = true
  private rows = 0
  private accepted = 0
  private readonly rowsRead: number | undefined
  private readonly exhaustive: boolean
  /** Chunks the quick scan passed: stage 3 has nothing to find in them either (every value is finite). */
  private readonly quick = new WeakSet<BarSeries>()

  constructor(opts: FeedCheckOptions) {
    this.exhaustive = opts.exhaustive ?? false
    this.instrumentId = opts.instrumentId
    this.timeframe = opts.timeframe
    this.tfMs = parseTimeframe(opts.timeframe).ms
    this.label = `${opts.instrumentId} ${opts.timeframe}`
    this.source = opts.source ?? this.label
    this.prior = opts.quarantined ?? []
    this.rowsRead = opts.rowsRead
  }

  /** Checks the next chunk (rows in time order, after the previous chunk's); returns the rows that pass. */
  check(chunk: BarSeries): BarSeries {
    const n = chunk.openTime.length
    if (n === 0) return chunk
    const offset = this.rows
    this.rows += n
    if (this.clean(chunk, offset)) return chunk
    // Stage 1, after the last row it accepted.
    const c = this.last1 ? 1 : 0
    const x = allocBarSeries(this.instrumentId, this.timeframe, n + c)
    if (this.last1) copyRows(this.last1, 0, x, 0, 1)
    copyRows(chunk, 0, x, c, n)
    // A close time of 0 means "not given": the bar closes one timeframe after it opens (as the data engine reads it).
    for (let i = c; i < n + c; i++) if (x.closeTime[i] === 0) x.closeTime[i] = x.openTime[i]! + this.tfMs
    // Rows are named by their place in the feed, the carried row by its own.
    const rowNumbers = new Float64Array(n + c)
    for (let i = 0; i < n + c; i++) rowNumbers[i] = offset - c + i
    if (c) rowNumbers[0] = this.last1Row
    const s1 = validateIngest(x, { source: this.source, rowChecksOnly: true, rowNumbers })
    const bad = s1.rejected
    bad.fill(0, 0, c) // the carried row passed before: it is context, not input
    const byRow = new Map<number, Finding[]>()
    const note = (i: number, f: Finding) => {
      bad[i] = 1
      const list = byRow.get(i)
      if (list) list.push(f)
      else byRow.set(i, [f])
    }
    for (const f of s1.findings) {
      if (f.index === undefined || f.index < c) continue
      if (f.severity === 'error') note(f.index, f)
      else this.warnings[f.reason] = (this.warnings[f.reason] ?? 0) + 1
    }
    const p1 = partitionSeries(x, bad)
    const last = p1.acceptedIndex.length > 0 ? p1.acceptedIndex[p1.acceptedIndex.length - 1]! : -1
    if (last >= c) {
      this.last1 = copyRow(x, last, this.last1)
      this.last1Row = offset - c + last
    }
    // Stage 2, first each row's close time on its own ...
    for (const f of this.transform(p1.accepted)) {
      if (f.reason !== 'BAD_CLOSE_TIME') continue
      const i = p1.acceptedIndex[f.index!]!
      if (i >= c) note(i, f)
    }
    // ... then order and overlap, each row after the previous one with a good close time.
    const good = partitionSeries(
      x,
      bad.map((b, i) => (i < c ? 1 : b)),
    )
    const c2 = this.last2 ? 1 : 0
    const y = allocBarSeries(this.instrumentId, this.timeframe, good.acceptedIndex.length + c2)
    if (this.last2) copyRows(this.last2, 0, y, 0, 1)
    copyRows(good.accepted, 0, y, c2, good.acceptedIndex.length)
    if (y.openTime.length > c2) this.last2 = copyRow(y, y.openTime.length - 1, this.last2)
    const last2 = good.acceptedIndex.length > 0 ? good.acceptedIndex[good.acceptedIndex.length - 1]! : -1
    if (last >= c) this.sameCarry = last === last2
    for (const f of this.transform(y)) if (f.index! >= c2) note(good.acceptedIndex[f.index! - c2]!, f)
    const out = partitionSeries(
      x,
      bad.map((b, i) => (i < c ? 0 : b)),
    )
    for (const i of out.rejectedIndex) {
      const fs = byRow.get(i)!
      this.own.push({
        source: this.source,
        instrumentId: this.instrumentId,
        timeframe: this.timeframe,
        timestamp: Number.isFinite(x.openTime[i]!) ? x.openTime[i] : undefined,
        field: fs[0]!.field,
        reason: fs[0]!.reason,
        message: fs.map((f) => f.message).join('; '),
        severity: 'error',
        raw: JSON.stringify({
          openTime: x.openTime[i],
          closeTime: chunk.closeTime[i - c],
          open: x.open[i],
          high: x.high[i],
          low: x.low[i],
          close: x.close[i],
          volume: x.volume[i],
        }),
      })
    }
    const kept = out.accepted.openTime.length - c
    this.accepted += kept
    return sliceSeries(out.accepted, c, c + kept)
  }

  /**
   * The common case, without copying the chunk: every close time given, no row fails stage 1 or 2 on its own,
   * and its first row passes both after the carried rows (checked as a two-row series, so the same rules
   * decide). Otherwise {@link check} copies the chunk behind the carried rows and checks it whole.
   */
  private clean(chunk: BarSeries, offset: number): boolean {
    const n = chunk.openTime.length
    if (!this.sameCarry) return false
    // The quick scan needs every close time to be open + timeframe, so it never passes a missing one (0).
    if (!this.exhaustive && this.quickScan(chunk)) {
      this.quick.add(chunk)
    } else {
      for (let i = 0; i < n; i++) if (chunk.closeTime[i] === 0) return false
      // Messages are not kept from here: any error sends the chunk to the full check.
      const s1 = validateIngest(chunk, { source: this.source, rowChecksOnly: true })
      if (s1.errors > 0 || this.transform(chunk).length > 0) return false
      if (this.last1) {
        const pair = allocBarSeries(this.instrumentId, this.timeframe, 2)
        copyRows(this.last1, 0, pair, 0, 1)
        copyRows(chunk, 0, pair, 1, 1)
        if (validateIngest(pair, { source: this.source, rowChecksOnly: true }).errors > 0) return false
        // sameCarry: the last row stage 1 accepted is also the last with a good close time.
        if (this.transform(pair).length > 0) return false
      }
      for (const f of s1.findings) this.warnings[f.reason] = (this.warnings[f.reason] ?? 0) + 1
    }
    this.last1 = copyRow(chunk, n - 1, this.last1)
    this.last1Row = offset + n - 1
    this.last2 = copyRow(chunk, n - 1, this.last2)
    this.accepted += n
    return true
  }

  /**
   * One pass over the chunk's columns: true only when stage 1's row checks and stage 2's checks, run after the
   * carried row, would find nothing at all, not even a warning. Every condition is one of theirs, some stricter
   * (a positive volume, since zero volume is a warning; a finite sum of the values, which implies each is finite),
   * so a chunk that passes holds no row they would reject or note, and their findings (none) need not be built.
   * Any doubt returns false, and the checks themselves run. Called with `sameCarry` (last1 is last2).
   */
  private quickScan(chunk: BarSeries): boolean {
    if (chunk.timeframe !== this.timeframe) return false
    const tf = this.tfMs
    const { openTime: T, closeTime: E, open: O, high: H, low: L, close: C, volume: V } = chunk
    let prevT = this.last1 ? this.last1.openTime[0]! : -Infinity
    let prevE = this.last1 ? this.last1.closeTime[0]! : -Infinity
    for (let i = 0; i < T.length; i++) {
      const t = T[i]!
      const e = E[i]!
      const o = O[i]!
      const h = H[i]!
      const l = L[i]!
      const c = C[i]!
      const v = V[i]!
      // stage 1: finite, positive prices, positive volume, high and low around open and close, after the last row
      // stage 2: close = open + timeframe, increasing, not overlapping the previous bar
      if (!(
        t > prevT &&
        prevE <= t &&
        e === t + tf &&
        Number.isFinite(t) &&
        Number.isFinite(o + h + l + c + v) &&
        o > 0 &&
        c > 0 &&
        l > 0 &&
        v > 0 &&
        h >= o &&
        h >= c &&
        l <= o &&
        l <= c
      ))
        return false
      prevT = t
      prevE = e
    }
    return true
  }

  /** Stage 2's per-row findings over `s` (the row accounting is the checker's own: every row is kept or quarantined). */
  private transform(s: BarSeries): Finding[] {
    const n = s.openTime.length
    const r = validateTransform(s, { rowsIn: n, quarantined: 0 }, this.source)
    for (const f of r.findings) {
      if (f.index === undefined) throw new KestrelError('INTERNAL', `${this.source}: ${f.message}`, { finding: f })
    }
    return r.findings
  }

  /** Stage 3 over rows that passed: finite values and, when `minBars` is given, at least that many rows. */
  features(accepted: BarSeries, minBars = 0): Finding[] {
    if (minBars <= accepted.openTime.length && this.quick.has(accepted)) return []
    const r = validateForFeatures(accepted, minBars, this.label)
    return r.findings.filter((f) => f.severity === 'error')
  }

  /** The report so far; `errors` are the stage-3 errors the caller found. */
  report(errors: readonly Finding[] = []): FeedReport {
    const quarantine = [...this.prior, ...this.own]
    return {
      instrumentId: this.instrumentId,
      timeframe: this.timeframe,
      source: this.source,
      rowsIn: this.rowsRead ?? this.rows + this.prior.length,
      rowsAccepted: this.accepted,
      quarantine,
      warnings: { ...this.warnings },
      errors,
    }
  }
}

/** A bar feed whose chunks pass through a {@link FeedChecker}, with stage 3 before the first bar is shown. */
export class ValidatedFeed {
  readonly checker: FeedChecker
  /** The same feed, its data replaced by the rows that pass. */
  readonly feed: BarFeed
  private readonly it: Iterator<unknown> | AsyncIterator<unknown>
  /** The source chunk being read, and where: chunks longer than MAX_CHUNK (a whole file) are read in views. */
  private pending: BarSeries | undefined
  private at = 0
  private readonly head: BarSeries[] = []
  private errors: Finding[] = []
  private primed = false

  constructor(
    source: BarFeed,
    private readonly minBars = 1,
    private readonly maxChunk = MAX_CHUNK,
  ) {
    this.checker = new FeedChecker({
      instrumentId: source.instrumentId,
      timeframe: source.timeframe,
      source: source.source,
      quarantined: source.quarantined,
      rowsRead: source.rowsRead,
    })
    this.it = iteratorOf(source.data)
    this.feed = {
      instrumentId: source.instrumentId,
      timeframe: source.timeframe,
      data: { [Symbol.asyncIterator]: () => this.chunks() },
    }
  }

  /**
   * Reads and checks chunks until `minBars` rows have passed (or the data ends), then runs stage 3 on them.
   * Resolves to the stage-3 errors: none means the feed may start.
   */
  async prime(): Promise<readonly Finding[]> {
    if (this.primed) return this.errors
    this.primed = true
    let n = 0
    while (n < this.minBars) {
      const chunk = await this.next()
      if (!chunk) break
      if (chunk.openTime.length === 0) continue
      n += chunk.openTime.length
      // A source may refill a chunk's buffer once the next is asked for: keep a copy of any chunk held back.
      this.head.push(n < this.minBars ? copySeries(chunk) : chunk)
    }
    const seen = concat(this.checker.instrumentId, this.checker.timeframe, this.head)
    this.errors = this.checker.features(seen, this.minBars)
    return this.errors
  }

  /** What validation found so far. */
  report(): FeedReport {
    return this.checker.report(this.errors)
  }

  private async next(): Promise<BarSeries | undefined> {
    if (!this.pending || this.at >= this.pending.openTime.length) {
      const r = await this.it.next()
      if (r.done) {
        this.pending = undefined
        return undefined
      }
      this.pending = r.value as BarSeries
      this.at = 0
    }
    const p = this.pending
    const end = Math.min(p.openTime.length, this.at + this.maxChunk)
    const view = this.at === 0 && end === p.openTime.length ? p : sliceSeries(p, this.at, end)
    this.at = end
    return this.checker.check(view)
  }

  private async *chunks(): AsyncGenerator<BarSeries> {
    if (!this.primed) throw new KestrelError('STATE_INVALID', `feed ${this.checker.source}: read before prime()`)
    if (this.errors.length > 0) return
    while (this.head.length > 0) yield this.head.shift()!
    for (;;) {
      const chunk = await this.next()
      if (!chunk) return
      if (chunk.openTime.length === 0) continue
      const errors = this.checker.features(chunk)
      if (errors.length > 0) {
        this.errors = errors
        throw refusal([this.report()], 'stopped')
      }
      yield chunk
    }
  }
}

/**
 * The error of a run whose data is unusable: which feeds, why, and every quarantined row (in `details`).
 * `when` is `refused` before the start, `stopped` when a later chunk failed stage 3 (the run has no result).
 */
export function refusal(reports: readonly FeedReport[], when: 'refused' | 'stopped' = 'refused'): KestrelError {
  const failing = reports.filter((r) => r.errors.length > 0)
  const why = failing.map((r) => {
    const q = r.quarantine.length
    const quarantined = `${q} row${q === 1 ? '' : 's'} quarantined`
    if (r.rowsAccepted === 0) {
      const first = r.quarantine[0] ? `, first: ${r.quarantine[0].message}` : ''
      return `${r.instrumentId} ${r.timeframe}: 0 bars passed validation (${quarantined}${first})`
    }
    return `${r.errors.map((e) => e.message).join('; ')} (${quarantined})`
  })
  return new KestrelError(
    'DATA_VALIDATION_FAILED',
    `backtest ${when === 'refused' ? 'refused' : 'stopped'}: ${why.join('; ')}`,
    {
      feeds: reports.map(({ quarantine: _q, ...r }) => r),
      quarantine: reports.flatMap((r) => r.quarantine),
    },
  )
}

/** A quarantined row as reports print it: ISO timestamp, no raw text. */
export function quarantineJson(q: QuarantinedRow): Record<string, unknown> {
  return {
    source: q.source,
    ...(q.line !== undefined ? { line: q.line } : {}),
    ...(q.timestamp !== undefined ? { timestamp: isoUtc(q.timestamp) } : {}),
    ...(q.field !== undefined ? { field: q.field } : {}),
    reason: q.reason,
    message: q.message,
  }
}

/** Row `i` of `from` into `into` (a one-row series, allocated when absent). */
function copyRow(from: BarSeries, i: number, into: BarSeries | undefined): BarSeries {
  const out = into ?? allocBarSeries(from.instrumentId, from.timeframe, 1)
  copyRows(from, i, out, 0, 1)
  return out
}

function copyRows(from: BarSeries, i: number, to: BarSeries, j: number, n: number): void {
  to.openTime.set(from.openTime.subarray(i, i + n), j)
  to.closeTime.set(from.closeTime.subarray(i, i + n), j)
  to.open.set(from.open.subarray(i, i + n), j)
  to.high.set(from.high.subarray(i, i + n), j)
  to.low.set(from.low.subarray(i, i + n), j)
  to.close.set(from.close.subarray(i, i + n), j)
  to.volume.set(from.volume.subarray(i, i + n), j)
}

function copySeries(s: BarSeries): BarSeries {
  const out = allocBarSeries(s.instrumentId, s.timeframe, s.openTime.length)
  copyRows(s, 0, out, 0, s.openTime.length)
  return out
}

function concat(instrumentId: string, timeframe: string, parts: readonly BarSeries[]): BarSeries {
  if (parts.length === 1) return parts[0]!
  const out = allocBarSeries(
    instrumentId,
    timeframe,
    parts.reduce((a, p) => a + p.openTime.length, 0),
  )
  let j = 0
  for (const p of parts) {
    copyRows(p, 0, out, j, p.openTime.length)
    j += p.openTime.length
  }
  return out
}
