/** `defineStrategy` and parameter validation: the zod schema is the validation, the types and the docs. */
import type { z } from 'zod'
import { KestrelError } from '../core/index.ts'
import { closestName, knownParamNames } from './params-info.ts'
import type { StrategyDefinition } from './types.ts'

/** Declares a strategy. Returns the definition unchanged, typed so `create` sees validated params. */
export function defineStrategy<S extends z.ZodType>(def: StrategyDefinition<S>): StrategyDefinition<S> {
  if (typeof def?.name !== 'string' || def.name.length === 0) {
    throw new KestrelError('STRATEGY_INVALID', 'defineStrategy: a strategy needs a non-empty name')
  }
  if (typeof def.create !== 'function') {
    throw new KestrelError('STRATEGY_INVALID', `strategy ${def.name}: create(ctx) must be a function`)
  }
  if (typeof def.params?.safeParse !== 'function') {
    throw new KestrelError('STRATEGY_INVALID', `strategy ${def.name}: params must be a zod schema`)
  }
  return def
}

/** True when `v` looks like a strategy definition (used when loading a user's file). */
export function isStrategyDefinition(v: unknown): v is StrategyDefinition {
  const d = v as Partial<StrategyDefinition> | null
  return !!d && typeof d === 'object' && typeof d.name === 'string' && typeof d.create === 'function' && !!d.params
}

/**
 * Validates raw parameters against the strategy's schema; PARAM_INVALID names each bad key. A name the schema
 * does not declare is an error (listing the known names and the closest one), whether the schema is strict or
 * not: a mistyped parameter never falls back to its default unnoticed.
 */
export function parseStrategyParams<S extends z.ZodType>(def: StrategyDefinition<S>, raw: unknown): z.output<S> {
  const known = knownParamNames(def)
  if (known && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const unknown = Object.keys(raw).filter((k) => !known.includes(k))
    if (unknown.length > 0) {
      const list = known.length > 0 ? known.join(', ') : 'none'
      const problems = unknown.map((k) => {
        const near = closestName(k, known)
        return `${k}: unknown parameter${near ? ` (did you mean ${near}?)` : ''}; known parameters: ${list}`
      })
      throw new KestrelError('PARAM_INVALID', `strategy ${def.name} params: ${problems.join('; ')}`, {
        strategy: def.name,
        issues: problems,
        unknown,
        known,
      })
    }
  }
  const r = def.params.safeParse(raw ?? {})
  if (r.success) return r.data
  const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
  throw new KestrelError('PARAM_INVALID', `strategy ${def.name} params: ${problems.join('; ')}`, {
    strategy: def.name,
    issues: problems,
  })
}
