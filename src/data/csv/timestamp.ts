/**
 * Byte-level timestamp parsing for CSV rows: epoch seconds / ms / µs / ns, ISO-8601 (`2013-10-04T13:30:00Z`,
 * `2013-10-04 13:30`, with or without offset), `YYYY-MM-DD`, `yyyyMMdd`, `yyyyMMdd HH:mm[:ss]`.
 * No allocation per row: the parse writes into a small result object.
 */

/** How the timestamps of a file are written. */
export type TimestampKind = 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns' | 'calendar'

/** Result slot of {@link parseCalendarTime}: `ms` as if UTC, and whether the text carried a zone. */
export interface TimeSlot {
  ms: number
  zoned: boolean
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

const MDAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

function digits(b: Uint8Array, i: number, n: number, end: number): number {
  if (i + n > end) return -1
  let v = 0
  for (let k = 0; k < n; k++) {
    const c = b[i + k]! - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/**
 * Parses a calendar timestamp in `b[start, end)` into `out`. Returns false when the text is not one of the
 * supported forms or names an impossible date or time.
 */
export function parseCalendarTime(b: Uint8Array, start: number, end: number, out: TimeSlot): boolean {
  let i = start
  const y = digits(b, i, 4, end)
  if (y < 0) return false
  i += 4
  let mo: number
  let d: number
  const sep = b[i]
  if (sep === 45 || sep === 47 || sep === 46) {
    // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
    mo = digits(b, i + 1, 2, end)
    if (mo < 0 || b[i + 3] !== sep) return false
    d = digits(b, i + 4, 2, end)
    i += 6
  } else {
    mo = digits(b, i, 2, end)
    d = digits(b, i + 2, 2, end)
    i += 4
  }
  if (mo < 1 || mo > 12 || d < 1 || d > MDAYS[mo]! || (mo === 2 && d === 29 && !leap(y))) return false
  let ms = daysFromCivil(y, mo, d) * 86_400_000
  out.zoned = false
  if (i < end) {
    const t = b[i]
    if (t !== 84 && t !== 32 && t !== 116) return zoneSuffix(b, i, end, out, ms) // 'T', ' ', 't'
    i++
    const hh = digits(b, i, 2, end)
    if (hh < 0 || hh > 24) return false
    i += 2
    let mm: number
    if (b[i] === 58) {
      mm = digits(b, i + 1, 2, end)
      i += 3
    } else {
      mm = digits(b, i, 2, end)
      i += 2
    }
    if (mm < 0 || mm > 59) return false
    let ss = 0
    let frac = 0
    if (i < end && (b[i] === 58 || (b[i]! >= 48 && b[i]! <= 57))) {
      if (b[i] === 58) i++
      ss = digits(b, i, 2, end)
      if (ss < 0 || ss > 60) return false
      i += 2
      if (i < end && (b[i] === 46 || b[i] === 44)) {
        i++
        let scale = 100
        const s0 = i
        while (i < end && b[i]! >= 48 && b[i]! <= 57) {
          frac += (b[i]! - 48) * scale
          scale /= 10
          i++
        }
        if (i === s0) return false
        frac = Math.round(frac * 1000) / 1000
      }
    }
    if (hh === 24 && (mm !== 0 || ss !== 0 || frac !== 0)) return false
    ms += hh * 3_600_000 + mm * 60_000 + ss * 1000 + frac
  }
  return zoneSuffix(b, i, end, out, ms)
}

function zoneSuffix(b: Uint8Array, i: number, end: number, out: TimeSlot, ms: number): boolean {
  while (i < end && b[i] === 32) i++
  if (i === end) {
    out.ms = ms
    return true
  }
  const c = b[i]
  if ((c === 90 || c === 122) && i + 1 === end) {
    out.ms = ms
    out.zoned = true
    return true
  }
  if (end - i === 3 && (c === 85 || c === 117) && (b[i + 1]! | 32) === 116 && (b[i + 2]! | 32) === 99) {
    out.ms = ms // "UTC"
    out.zoned = true
    return true
  }
  if (c === 43 || c === 45) {
    const hh = digits(b, i + 1, 2, end)
    if (hh < 0 || hh > 14) return false
    let j = i + 3
    let mm = 0
    if (j < end) {
      if (b[j] === 58) j++
      mm = digits(b, j, 2, end)
      if (mm < 0 || mm > 59) return false
      j += 2
    }
    if (j !== end) return false
    const off = (hh * 60 + mm) * 60_000
    out.ms = c === 43 ? ms - off : ms + off
    out.zoned = true
    return true
  }
  return false
}

/**
 * Parses a decimal integer (optionally with a fraction, optionally negative: times before 1970) in
 * `b[start, end)`; NaN if not one.
 */
export function parseEpochNumber(b: Uint8Array, start: number, end: number): number {
  let v = 0
  const neg = b[start] === 45
  let i = neg ? start + 1 : start
  let any = false
  while (i < end && b[i]! >= 48 && b[i]! <= 57) {
    v = v * 10 + (b[i]! - 48)
    i++
    any = true
  }
  if (i < end && b[i] === 46) {
    i++
    let scale = 0.1
    while (i < end && b[i]! >= 48 && b[i]! <= 57) {
      v += (b[i]! - 48) * scale
      scale /= 10
      i++
      any = true
    }
  }
  return any && i === end ? (neg ? -v : v) : NaN
}

/** Multiplier from an epoch number of `kind` to ms. */
export const EPOCH_TO_MS: Record<Exclude<TimestampKind, 'calendar'>, number> = {
  epoch_s: 1000,
  epoch_ms: 1,
  epoch_us: 1e-3,
  epoch_ns: 1e-6,
}

/**
 * Decides how a sample timestamp is written. Plain numbers are epochs whose unit follows from their size
 * (|n| < 1e11 seconds, < 1e14 ms, < 1e17 µs, else ns; negative before 1970); an 8-digit number that is a valid `yyyyMMdd` date is a date.
 * Returns undefined when the text is neither.
 */
export function detectTimestampKind(b: Uint8Array, start: number, end: number): TimestampKind | undefined {
  const slot: TimeSlot = { ms: 0, zoned: false }
  const n = parseEpochNumber(b, start, end)
  if (Number.isFinite(n)) {
    if (end - start === 8 && parseCalendarTime(b, start, end, slot) && n >= 19000101) return 'calendar'
    const a = Math.abs(n)
    if (a < 1e11) return 'epoch_s'
    if (a < 1e14) return 'epoch_ms'
    if (a < 1e17) return 'epoch_us'
    return 'epoch_ns'
  }
  return parseCalendarTime(b, start, end, slot) ? 'calendar' : undefined
}
