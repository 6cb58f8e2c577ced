/**
 * The common case of the CSV bar parser in one pass over a line's bytes: plain decimal fields (at most 15
 * significant digits, no exponent, no quotes or spaces) and an ISO time (`YYYY-MM-DD[T ]HH:MM:SS[Z]`, or any
 * other form {@link parseCalendarTime} reads), split and converted while scanning, without a second pass per
 * field. It accepts a line only when the general path would read exactly the same values from it; anything
 * else (a quoted field, an exponent, a wrong column count, a bad value, a blank line, a line cut by the end of
 * the chunk) returns -1 and the caller hands the line to the general path, which also writes any problem. So
 * the two paths cannot disagree: this one is only a shortcut to the same numbers.
 */
import { daysFromCivil, parseCalendarTime, type TimeSlot, type TimestampKind, EPOCH_TO_MS } from './timestamp.ts'

const NL = 10
const CR = 13
const QUOTE = 34
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i)
const MDAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
/** Role of a column: not read, or one of the bar's fields. */
const SKIP = -1
const TIME = 0

/** One-pass reader of well-formed rows; see the file comment. */
export class FastLine {
  /** Per column: {@link SKIP}, {@link TIME}, or 1..5 for open, high, low, close, volume. */
  private readonly roles: Int8Array
  private readonly epochScale: number
  /** The columns are exactly time, open, high, low, close, volume. */
  private readonly plain: boolean
  private readonly slot: TimeSlot = { ms: 0, zoned: false }
  private lastYmd = -1
  private lastDayMs = 0
  /** Results of the last accepted line: time as written (UTC ms when `zoned`), then o, h, l, c, v. */
  readonly values = new Float64Array(6)
  zoned = false

  private constructor(
    roles: Int8Array,
    private readonly delim: number,
    private readonly kind: TimestampKind,
  ) {
    this.roles = roles
    this.plain = roles.length === 6 && roles.every((r, c) => r === c)
    this.epochScale = kind === 'calendar' ? 0 : EPOCH_TO_MS[kind]
  }

  /**
   * A reader for `columnCount` columns split on `delim`, with the time in column `time` and the prices and
   * volume in `fields` (open, high, low, close, volume); undefined when the layout is not one it covers (a
   * column read twice).
   */
  static for(
    columnCount: number,
    delim: number,
    time: number,
    fields: readonly number[],
    kind: TimestampKind,
  ): FastLine | undefined {
    const roles = new Int8Array(columnCount).fill(SKIP)
    const cols = [time, ...fields]
    for (let r = 0; r < cols.length; r++) {
      const c = cols[r]!
      if (!(c >= 0 && c < columnCount) || roles[c] !== SKIP) return undefined
      roles[c] = r
    }
    return new FastLine(roles, delim, kind)
  }

  /** Reads the line starting at `pos`; returns the position after its newline, or -1 (general path). */
  read(b: Uint8Array, pos: number, len: number): number {
    return this.plain ? this.readPlain(b, pos, len) : this.readAny(b, pos, len)
  }

  /** The usual layout, `time,open,high,low,close,volume`, in straight-line code. */
  private readPlain(b: Uint8Array, pos: number, len: number): number {
    const delim = this.delim
    let i = pos
    while (i < len) {
      const x = b[i]!
      if (x === delim || x === NL) break
      i++
    }
    if (i >= len || b[i] !== delim || !this.time(b, pos, i)) return -1
    for (let f = 1; f < 5; f++) {
      i = this.decimal(b, i + 1, len, f)
      if (i < 0 || i >= len || b[i] !== delim) return -1
    }
    i = this.decimal(b, i + 1, len, 5)
    if (i < 0) return -1
    if (i < len && b[i] === CR) i++
    return i < len && b[i] === NL ? i + 1 : -1
  }

  /**
   * A plain decimal from `i`, as parseDecimal's exact path reads it (the same mantissa and scale, the same
   * division), into values[f]; returns the position after it, or -1 when that path would not read it.
   */
  private decimal(b: Uint8Array, i: number, len: number, f: number): number {
    let neg = false
    if (i < len && (b[i] === 45 || b[i] === 43)) {
      neg = b[i] === 45
      i++
    }
    let m = 0
    let nd = 0
    let scale = 0
    let any = false
    while (i < len) {
      const d = b[i]! - 48
      if (d < 0 || d > 9) break
      if (nd > 0 || d !== 0) nd++
      m = m * 10 + d
      any = true
      i++
    }
    if (i < len && b[i] === 46) {
      i++
      while (i < len) {
        const d = b[i]! - 48
        if (d < 0 || d > 9) break
        if (nd > 0 || d !== 0) nd++
        m = m * 10 + d
        scale++
        any = true
        i++
      }
    }
    if (!any || nd > 15 || scale > 22) return -1
    const v = scale === 0 ? m : m / POW10[scale]!
    this.values[f] = neg ? -v : v
    return i
  }

  /** Any layout: columns in any order, columns not read. */
  private readAny(b: Uint8Array, pos: number, len: number): number {
    const roles = this.roles
    const delim = this.delim
    const ncol = roles.length
    let i = pos
    for (let c = 0; c < ncol; c++) {
      const role = roles[c]!
      const last = c === ncol - 1
      if (role === SKIP) {
        if (i < len && b[i] === QUOTE) return -1
        while (i < len) {
          const x = b[i]!
          if (x === delim || x === NL) break
          i++
        }
      } else if (role === TIME) {
        const s = i
        while (i < len) {
          const x = b[i]!
          if (x === delim || x === NL) break
          i++
        }
        let e = i
        if (last && e > s && b[e - 1] === CR) e--
        if (!this.time(b, s, e)) return -1
      } else {
        i = this.decimal(b, i, len, role)
        if (i < 0) return -1
        if (last && i < len && b[i] === CR) i++
      }
      if (i >= len) return -1
      const x = b[i]!
      if (last) return x === NL ? i + 1 : -1
      if (x !== delim) return -1
      i++
    }
    return -1
  }

  /** The time in `b[s, e)` into values[0] and `zoned`; false when this path cannot read it. */
  private time(b: Uint8Array, s: number, e: number): boolean {
    if (this.kind !== 'calendar') {
      if (this.decimal(b, s, e, 0) !== e) return false
      this.values[0] = Math.round(this.values[0]! * this.epochScale * 1000) / 1000
      this.zoned = true
      return true
    }
    const n = e - s
    if ((n === 19 || n === 20) && b[s + 4] === 45 && b[s + 7] === 45 && b[s + 13] === 58 && b[s + 16] === 58) {
      const sep = b[s + 10]
      const z = n === 20 ? b[s + 19] : 90
      if ((sep === 84 || sep === 32) && (z === 90 || z === 122)) {
        const y = d4(b, s)
        const mo = d2(b, s + 5)
        const d = d2(b, s + 8)
        const hh = d2(b, s + 11)
        const mm = d2(b, s + 14)
        const ss = d2(b, s + 17)
        if (
          y >= 0 &&
          mo >= 1 &&
          mo <= 12 &&
          d >= 1 &&
          d <= MDAYS[mo]! &&
          hh >= 0 &&
          hh <= 23 &&
          mm >= 0 &&
          mm <= 59 &&
          ss >= 0 &&
          ss <= 59
        ) {
          if (mo === 2 && d === 29 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return false
          const ymd = y * 10000 + mo * 100 + d
          if (ymd !== this.lastYmd) {
            this.lastYmd = ymd
            this.lastDayMs = daysFromCivil(y, mo, d) * 86_400_000
          }
          this.values[0] = this.lastDayMs + hh * 3_600_000 + mm * 60_000 + ss * 1000
          this.zoned = n === 20
          return true
        }
      }
    }
    if (n === 0 || b[s] === 32 || b[e - 1] === 32 || !parseCalendarTime(b, s, e, this.slot)) return false
    this.values[0] = this.slot.ms
    this.zoned = this.slot.zoned
    return true
  }
}

function d2(b: Uint8Array, i: number): number {
  const a = b[i]! - 48
  const c = b[i + 1]! - 48
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1
}

function d4(b: Uint8Array, i: number): number {
  const hi = d2(b, i)
  const lo = d2(b, i + 2)
  return hi >= 0 && lo >= 0 ? hi * 100 + lo : -1
}
