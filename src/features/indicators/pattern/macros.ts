/** TA-Lib's `min` and `max` macros, argument order kept (with NaN they return the second argument). */

/** TA-Lib's `min` macro: `a < b ? a : b` (with NaN, the second). */
export function min(a: number, b: number): number {
  return a < b ? a : b
}

/** TA-Lib's `max` macro: `a > b ? a : b` (with NaN, the second). */
export function max(a: number, b: number): number {
  return a > b ? a : b
}
