/**
 * Reading a universe file. Two forms, one set of rules:
 * - CSV (`.csv`): a header naming the columns, then one membership spell per row:
 *   `symbol,sector,industry,added,removed,delistingReason,delistingReturn` (symbol, sector and added are
 *   required columns; the others may be left out; `#` starts a comment line; a field may be double-quoted).
 * - YAML (`.yaml`, `.yml`): `members:` (a CSV path relative to the YAML, or a list of rows with the CSV's
 *   fields), and optionally `liquidity: { minDollarVolume, minPrice }`, `timeZone:` (of the dates, default
 *   America/New_York) and `performanceDelistingReturn:` (default −0.3).
 * Every row must be valid: a bad one is a DATA_BAD_ROW error naming the file and line (a universe that silently
 * lost a member would bias every study that reads it).
 */
import { readFile } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { LineCounter, isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml'
import { KestrelError } from '../../core/index.ts'
import { assertTimeZone } from '../calendars/index.ts'
import {
  PERFORMANCE_DELISTING_RETURN,
  Universe,
  checkSpells,
  spellBounds,
  type DelistingCategory,
  type LiquidityThresholds,
  type UniverseMember,
} from './universe.ts'

/** Columns of a universe CSV. */
export const UNIVERSE_COLUMNS = [
  'symbol',
  'sector',
  'industry',
  'added',
  'removed',
  'delistingReason',
  'delistingReturn',
] as const

const REQUIRED = ['symbol', 'sector', 'added'] as const

/** Delisting reasons by name and their category (CRSP codes are accepted too: see {@link delistingCategory}). */
export const DELISTING_REASONS: Readonly<Record<string, DelistingCategory>> = {
  performance: 'performance',
  bankruptcy: 'performance',
  'insufficient-capital': 'performance',
  'price-too-low': 'performance',
  'insufficient-float': 'performance',
  'insufficient-market-makers': 'performance',
  'delinquent-filing': 'performance',
  'exchange-requirements': 'performance',
  merger: 'merger',
  acquisition: 'merger',
  'exchange-offer': 'merger',
  liquidation: 'other',
  'exchange-move': 'other',
  other: 'other',
}

/**
 * The category of a delisting reason: a name of {@link DELISTING_REASONS} (case-insensitive), or a CRSP
 * delisting code: 200–399 merger or exchange, 400–499 liquidation (other), 500–599 performance ("dropped").
 * Undefined for anything else.
 */
export function delistingCategory(reason: string): DelistingCategory | undefined {
  const r = reason.trim().toLowerCase()
  if (/^\d{3}$/.test(r)) {
    const code = Number(r)
    if (code >= 200 && code < 400) return 'merger'
    if (code >= 400 && code < 500) return 'other'
    if (code >= 500 && code < 600) return 'performance'
    return undefined
  }
  return DELISTING_REASONS[r]
}

/** Settings a universe YAML may give its rows. */
export interface UniverseParseOptions {
  readonly timeZone?: string
  readonly liquidity?: LiquidityThresholds
  /** Return of a performance delisting without one (default {@link PERFORMANCE_DELISTING_RETURN}). */
  readonly performanceDelistingReturn?: number
}

type Row = Partial<Record<(typeof UNIVERSE_COLUMNS)[number], string>>

function rowError(source: string, line: number, what: string, raw?: string): KestrelError {
  return new KestrelError('DATA_BAD_ROW', `${source} line ${line}: ${what}`, {
    source,
    line,
    ...(raw !== undefined ? { raw: raw.slice(0, 200) } : {}),
  })
}

const DATE = /^\d{4}-\d\d-\d\d$/
function isDate(s: string): boolean {
  if (!DATE.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** One spell from a row's fields; DATA_BAD_ROW naming the line and field. */
function memberOf(
  row: Row,
  line: number,
  source: string,
  o: Required<UniverseParseOptions>,
  raw?: string,
): UniverseMember {
  const bad = (what: string) => rowError(source, line, what, raw)
  const symbol = (row.symbol ?? '').trim().toUpperCase()
  if (symbol === '') throw bad('symbol is empty')
  if (!/^[A-Z0-9][A-Z0-9.\-/_]*$/.test(symbol))
    throw bad(`symbol ${JSON.stringify(row.symbol)} has characters other than letters, digits and . - / _`)
  const sector = (row.sector ?? '').trim()
  if (sector === '') throw bad(`${symbol}: sector is empty`)
  const industry = (row.industry ?? '').trim()
  const added = (row.added ?? '').trim()
  if (!isDate(added)) throw bad(`${symbol}: added ${JSON.stringify(row.added ?? '')} is not a date YYYY-MM-DD`)
  const removedText = (row.removed ?? '').trim()
  if (removedText !== '' && !isDate(removedText))
    throw bad(`${symbol}: removed ${JSON.stringify(removedText)} is not a date YYYY-MM-DD (or leave it empty)`)
  const removed = removedText === '' ? undefined : removedText
  if (removed !== undefined && removed < added) throw bad(`${symbol}: removed ${removed} is before added ${added}`)
  const reason = (row.delistingReason ?? '').trim()
  const retText = (row.delistingReturn ?? '').trim()
  const { from, to } = spellBounds(o.timeZone, added, removed)
  const base = { symbol, sector, industry, added, ...(removed ? { removed } : {}), from, to, line }
  if (reason === '') {
    if (retText !== '') throw bad(`${symbol}: delistingReturn ${retText} without a delistingReason`)
    return base
  }
  const category = delistingCategory(reason)
  if (category === undefined)
    throw bad(
      `${symbol}: delistingReason ${JSON.stringify(reason)}: expected a CRSP code 200-599 or one of ${Object.keys(DELISTING_REASONS).join(', ')}`,
    )
  if (removed === undefined)
    throw bad(`${symbol}: delistingReason ${reason} needs a removed date (the last day of trading)`)
  let ret: number
  let assumed = false
  if (retText === '') {
    ret = category === 'performance' ? o.performanceDelistingReturn : 0
    assumed = true
  } else {
    ret = Number(retText)
    if (!Number.isFinite(ret) || ret < -1)
      throw bad(
        `${symbol}: delistingReturn ${JSON.stringify(retText)} must be a number >= -1 (a fraction: -0.3 is -30 %)`,
      )
  }
  return {
    ...base,
    delistingReason: reason,
    delistingCategory: category,
    delistingReturn: ret,
    ...(assumed ? { delistingReturnAssumed: true } : {}),
  }
}

/** Splits a CSV line on commas outside double quotes (`""` inside quotes is one quote). */
function splitCsv(line: string): string[] | undefined {
  const out: string[] = []
  let cur = ''
  let q = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') q = false
      else cur += c
    } else if (c === '"') q = true
    else if (c === ',') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  if (q) return undefined
  out.push(cur)
  return out
}

function defaults(o: UniverseParseOptions): Required<UniverseParseOptions> {
  const tz = o.timeZone ?? 'America/New_York'
  assertTimeZone(tz)
  return {
    timeZone: tz,
    liquidity: o.liquidity ?? {},
    performanceDelistingReturn: o.performanceDelistingReturn ?? PERFORMANCE_DELISTING_RETURN,
  }
}

/** Parses a universe CSV (see the file header); errors name `source` and the line. */
export function parseUniverseCsv(text: string, source = '<universe>', opts: UniverseParseOptions = {}): Universe {
  const o = defaults(opts)
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  let h = 0
  while (h < lines.length && (lines[h]!.trim() === '' || lines[h]!.trim().startsWith('#'))) h++
  if (h === lines.length)
    throw new KestrelError('DATA_BAD_FILE', `${source}: no header (expected ${UNIVERSE_COLUMNS.join(',')})`, { source })
  const header = splitCsv(lines[h]!)?.map((x) => x.trim()) ?? []
  const known = new Map(UNIVERSE_COLUMNS.map((c) => [c.toLowerCase(), c]))
  const cols: (typeof UNIVERSE_COLUMNS)[number][] = []
  for (const name of header) {
    const c = known.get(name.toLowerCase())
    if (c === undefined)
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${source} line ${h + 1}: unknown column ${JSON.stringify(name)} (columns: ${UNIVERSE_COLUMNS.join(', ')})`,
        { source, line: h + 1 },
      )
    if (cols.includes(c))
      throw new KestrelError('DATA_BAD_FILE', `${source} line ${h + 1}: column ${c} appears twice`, {
        source,
        line: h + 1,
      })
    cols.push(c)
  }
  for (const r of REQUIRED)
    if (!cols.includes(r))
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${source} line ${h + 1}: the header has no ${r} column (needs ${REQUIRED.join(', ')})`,
        { source, line: h + 1 },
      )
  const members: UniverseMember[] = []
  for (let i = h + 1; i < lines.length; i++) {
    const raw = lines[i]!
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue
    const f = splitCsv(raw)
    if (f === undefined) throw rowError(source, i + 1, 'a quote is not closed', raw)
    if (f.length !== cols.length)
      throw rowError(source, i + 1, `expected ${cols.length} columns (${cols.join(',')}), found ${f.length}`, raw)
    const row: Row = {}
    cols.forEach((c, k) => (row[c] = f[k]))
    members.push(memberOf(row, i + 1, source, o, raw))
  }
  checkSpells(members, source)
  return new Universe(members, o.liquidity, o.timeZone, source)
}

function fileError(source: string, line: number | undefined, what: string): KestrelError {
  return new KestrelError('DATA_BAD_FILE', `${source}${line !== undefined ? ` line ${line}` : ''}: ${what}`, {
    source,
    line,
  })
}

/**
 * Parses a universe YAML (see the file header); `readCsv` reads a `members:` CSV path (relative paths resolved
 * by the caller). Errors name `source` and the line.
 */
export async function parseUniverseYaml(
  text: string,
  source = '<universe>',
  readCsv: (path: string) => Promise<{ text: string; source: string }> = () => {
    throw new KestrelError('DATA_BAD_FILE', `${source}: members: a CSV path needs a file system`)
  },
): Promise<Universe> {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    throw fileError(source, e.linePos?.[0]?.line, e.message.split('\n')[0]!)
  }
  const lineOf = (n: unknown) => {
    const r = (n as YamlNode | undefined)?.range
    return r ? lc.linePos(r[0]).line : undefined
  }
  const root = doc.contents
  if (!isMap(root))
    throw fileError(source, lineOf(root), 'expected a mapping with members: (and liquidity:, timeZone:)')
  const allowed = ['members', 'liquidity', 'timeZone', 'performanceDelistingReturn']
  for (const p of root.items) {
    const k = String((p.key as { value?: unknown } | null)?.value ?? p.key)
    if (!allowed.includes(k)) throw fileError(source, lineOf(p.key), `unknown key ${k} (keys: ${allowed.join(', ')})`)
  }
  const value = doc.toJS() as Record<string, unknown>
  const line = (key: string) => lineOf(root.get(key, true))
  const tz = value.timeZone ?? 'America/New_York'
  if (typeof tz !== 'string')
    throw fileError(source, line('timeZone'), 'timeZone: expected an IANA zone such as America/New_York')
  try {
    assertTimeZone(tz)
  } catch (e) {
    throw fileError(source, line('timeZone'), (e as Error).message)
  }
  const liquidity: { minDollarVolume?: number; minPrice?: number } = {}
  if (value.liquidity !== undefined) {
    const l = value.liquidity
    if (typeof l !== 'object' || l === null || Array.isArray(l))
      throw fileError(source, line('liquidity'), 'liquidity: expected { minDollarVolume, minPrice }')
    for (const [k, v] of Object.entries(l)) {
      if (k !== 'minDollarVolume' && k !== 'minPrice')
        throw fileError(source, line('liquidity'), `liquidity.${k}: unknown key (minDollarVolume, minPrice)`)
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
        throw fileError(source, line('liquidity'), `liquidity.${k}: expected a number >= 0, found ${JSON.stringify(v)}`)
      liquidity[k] = v
    }
  }
  const pdr = value.performanceDelistingReturn
  if (pdr !== undefined && (typeof pdr !== 'number' || !(pdr >= -1 && pdr <= 0)))
    throw fileError(
      source,
      line('performanceDelistingReturn'),
      `performanceDelistingReturn: expected a number in [-1, 0], found ${JSON.stringify(pdr)}`,
    )
  const opts: UniverseParseOptions = {
    timeZone: tz,
    liquidity,
    ...(pdr !== undefined ? { performanceDelistingReturn: pdr as number } : {}),
  }
  const m = value.members
  if (typeof m === 'string') {
    const csv = await readCsv(m)
    return parseUniverseCsv(csv.text, csv.source, opts)
  }
  const node = root.get('members', true)
  if (!Array.isArray(m) || !isSeq(node))
    throw fileError(source, line('members'), 'members: expected a CSV path or a list of { symbol, sector, added, … }')
  const o = defaults(opts)
  const members = m.map((row, k) => {
    const at = lineOf(node.items[k]) ?? 0
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw rowError(source, at, 'expected a mapping { symbol, sector, added, … }')
    const r: Row = {}
    for (const [key, v] of Object.entries(row as Record<string, unknown>)) {
      if (!(UNIVERSE_COLUMNS as readonly string[]).includes(key))
        throw rowError(source, at, `unknown field ${key} (fields: ${UNIVERSE_COLUMNS.join(', ')})`)
      r[key as keyof Row] =
        v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v)
    }
    return memberOf(r, at, source, o)
  })
  checkSpells(members, source)
  return new Universe(members, liquidity, tz, source)
}

/** Reads a universe file: `.csv`, or `.yaml`/`.yml` (see the file header). FILE_NOT_FOUND when it is missing. */
export async function readUniverse(path: string): Promise<Universe> {
  const read = async (p: string) => {
    try {
      return await readFile(p, 'utf8')
    } catch (e) {
      throw new KestrelError('FILE_NOT_FOUND', `universe ${p}: no such file`, { path: p }, { cause: e })
    }
  }
  const text = await read(path)
  const ext = extname(path).toLowerCase()
  if (ext === '.yaml' || ext === '.yml')
    return parseUniverseYaml(text, path, async (p) => {
      const full = resolve(dirname(path), p)
      return { text: await read(full), source: full }
    })
  if (ext !== '.csv')
    throw new KestrelError('DATA_BAD_FILE', `universe ${path}: expected a .csv or .yaml file`, { path })
  return parseUniverseCsv(text, path)
}
