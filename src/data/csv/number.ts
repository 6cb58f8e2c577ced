/**
 * Byte-level decimal parsing for CSV fields. The fast path (≤ 15 significant digits, no exponent) divides an
 * exact integer mantissa by an exact power of ten, which IEEE-754 rounds correctly, so the result equals
 * `Number(text)`; anything else falls back to `Number` on a strictly checked string.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i)
const STRICT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const decoder = new TextDecoder('latin1')

/** Parses a decimal number in `b[start, end)` (spaces and surrounding quotes allowed); NaN when it is not one. */
export function parseDecimal(b: Uint8Array, start: number, end: number): number {
  while (start < end && b[start] === 32) start++
  while (end > start && b[end - 1] === 32) end--
  if (end - start >= 2 && b[start] === 34 && b[end - 1] === 34) {
    start++
    end--
  }
  if (start === end) return NaN
  let i = start
  let neg = false
  if (b[i] === 45) {
    neg = true
    i++
  } else if (b[i] === 43) i++
  let m = 0
  let nd = 0
  let scale = 0
  let any = false
  while (i < end) {
    const c = b[i]! - 48
    if (c < 0 || c > 9) break
    if (nd > 0 || c !== 0) nd++
    m = m * 10 + c
    any = true
    i++
  }
  if (i < end && b[i] === 46) {
    i++
    while (i < end) {
      const c = b[i]! - 48
      if (c < 0 || c > 9) break
      if (nd > 0 || c !== 0) nd++
      m = m * 10 + c
      scale++
      any = true
      i++
    }
  }
  if (i === end && any && nd <= 15 && scale <= 22) {
    const v = scale === 0 ? m : m / POW10[scale]!
    return neg ? -v : v
  }
  const s = decoder.decode(b.subarray(start, end))
  return STRICT.test(s) ? Number(s) : NaN
}
