/**
 * The CSV bar parser: bytes in (in chunks of any size), a columnar {@link BarSeries} out, plus one quarantined
 * row per malformed line (wrong column count, a field that is not a number, a bad timestamp), with the file,
 * line and raw text. A bad line never stops the parse and never costs a good line.
 */
import { KestrelError, barTimes, parseAnyTimeframe } from '../../core/index.ts'
import type { AnyTimeframe, BarSeries } from '../../core/index.ts'
import type { QuarantinedRow } from '../store/types.ts'
import { RowColumns } from './columns.ts'
import { detectLayout, type BarField, type CsvLayout } from './header.ts'
import { FastLine } from './fast-line.ts'
import { parseDecimal } from './number.ts'
import { quoteText } from './quote.ts'
import { EPOCH_TO_MS, detectTimestampKind, parseCalendarTime, type TimeSlot, type TimestampKind } from './timestamp.ts'
import { inferTimeframeMs, timeframeOfSpacing } from './timeframe.ts'
import { zoneConverter, type ZoneConverter } from './timezone.ts'

/** How to read a bar file. */
export interface CsvOptions {
  /** Name used in messages and quarantine rows (usually the file path). */
  readonly source?: string
  readonly instrumentId?: string
  /** Bar length (`1m`, `1d`); inferred from the median spacing when absent. */
  readonly timeframe?: string
  /** IANA zone of timestamps written without an offset. Default UTC. */
  readonly timezone?: string
  /** Whether a row's timestamp is the bar's open (default) or its close. */
  readonly stampedAt?: 'open' | 'close'
  /** Capacity hint (rows) to avoid regrowing the columns. */
  readonly expectedRows?: number
  /** Reads every line through the general path, never the one-pass reader (for tests that compare the two). */
  readonly generalPathOnly?: boolean
}

/** What the parser saw and decided. */
export interface CsvInfo {
  readonly layout: CsvLayout
  readonly timestampKind: TimestampKind | undefined
  readonly timezone: string
  readonly timeframe: string
  readonly timeframeInferred: boolean
  readonly stampedAt: 'open' | 'close'
  /** Data lines read (good + quarantined), not counting the header and blank lines. */
  readonly rowsRead: number
  readonly blankLines: number
  /** True when the file was newest-first and was reversed into time order. */
  readonly reversed: boolean
}

/** Parsed bars, where each came from, and the lines that could not be parsed. */
export interface CsvParseResult {
  readonly series: BarSeries
  /** 1-based file line of each bar. */
  readonly lines: Int32Array
  /** Byte offset in the file of each bar's row. */
  readonly offsets: Float64Array
  readonly problems: QuarantinedRow[]
  readonly info: CsvInfo
}

const NL = 10
const CR = 13
const QUOTE = 34
const decoder = new TextDecoder('utf-8')
const NUMERIC: readonly BarField[] = ['open', 'high', 'low', 'close', 'volume']

/** Streaming parser: `push` chunks, then `finish`. */
export class CsvBarParser {
  private readonly source: string
  private readonly zone: ZoneConverter
  private readonly rows: RowColumns
  private readonly problems: QuarantinedRow[] = []
  private layout: CsvLayout | undefined
  private delim = 44
  private kind: TimestampKind | undefined
  private col: Int32Array = new Int32Array(8).fill(-1)
  private starts = new Int32Array(64)
  private ends = new Int32Array(64)
  private carry: Uint8Array | undefined
  private carryOffset = 0
  private base = 0
  private lineNo = 0
  private rowsRead = 0
  private blank = 0
  private readonly slot: TimeSlot = { ms: 0, zoned: false }
  /** The one-pass reader of well-formed rows, once the layout and the time kind are known (null: not usable). */
  private fast: FastLine | null | undefined

  constructor(private readonly opts: CsvOptions = {}) {
    this.source = opts.source ?? '<csv>'
    this.zone = zoneConverter(opts.timezone ?? 'UTC', `${this.source}: timezone`)
    this.rows = new RowColumns(opts.expectedRows ?? 1024)
  }

  /** Feeds the next bytes of the file. */
  push(input: Uint8Array): void {
    // One element kind for every byte array the hot loop sees (Buffers and plain views would make it polymorphic).
    const chunk =
      input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    let pos = 0
    if (this.carry) {
      const nl = chunk.indexOf(NL)
      if (nl < 0) {
        const merged = new Uint8Array(this.carry.length + chunk.length)
        merged.set(this.carry)
        merged.set(chunk, this.carry.length)
        this.carry = merged
        this.base += chunk.length
        return
      }
      const merged = new Uint8Array(this.carry.length + nl)
      merged.set(this.carry)
      merged.set(chunk.subarray(0, nl), this.carry.length)
      this.line(merged, 0, merged.length, this.carryOffset)
      this.carry = undefined
      pos = nl + 1
    } else if (this.lineNo === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      pos = 3 // UTF-8 byte-order mark
    }
    const base = this.base
    const len = chunk.length
    let fast = this.fast
    while (pos < len) {
      if (fast) {
        const next = fast.read(chunk, pos, len)
        if (next >= 0 && this.take(fast, base + pos)) {
          pos = next
          continue
        }
      }
      const nl = chunk.indexOf(NL, pos)
      if (nl < 0) break
      this.line(chunk, pos, nl, base + pos)
      pos = nl + 1
      if (fast === undefined) fast = this.fastLine()
    }
    if (pos < chunk.length) {
      this.carry = chunk.slice(pos)
      this.carryOffset = base + pos
    }
    this.base += chunk.length
  }

  /** Ends the input and returns the parsed bars. */
  finish(): CsvParseResult {
    if (this.carry) {
      const c = this.carry
      this.carry = undefined
      this.line(c, 0, c.length, this.carryOffset)
    }
    if (!this.layout) {
      throw new KestrelError('DATA_BAD_FILE', `${this.source}: no data (the file is empty)`, { source: this.source })
    }
    const r = this.rows
    const n = r.length
    let up = 0
    let down = 0
    for (let i = 1; i < n; i++) {
      const d = r.time[i]! - r.time[i - 1]!
      if (d > 0) up++
      else if (d < 0) down++
    }
    // Newest-first files step down almost everywhere; a file merely shuffled (swapped in pairs) stays as it is.
    const reversed = down > 2 * up
    if (reversed) r.reverse()
    const time = r.time.subarray(0, n)
    let tf: AnyTimeframe
    let tfText: string
    const inferred = this.opts.timeframe === undefined
    if (!inferred) {
      tf = parseAnyTimeframe(this.opts.timeframe!)
      tfText = tf.text
    } else {
      const m = n === 0 ? 0 : inferTimeframeMs(time)
      if (m === undefined) throw this.unknownTimeframe(n)
      tfText = m === 0 ? 'unknown' : timeframeOfSpacing(m)
      tf = m === 0 ? { text: tfText, ms: 0, unit: 's', count: 0 } : parseAnyTimeframe(tfText)
    }
    const stampedAt = this.opts.stampedAt ?? 'open'
    const { openTime, closeTime } =
      stampedAt === 'open' && tf.unit !== 'mo'
        ? { openTime: time, closeTime: Float64Array.from(time, (t) => t + tf.ms!) }
        : barTimes(time, tf, stampedAt)
    const instrumentId = this.opts.instrumentId ?? ''
    const series: BarSeries = {
      instrumentId,
      timeframe: tfText,
      openTime,
      closeTime,
      open: r.open.subarray(0, n),
      high: r.high.subarray(0, n),
      low: r.low.subarray(0, n),
      close: r.close.subarray(0, n),
      volume: r.volume.subarray(0, n),
    }
    const problems = this.problems.map((p) => ({ ...p, instrumentId: instrumentId || undefined, timeframe: tfText }))
    return {
      series,
      lines: r.line.subarray(0, n),
      offsets: r.offset.subarray(0, n),
      problems,
      info: {
        layout: this.layout,
        timestampKind: this.kind,
        timezone: this.zone.zone,
        timeframe: tfText,
        timeframeInferred: inferred,
        stampedAt,
        rowsRead: this.rowsRead,
        blankLines: this.blank,
        reversed,
      },
    }
  }

  /**
   * The error for a file with too few distinct times to infer the bar length. It names the lines that could not
   * be read too (a tiny file is often short of rows because of them), so that no problem goes unreported.
   */
  private unknownTimeframe(n: number): KestrelError {
    const p = this.problems
    const shown = p.slice(0, 5).map((x) => x.message.slice(this.source.length + 1).trim())
    const unread = p.length
      ? `; ${p.length} line${p.length === 1 ? '' : 's'} could not be read: ${shown.join('; ')}${p.length > shown.length ? `; and ${p.length - shown.length} more` : ''}`
      : ''
    return new KestrelError(
      'DATA_BAD_FILE',
      `${this.source}: cannot infer the timeframe from ${n} valid row${n === 1 ? '' : 's'} (fewer than two distinct times); ` +
        `pass the timeframe (e.g. --timeframe 1m)${unread}`,
      { source: this.source, rows: n, problems: p },
    )
  }

  /** The fast reader for this file's layout, once the first row has fixed the time kind. */
  private fastLine(): FastLine | null | undefined {
    if (!this.layout || this.kind === undefined) return undefined
    const c = this.col
    if (this.opts.generalPathOnly) return (this.fast = null)
    this.fast =
      c[0]! < 0
        ? null
        : (FastLine.for(this.layout.columnCount, this.delim, c[0]!, [c[3]!, c[4]!, c[5]!, c[6]!, c[7]!], this.kind) ??
          null)
    return this.fast
  }

  /** Stores the row the fast reader has just read; false (nothing stored) when its time does not convert. */
  private take(fast: FastLine, offset: number): boolean {
    const v = fast.values
    const t = fast.zoned ? v[0]! : this.zone.toUtc(v[0]!)
    if (Number.isNaN(t)) return false
    this.lineNo++
    this.rowsRead++
    const r = this.rows
    r.ensure()
    const n = r.length
    r.time[n] = t
    r.open[n] = v[1]!
    r.high[n] = v[2]!
    r.low[n] = v[3]!
    r.close[n] = v[4]!
    r.volume[n] = v[5]!
    r.line[n] = this.lineNo
    r.offset[n] = offset
    r.length = n + 1
    return true
  }

  private line(b: Uint8Array, s: number, e: number, offset: number): void {
    this.lineNo++
    if (e > s && b[e - 1] === CR) e--
    let k = s
    while (k < e && (b[k] === 32 || b[k] === 9)) k++
    if (k === e) {
      this.blank++
      return
    }
    if (!this.layout) {
      const text = decoder.decode(b.subarray(s, e))
      this.setLayout(detectLayout(text, this.source, (f) => this.looksLikeTime(f)))
      if (this.layout!.hasHeader) return
    }
    this.rowsRead++
    this.row(b, s, e, offset)
  }

  private looksLikeTime(field: string): boolean {
    const bytes = new TextEncoder().encode(field)
    return detectTimestampKind(bytes, 0, bytes.length) !== undefined
  }

  private setLayout(layout: CsvLayout): void {
    this.layout = layout
    this.delim = layout.delimiter.charCodeAt(0)
    const c = layout.columns
    const order: BarField[] = ['time', 'date', 'clock', 'open', 'high', 'low', 'close', 'volume']
    order.forEach((f, i) => (this.col[i] = c[f] ?? -1))
    if (layout.columnCount + 1 > this.starts.length) {
      this.starts = new Int32Array(layout.columnCount + 1)
      this.ends = new Int32Array(layout.columnCount + 1)
    }
  }

  private row(b: Uint8Array, s: number, e: number, offset: number): void {
    const layout = this.layout!
    const want = layout.columnCount
    const starts = this.starts
    const ends = this.ends
    const delim = this.delim
    const cap = starts.length
    let nf = 0
    let i = s
    // Split on the delimiter; a quoted field ("...") may contain it.
    while (true) {
      if (nf === cap) {
        nf++
        break
      }
      if (i < e && b[i] === QUOTE) {
        let q = b.indexOf(QUOTE, i + 1)
        if (q < 0 || q >= e) q = e
        starts[nf] = i + 1
        ends[nf] = q
        i = q + 1
        while (i < e && b[i] !== delim) i++
      } else {
        starts[nf] = i
        while (i < e && b[i] !== delim) i++
        ends[nf] = i
      }
      nf++
      if (i >= e) break
      i++
    }
    if (nf !== want) {
      this.problem(
        b,
        s,
        e,
        'BAD_COLUMN_COUNT',
        undefined,
        `expected ${want} columns, found ${nf > want ? `more than ${want}` : nf}`,
      )
      return
    }
    const t = this.parseTime(b, s, e)
    if (Number.isNaN(t)) return
    const col = this.col
    const o = this.num(b, s, e, col[3]!, 0)
    if (Number.isNaN(o)) return
    const h = this.num(b, s, e, col[4]!, 1)
    if (Number.isNaN(h)) return
    const l = this.num(b, s, e, col[5]!, 2)
    if (Number.isNaN(l)) return
    const c = this.num(b, s, e, col[6]!, 3)
    if (Number.isNaN(c)) return
    const v = this.num(b, s, e, col[7]!, 4)
    if (Number.isNaN(v)) return
    const r = this.rows
    r.ensure()
    const n = r.length
    r.open[n] = o
    r.high[n] = h
    r.low[n] = l
    r.close[n] = c
    r.volume[n] = v
    r.time[n] = t
    r.line[n] = this.lineNo
    r.offset[n] = offset
    r.length = n + 1
  }

  /** Field `c` as a finite number, or NaN after recording the problem. */
  private num(b: Uint8Array, s: number, e: number, c: number, f: number): number {
    const v = parseDecimal(b, this.starts[c]!, this.ends[c]!)
    if (Number.isFinite(v)) return v
    const text = decoder.decode(b.subarray(this.starts[c]!, this.ends[c]!))
    this.problem(b, s, e, 'NOT_A_NUMBER', NUMERIC[f], `${NUMERIC[f]} ${quoteText(text)} is not a finite number`)
    return NaN
  }

  /** The row's timestamp in UTC ms, or NaN after recording the problem. */
  private parseTime(b: Uint8Array, s: number, e: number): number {
    const col = this.col
    const tc = col[0]!
    const c = tc >= 0 ? tc : col[1]!
    const fs = this.starts[c]!
    let fe = this.ends[c]!
    let fs2 = fs
    while (fs2 < fe && b[fs2] === 32) fs2++
    while (fe > fs2 && b[fe - 1] === 32) fe--
    if (this.kind === undefined) {
      this.kind = detectTimestampKind(b, fs2, fe)
      if (this.kind === undefined) return this.badTime(b, s, e, fs2, fe)
    }
    let t: number
    if (this.kind === 'calendar') {
      if (!parseCalendarTime(b, fs2, fe, this.slot)) return this.badTime(b, s, e, fs2, fe)
      t = this.slot.ms
      let zoned = this.slot.zoned
      if (tc < 0) {
        const cs = this.starts[col[2]!]!
        const ce = this.ends[col[2]!]!
        const clock = parseClock(b, cs, ce)
        if (Number.isNaN(clock)) return this.badTime(b, s, e, cs, ce)
        t += clock
        zoned = false
      }
      if (!zoned) t = this.zone.toUtc(t)
    } else {
      const v = parseDecimal(b, fs2, fe)
      if (Number.isNaN(v)) return this.badTime(b, s, e, fs2, fe)
      t = Math.round(v * EPOCH_TO_MS[this.kind] * 1000) / 1000
    }
    return t
  }

  private badTime(b: Uint8Array, s: number, e: number, fs: number, fe: number): number {
    const text = decoder.decode(b.subarray(fs, fe))
    this.problem(
      b,
      s,
      e,
      'BAD_TIMESTAMP',
      'timestamp',
      `timestamp ${quoteText(text)} is not a ${this.kind ?? 'recognised'} time`,
    )
    return NaN
  }

  private problem(b: Uint8Array, s: number, e: number, reason: string, field: string | undefined, msg: string): void {
    const raw = decoder.decode(b.subarray(s, Math.min(e, s + 1000)))
    this.problems.push({
      source: this.source,
      line: this.lineNo,
      field,
      reason,
      message: `${this.source} line ${this.lineNo}: ${msg}`,
      severity: 'error',
      raw,
    })
  }
}

/** `HH:MM[:SS]` or `HHMM[SS]` → ms into the day; NaN when not a time of day. */
function parseClock(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++
  while (e > s && b[e - 1] === 32) e--
  const slot: TimeSlot = { ms: 0, zoned: false }
  const prefix = new Uint8Array(11 + (e - s))
  prefix.set([49, 57, 55, 48, 45, 48, 49, 45, 48, 49, 84]) // 1970-01-01T
  prefix.set(b.subarray(s, e), 11)
  return parseCalendarTime(prefix, 0, prefix.length, slot) && !slot.zoned ? slot.ms : NaN
}

/** Parses a whole CSV held in memory (string or bytes). */
export function parseCsvBars(input: string | Uint8Array, opts: CsvOptions = {}): CsvParseResult {
  const p = new CsvBarParser(opts)
  p.push(typeof input === 'string' ? new TextEncoder().encode(input) : input)
  return p.finish()
}
