/**
 * Planning a change of limits while running. Two forms, and no silent loss either way:
 * - a reload is a whole new `risk:` config, validated as such; every limit in force (under `checks` and
 *   `controls`, down to record entries such as `maxPosition.perInstrument.SPY`) must appear in it, with a
 *   value or with `null` to remove it;
 * - a patch names only what changes (objects merge, values and lists replace, `null` removes).
 * A plan lists the key paths it changes and removes so the engine can log them.
 */
import { KestrelError } from '../core/index.ts'
import { parseRiskConfig, type RiskConfig } from './limits-types.ts'

/** What a reload or patch does. */
export interface ReloadPlan {
  readonly next: RiskConfig
  /** Key paths whose value changed or appeared (`risk.checks.maxOrderQuantity`). */
  readonly changed: string[]
  /** Key paths of limits removed by an explicit null. */
  readonly removed: string[]
}

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The sections that hold limits (the stress book is not a limit). */
const LIMIT_SECTIONS = ['checks', 'controls'] as const

/** A copy of `v` without its `null` members; their key paths go to `nulls`. */
function stripNulls(v: unknown, path: string, nulls: Set<string>): unknown {
  if (!isPlain(v)) return v
  const out: Plain = {}
  for (const [k, x] of Object.entries(v)) {
    const p = `${path}.${k}`
    if (x === null) nulls.add(p)
    else out[k] = stripNulls(x, p, nulls)
  }
  return out
}

/** Key paths set in `a` and absent from `b` (objects by key, lists by element), and paths whose value differs. */
function diff(a: unknown, b: unknown, path: string, removed: string[], changed: string[]): void {
  if (isPlain(a) && isPlain(b)) {
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue
      if (b[k] === undefined) removed.push(`${path}.${k}`)
      else diff(a[k], b[k], `${path}.${k}`, removed, changed)
    }
    for (const k of Object.keys(b)) if (b[k] !== undefined && a[k] === undefined) changed.push(`${path}.${k}`)
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const had = new Set(b.map((x) => JSON.stringify(x)))
    for (const x of a) if (!had.has(JSON.stringify(x))) removed.push(`${path}[${JSON.stringify(x)}]`)
    if (a.length !== b.length || a.some((x, i) => JSON.stringify(x) !== JSON.stringify(b[i]))) changed.push(path)
    return
  }
  if (!Object.is(a, b) && JSON.stringify(a) !== JSON.stringify(b)) changed.push(path)
}

/** Is `path` or one of its ancestors in `set`? */
function covered(path: string, set: ReadonlySet<string>): boolean {
  for (let p = path; p.length > 0;) {
    if (set.has(p)) return true
    const i = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))
    if (i <= 0) return false
    p = p.slice(0, i)
  }
  return false
}

/** Does `raw` give a value (not null) at `path` (`risk.a.b`)? Lists given explicitly replace the old list. */
function given(raw: unknown, path: string): boolean {
  let v: unknown = { risk: raw }
  for (const k of path.replace(/\[.*$/, '').split('.')) {
    if (!isPlain(v)) return false
    v = v[k]
  }
  return v !== undefined && v !== null
}

function plan(old: RiskConfig, raw: unknown, nulls: Set<string>, source: string, next: RiskConfig): ReloadPlan {
  const removed: string[] = []
  const changed: string[] = []
  for (const sec of LIMIT_SECTIONS) diff(old[sec], next[sec], `risk.${sec}`, removed, changed)
  if (old.enabled !== next.enabled) changed.push('risk.enabled')
  const silent = removed.filter((p) => !covered(p, nulls) && !(p.includes('[') && given(raw, p)))
  if (silent.length > 0)
    throw new KestrelError(
      'CONFIG_INVALID',
      `${source}: the new config drops ${silent.length === 1 ? 'a limit' : 'limits'} in force: ${silent.join(', ')}. ` +
        'A reload is a whole config: give every limit, with null to remove one (or patch only what changes)',
      { dropped: silent },
    )
  return { next, changed, removed: removed.filter((p) => covered(p, nulls) || given(raw, p)) }
}

/** Plans a reload: `raw` is a whole `risk:` section; nulls remove limits. */
export function planReload(old: RiskConfig, raw: unknown, source = 'risk reload'): ReloadPlan {
  if (!isPlain(raw)) throw new KestrelError('CONFIG_INVALID', `${source}: expected a risk: section (an object)`)
  const nulls = new Set<string>()
  const stripped = stripNulls(raw, 'risk', nulls)
  return plan(old, raw, nulls, source, parseRiskConfig(stripped, source))
}

/** Merges `patch` into `base`: objects merge by key, `null` deletes (path noted), anything else replaces. */
function merge(base: unknown, patch: unknown, path: string, nulls: Set<string>): unknown {
  if (!isPlain(patch) || !isPlain(base)) return stripNulls(patch, path, nulls)
  const out: Plain = { ...base }
  for (const [k, x] of Object.entries(patch)) {
    const p = `${path}.${k}`
    if (x === null) {
      nulls.add(p)
      delete out[k]
    } else out[k] = merge(base[k], x, p, nulls)
  }
  return out
}

/** Plans a patch of the limits in force. */
export function planPatch(old: RiskConfig, patch: unknown, source = 'risk patch'): ReloadPlan {
  if (!isPlain(patch)) throw new KestrelError('CONFIG_INVALID', `${source}: expected an object of changes`)
  const nulls = new Set<string>()
  const merged = merge(old, patch, 'risk', nulls)
  return plan(old, patch, nulls, source, parseRiskConfig(merged, source))
}
