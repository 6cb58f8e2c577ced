/**
 * Configuration is data (invariant 7): YAML files and API payloads are validated by one zod schema, and an
 * error names the key path and the expected form. `${ENV:NAME}` in any string is replaced by that
 * environment variable (for secrets); the paths of such values are remembered so logs can redact them.
 */
import { readFileSync } from 'node:fs'
import { parseDocument, isMap, isSeq, isScalar, LineCounter, type Node as YamlNode } from 'yaml'
import { z } from 'zod'
import { KestrelError } from '../errors.ts'
import { MOVED_CONFIG_KEYS } from './schema.ts'

/** One problem in a config, with where it is. */
export interface ConfigIssue {
  /** Key path, e.g. `risk.limits.maxOrderQuantity` or `strategies[0].params.fast`. */
  readonly path: string
  readonly message: string
  /** 1-based line in the YAML file, when known. */
  readonly line?: number
}

/** The result of loading a config: the typed value and the paths that hold secrets. */
export interface LoadedConfig<T> {
  readonly value: T
  readonly secretPaths: readonly string[]
  readonly source: string
}

/** Formats a zod/JS path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = ''
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`
    else s += s.length ? `.${String(p)}` : String(p)
  }
  return s || '(root)'
}

/** Turns zod issues into readable ones: `risk.maxLeverage: expected number, got string`. */
export function zodIssues(error: z.ZodError, source = 'config'): ConfigIssue[] {
  return located(error, source).map((l) => l.issue)
}

/** A readable issue, the key path it is at, and whether it is about the key itself (a moved key) or its value. */
interface Located {
  readonly issue: ConfigIssue
  readonly at: readonly PropertyKey[]
  readonly kind: 'value' | 'custom' | 'unknown' | 'moved'
}

/**
 * Readable issues with the key path each is at (for its line). A key the config's older shape held where it
 * no longer lives ({@link MOVED_CONFIG_KEYS}) is its own issue naming the new place and the migrate command.
 */
function located(error: z.ZodError, source: string): Located[] {
  const out = error.issues.flatMap((i): Located[] => {
    const path = formatPath(i.path)
    if (i.code !== 'unrecognized_keys')
      return [{ issue: { path, message: i.message }, at: i.path, kind: i.code === 'custom' ? 'custom' : 'value' }]
    const found: Located[] = []
    const unknown: string[] = []
    const unknownKeys: string[] = []
    for (const k of i.keys) {
      const full = path === '(root)' ? k : `${path}.${k}`
      const moved = MOVED_CONFIG_KEYS[full]
      if (moved === undefined) {
        unknown.push(full)
        unknownKeys.push(k)
      } else
        found.push({
          issue: { path: full, message: `moved to ${moved} (top level); run kestrel config migrate ${source}` },
          at: [...i.path, k],
          kind: 'moved',
        })
    }
    if (unknown.length)
      found.unshift({
        issue: {
          path: unknown.join(', '),
          message: `unknown key${unknown.length > 1 ? 's' : ''} (check the spelling)`,
        },
        // One unknown key: the line of that key; several: the line of the map that holds them.
        at: unknown.length === 1 ? [...i.path, unknownKeys[0]!] : i.path,
        kind: unknown.length === 1 ? 'unknown' : 'value',
      })
    return found
  })
  // The cross-section checks (strategies given, FX pairs in the account currency) read the current shape: on a
  // file of the older shape they would only repeat the moves.
  const older = out.some((x) => x.kind === 'moved')
  return older ? out.filter((x) => x.kind !== 'custom') : out
}

/** Validates a plain value against a schema; throws CONFIG_INVALID naming every bad key path. */
export function validateConfig<S extends z.ZodType>(schema: S, value: unknown, source = 'config'): z.output<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  throw configError(source, zodIssues(r.error, source))
}

function configError(source: string, issues: ConfigIssue[]): KestrelError {
  const lines = issues.map((i) => `  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`)
  return new KestrelError('CONFIG_INVALID', `${source}: invalid configuration\n${lines.join('\n')}`, { source, issues })
}

const ENV_RE = /\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Replaces `${ENV:NAME}` in every string of `value`; records secret paths. Missing variables are an error. */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  source = 'config',
): { value: unknown; secretPaths: string[] } {
  const secretPaths: string[] = []
  const missing: ConfigIssue[] = []
  const walk = (v: unknown, path: PropertyKey[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${ENV:')) return v
      secretPaths.push(formatPath(path))
      return v.replace(ENV_RE, (_m, name: string) => {
        const got = env[name]
        if (got === undefined) {
          missing.push({ path: formatPath(path), message: `environment variable ${name} is not set` })
          return ''
        }
        return got
      })
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]))
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k])
      return out
    }
    return v
  }
  const out = walk(value, [])
  if (missing.length) throw configError(source, missing)
  return { value: out, secretPaths }
}

/** Parses YAML text; syntax errors become CONFIG_INVALID with the line. */
export function parseYaml(
  text: string,
  source = 'config',
): {
  value: unknown
  lineOf: (path: readonly PropertyKey[]) => number | undefined
  /** The line of the key of the map entry at `path` (the value may start on a later line). */
  keyLineOf: (path: readonly PropertyKey[]) => number | undefined
} {
  const shape = yamlShapeProblem(text)
  if (shape) throw configError(source, [{ path: '(yaml)', ...shape }])
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => ({
      path: '(yaml)',
      message: e.message.split('\n')[0]!,
      line: e.linePos?.[0]?.line,
    }))
    throw configError(source, issues)
  }
  const resolveNode = (path: readonly PropertyKey[]): unknown => {
    let node: unknown = doc.contents
    for (const p of path) {
      if (isMap(node)) node = node.get(p as string, true)
      else if (isSeq(node)) node = node.get(p as number, true)
      else return undefined
    }
    return node
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    const node = resolveNode(path)
    const range = (node as YamlNode | undefined)?.range
    if (!range && !isScalar(node)) return undefined
    return range ? lc.linePos(range[0]).line : undefined
  }
  const keyLineOf = (path: readonly PropertyKey[]): number | undefined => {
    const parent = path.length > 1 ? resolveNode(path.slice(0, -1)) : doc.contents
    if (!isMap(parent)) return lineOf(path)
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === path.at(-1))
    const range = (pair?.key as YamlNode | undefined)?.range
    return range ? lc.linePos(range[0]).line : lineOf(path)
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}
  } catch (e) {
    // The yaml package throws a ReferenceError for an alias before its anchor and for alias expansion past
    // the limit ("billion laughs"): both are mistakes in the file.
    if (!(e instanceof ReferenceError)) throw e
    const bomb = /alias count/i.test(e.message)
    throw configError(source, [
      {
        path: '(yaml)',
        message: bomb
          ? `too many aliases: expanding them passes the limit of ${MAX_ALIAS_COUNT} (an alias bomb?); write the values out`
          : e.message,
      },
    ])
  }
  const loop = cyclePath(value)
  if (loop !== undefined) {
    throw configError(source, [
      {
        path: formatPath(loop),
        message: 'an alias refers to a node that contains it (the value would be infinite); write the values out',
        line: lineOf(loop),
      },
    ])
  }
  return { value, lineOf, keyLineOf }
}

/** Largest YAML text accepted: configs and specs are hand-written files of a few kilobytes. */
export const MAX_YAML_BYTES = 1 << 20

/** Deepest nesting accepted, by indentation (columns) and by open brackets of flow collections. */
const MAX_INDENT = 256
const MAX_FLOW_DEPTH = 64

/**
 * A file too large or nested too deep for a hand-written config, found before parsing (the YAML parser's time
 * grows fast with nesting); the problem names the line.
 */
function yamlShapeProblem(text: string): { message: string; line?: number } | undefined {
  if (text.length > MAX_YAML_BYTES) {
    return {
      message: `the file has ${text.length} characters; a config or spec is expected to be under ${MAX_YAML_BYTES}`,
    }
  }
  let line = 1
  let col = 0
  let indent = true
  let depth = 0
  let quote = 0
  let comment = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) {
      line++
      col = 0
      indent = true
      comment = false
      continue
    }
    if (indent && c === 32) {
      if (++col > MAX_INDENT) return { message: `indented more than ${MAX_INDENT} columns (nested too deep)`, line }
      continue
    }
    indent = false
    if (comment) continue
    if (quote) {
      if (c === quote) quote = 0
      else if (c === 92 && quote === 34) i++
      continue
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) comment = true
    else if (c === 39 || c === 34) quote = c
    else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return { message: `brackets nested more than ${MAX_FLOW_DEPTH} deep`, line }
    } else if ((c === 93 || c === 125) && depth > 0) depth--
  }
  return undefined
}

/** Key path of the first value that contains itself (a YAML alias inside its own anchor), else undefined. */
function cyclePath(root: unknown): PropertyKey[] | undefined {
  const open = new Set<object>()
  const walk = (v: unknown, path: PropertyKey[]): PropertyKey[] | undefined => {
    if (v === null || typeof v !== 'object') return undefined
    if (open.has(v)) return path
    open.add(v)
    const entries: [PropertyKey, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v)
    for (const [k, x] of entries) {
      const hit = walk(x, [...path, k])
      if (hit !== undefined) return hit
    }
    open.delete(v)
    return undefined
  }
  return walk(root, [])
}

/** Limit of alias expansions in one YAML document, relative to its size (the yaml package's own measure). */
const MAX_ALIAS_COUNT = 100

/** Loads, interpolates and validates a YAML file. Errors name the file, the key path and the line. */
export function loadConfigFile<S extends z.ZodType>(
  path: string,
  schema: S,
  env: Readonly<Record<string, string | undefined>> = {},
): LoadedConfig<z.output<S>> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new KestrelError(
      'FILE_NOT_FOUND',
      `${path}: cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        path,
      },
    )
  }
  return loadConfigText(text, schema, env, path)
}

/** Same as {@link loadConfigFile} for text already in memory. */
export function loadConfigText<S extends z.ZodType>(
  text: string,
  schema: S,
  env: Readonly<Record<string, string | undefined>> = {},
  source = 'config',
): LoadedConfig<z.output<S>> {
  const { value: raw, lineOf, keyLineOf } = parseYaml(text, source)
  const { value, secretPaths } = interpolateEnv(raw, env, source)
  const r = schema.safeParse(value)
  if (!r.success) {
    const issues = located(r.error, source).map(({ issue, at, kind }) => ({
      ...issue,
      line: kind === 'moved' || kind === 'unknown' ? keyLineOf(at) : lineOf(at),
    }))
    throw configError(source, issues)
  }
  return { value: r.data, secretPaths, source }
}

/** A deep copy of `value` with every secret path replaced by `"***"` (for logs and `config show`). */
export function redactSecrets<T>(value: T, secretPaths: readonly string[]): T {
  const set = new Set(secretPaths)
  const walk = (v: unknown, path: PropertyKey[]): unknown => {
    if (set.has(formatPath(path))) return '***'
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]))
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k])
      return out
    }
    return v
  }
  return walk(value, []) as T
}

/** JSON Schema of a zod schema, for editors (`kestrel config schema`). */
export function toJsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
}
