/** The U-shaped intraday volume profile: heavy at the open and the close, light at midday. */

/**
 * Volume multiplier at session position `x` ∈ [0, 1): `(1 + k·(2x−1)²) / (1 + k/3)`, which averages 1 over
 * the session. `k = 0` is flat; the default 3 gives 2× at the open and close and 0.5× at midday.
 */
export function uShape(x: number, k = 3): number {
  const d = 2 * x - 1
  return (1 + k * d * d) / (1 + k / 3)
}
