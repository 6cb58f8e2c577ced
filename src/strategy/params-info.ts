/**
 * What a strategy's parameter schema declares: each parameter's name, type, default and description (for
 * `kestrel strategy ls`), and the names a raw parameter object may use, so a mistyped name (`stoppct` for
 * `stopPct`) is an error that lists the known ones instead of a key the schema silently strips.
 */
import { z } from 'zod'
import type { StrategyDefinition } from './types.ts'

/** One declared parameter of a strategy. */
export interface StrategyParamInfo {
  readonly name: string
  /** `integer > 0`, `number in [0, 1]`, `boolean`, `"a" | "b"`; `unknown` when the schema says nothing more. */
  readonly type: string
  /** The default value; absent when the parameter has none. */
  readonly default?: unknown
  /** True when the parameter must be given (no default, not optional). */
  readonly required: boolean
  readonly description?: string
}

/** The object shape under a schema, through defaults, optionals, pipes and transforms; undefined otherwise. */
function objectDef(schema: unknown): { shape: Record<string, unknown>; open: boolean } | undefined {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined
  for (let depth = 0; depth < 20 && s?._zod?.def; depth++) {
    const def = s._zod.def
    switch (def.type) {
      case 'object': {
        const catchall = def.catchall as { _zod?: { def?: { type?: string } } } | undefined
        // z.looseObject / .catchall(...) accept extra keys on purpose; z.object strips them, z.strictObject refuses.
        const open = catchall !== undefined && catchall._zod?.def?.type !== 'never'
        return { shape: def.shape as Record<string, unknown>, open }
      }
      case 'pipe':
        s = def.in as typeof s
        break
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'readonly':
      case 'catch':
        s = def.innerType as typeof s
        break
      default:
        return undefined
    }
  }
  return undefined
}

/**
 * The names of the parameters a strategy declares, or undefined when its schema is not an object of named
 * parameters, or accepts extra keys on purpose (`z.looseObject`).
 */
export function knownParamNames(def: Pick<StrategyDefinition, 'params'>): string[] | undefined {
  const o = objectDef(def.params)
  return o && !o.open ? Object.keys(o.shape) : undefined
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/** A JSON-schema property as a short type text: `integer > 0`, `number in (0, 1]`, `"a" | "b"`. */
function typeText(p: Record<string, unknown>): string {
  if (Array.isArray(p.enum)) return p.enum.map(fmt).join(' | ')
  if ('const' in p) return fmt(p.const)
  const base = Array.isArray(p.type) ? p.type.join(' | ') : typeof p.type === 'string' ? p.type : 'unknown'
  const lo =
    typeof p.exclusiveMinimum === 'number'
      ? { v: p.exclusiveMinimum, open: true }
      : typeof p.minimum === 'number' && p.minimum > Number.MIN_SAFE_INTEGER
        ? { v: p.minimum, open: false }
        : undefined
  const hi =
    typeof p.exclusiveMaximum === 'number'
      ? { v: p.exclusiveMaximum, open: true }
      : typeof p.maximum === 'number' && p.maximum < Number.MAX_SAFE_INTEGER
        ? { v: p.maximum, open: false }
        : undefined
  if (lo && hi) return `${base} in ${lo.open ? '(' : '['}${lo.v}, ${hi.v}${hi.open ? ')' : ']'}`
  if (lo) return `${base} ${lo.open ? '>' : '>='} ${lo.v}`
  if (hi) return `${base} ${hi.open ? '<' : '<='} ${hi.v}`
  return base
}

/** Each parameter a strategy declares, in declaration order; empty when its schema is not an object. */
export function describeParams(def: Pick<StrategyDefinition, 'params'>): StrategyParamInfo[] {
  const o = objectDef(def.params)
  if (!o) return []
  let props: Record<string, Record<string, unknown>> = {}
  let required: string[] = []
  try {
    const js = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, Record<string, unknown>>
      required?: string[]
    }
    props = js.properties ?? {}
    required = js.required ?? []
  } catch {
    // A schema JSON Schema cannot express (a custom type): names only, from the shape.
  }
  return Object.keys(o.shape).map((name) => {
    const p = props[name] ?? {}
    return {
      name,
      type: typeText(p),
      ...('default' in p ? { default: p.default } : {}),
      required: required.includes(name) && !('default' in p),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
    }
  })
}

/** Edit distance of two names, case ignored (`stoppct` is 0 from `stopPct`). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const cur = [i]
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[y.length]!
}

/** The known name closest to `name`, when it is close enough to be a likely typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const k of known) {
    const d = distance(name, k)
    if (d < bestD) [best, bestD] = [k, d]
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}
