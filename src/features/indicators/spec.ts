/**
 * The indicator spec language of the CLI and the feature pipeline: a comma-separated list of TA-Lib function
 * names in lower case with their parameters in TA-Lib's order, e.g. `rsi(14),macd(12,26,9),bbands(20,2,2)`.
 * Omitted trailing parameters take TA-Lib's defaults (`rsi` is `rsi(14)`).
 *
 * Column names: an item's column is the item as the user wrote it, normalised only by lower-casing the name and
 * removing whitespace (`RSI( 14 )` → `rsi(14)`, `rsi` stays `rsi`); a multi-output indicator adds `.` and the
 * output name of TA-Lib's Python abstract API (`macd(12,26,9).macdsignal`). Defaults are not spelled out in the
 * name, so a script that asked for `rsi` finds the column `rsi`.
 */
import { KestrelError, isKestrelError } from '../../core/index.ts'
import { getIndicator } from './registry.ts'
import type { IndicatorDef, IndicatorInputs } from './types.ts'
import { resolveParams } from './checks.ts'

/** One parsed spec item. */
export interface SpecItem {
  /** The item as normalised for column names (`rsi(14)`, `macd`). */
  readonly text: string
  /** 1-based position in the list. */
  readonly position: number
  readonly def: IndicatorDef
  /** The parameters as given. */
  readonly given: readonly number[]
  /** All parameters, defaults filled in, validated. */
  readonly params: readonly number[]
  /** One column name per output, in the def's output order. */
  readonly columns: readonly string[]
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const NAME = /^[a-z][a-z0-9_]*$/

function specError(position: number, text: string, why: string): KestrelError {
  return new KestrelError('SPEC_INVALID', `spec item ${position} ${JSON.stringify(text)}: ${why}`, {
    position,
    item: text,
  })
}

/** Splits a list at top-level commas (commas inside parentheses belong to an item). */
function splitItems(spec: string): string[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      items.push(spec.slice(start, i))
      start = i + 1
    }
  }
  items.push(spec.slice(start))
  return items
}

/** Parses one item; `position` is 1-based. */
export function parseSpecItem(raw: string, position = 1): SpecItem {
  const compact = raw.replace(/\s+/g, '')
  if (compact === '') throw specError(position, raw, 'empty item (two commas in a row, or a trailing comma?)')
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(compact)
  if (!m) throw specError(position, compact, 'expected name or name(p1,p2,...), e.g. rsi(14)')
  const name = m[1].toLowerCase()
  const argText = m[2]
  const text = argText === undefined ? name : `${name}(${argText})`
  if (!NAME.test(name)) throw specError(position, text, 'bad indicator name')
  let def: IndicatorDef
  try {
    def = getIndicator(name)
  } catch (e) {
    if (isKestrelError(e)) throw specError(position, text, e.message)
    throw e
  }
  const given: number[] = []
  if (argText !== undefined && argText !== '') {
    for (const [k, a] of argText.split(',').entries()) {
      if (!NUMBER.test(a)) throw specError(position, text, `parameter ${k + 1} ${JSON.stringify(a)} is not a number`)
      given.push(Number(a))
    }
  }
  let params: number[]
  try {
    params = resolveParams(def.name, def.params, given)
    // A dry run on empty inputs applies the kernel's own cross-parameter checks (e.g. fast < slow).
    const empty: IndicatorInputs = Object.fromEntries(def.inputs.map((i) => [i, new Float64Array(0)]))
    def.compute(empty, params)
  } catch (e) {
    if (isKestrelError(e)) {
      throw new KestrelError(e.code, `spec item ${position} ${JSON.stringify(text)}: ${e.message}`, {
        ...e.details,
        position,
        item: text,
      })
    }
    throw e
  }
  const columns = def.outputs.length === 1 ? [text] : def.outputs.map((o) => `${text}.${o}`)
  return { text, position, def, given, params, columns }
}

/** Parses a spec list; SPEC_INVALID (or PARAM_INVALID) names the offending item. Duplicate columns are refused. */
export function parseIndicatorSpec(spec: string): SpecItem[] {
  if (spec.trim() === '') {
    throw new KestrelError('SPEC_INVALID', 'empty indicator spec; expected e.g. "rsi(14),macd(12,26,9)"', {})
  }
  let depth = 0
  for (const c of spec) {
    if (c === '(') depth++
    if (c === ')') depth--
    if (depth < 0 || depth > 1) break
  }
  if (depth !== 0) throw new KestrelError('SPEC_INVALID', `unbalanced parentheses in spec ${JSON.stringify(spec)}`, {})
  const items = splitItems(spec).map((raw, i) => parseSpecItem(raw, i + 1))
  const seen = new Map<string, number>()
  for (const it of items) {
    for (const c of it.columns) {
      const prev = seen.get(c)
      if (prev !== undefined) throw specError(it.position, it.text, `duplicate column ${c} (also item ${prev})`)
      seen.set(c, it.position)
    }
  }
  return items
}
