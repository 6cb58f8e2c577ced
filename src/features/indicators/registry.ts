/** The indicator registry: every {@link IndicatorDef} of group A and group B, by lower-case name. */
import { KestrelError } from '../../core/index.ts'
import { catalogA } from './catalog-a.ts'
import { catalogB } from './catalog-b.ts'
import type { IndicatorDef } from './types.ts'

function build(): Map<string, IndicatorDef> {
  const m = new Map<string, IndicatorDef>()
  for (const def of [...catalogA, ...catalogB]) {
    if (m.has(def.name)) {
      throw new KestrelError('INTERNAL', `indicator ${def.name} is registered twice`, { name: def.name })
    }
    m.set(def.name, def)
  }
  return m
}

/** All registered indicators by lower-case name (`rsi`, `macd`, `bbands`, ...). */
export const indicatorRegistry: ReadonlyMap<string, IndicatorDef> = build()

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return row[b.length]
}

/** Registered names closest to `name` (at most 5). */
export function closeIndicatorNames(name: string): string[] {
  const n = name.toLowerCase()
  return [...indicatorRegistry.keys()]
    .map((k) => ({ k, d: k.startsWith(n) || n.startsWith(k) ? 0.5 : distance(n, k) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(n.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 5)
    .map((x) => x.k)
}

/** The indicator named `name` (case-insensitive); unknown names throw SPEC_INVALID listing close names. */
export function getIndicator(name: string): IndicatorDef {
  const def = indicatorRegistry.get(name.toLowerCase())
  if (def !== undefined) return def
  const close = closeIndicatorNames(name)
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''
  throw new KestrelError('SPEC_INVALID', `unknown indicator ${JSON.stringify(name)}${hint}`, {
    name,
    suggestions: close,
  })
}
