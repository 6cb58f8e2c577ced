/**
 * Flag values from text: the one place a command turns `--cash 1e5` or `key=value` into typed values, with a
 * USAGE error (exit 2) naming the flag and what it accepts.
 */
import { ASSET_CLASSES } from '../app/choices.ts'
import type { ImportOptions } from '../app/data.ts'
import type { StoreSelection } from '../app/store.ts'
import { KestrelError, parseAnyTimeframe } from '../core/index.ts'
import { envVars, stderr } from './util.ts'

/** What a numeric flag accepts; `max` is exclusive. */
export interface NumberRule {
  readonly min?: number
  readonly minExclusive?: boolean
  readonly max?: number
  readonly integer?: boolean
  /** How the accepted values read in the message (default from the bounds: `a number > 0`, `an integer >= 1`). */
  readonly expected?: string
  /** `got`: the message puts the value last, `--flag: expected …, got "text"`. */
  readonly form?: 'got'
}

function expectedText(r: NumberRule): string {
  if (r.expected) return r.expected
  const lo = r.min === undefined ? '' : `${r.minExclusive ? '>' : '>='} ${r.min}`
  const hi = r.max === undefined ? '' : `< ${r.max}`
  const bounds = [lo, hi].filter(Boolean).join(' and ')
  if (r.integer) return bounds ? `an integer ${bounds}` : 'an integer'
  return bounds ? `a number ${bounds}` : 'a finite number'
}

/** The number `text` gives for `flag`, or USAGE naming the flag and the accepted range; `undefined` stays so. */
export function numberFlag(text: string, flag: string, rule?: NumberRule): number
export function numberFlag(text: string | undefined, flag: string, rule?: NumberRule): number | undefined
export function numberFlag(text: string | undefined, flag: string, rule: NumberRule = {}): number | undefined {
  if (text === undefined) return undefined
  const n = text.trim() === '' ? NaN : Number(text)
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.minExclusive ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || n < rule.max)
  if (ok) return n
  const expected = expectedText(rule)
  const message =
    rule.form === 'got'
      ? `${flag}: expected ${expected}, got ${JSON.stringify(text)}`
      : `${flag} ${text}: expected ${expected}`
  throw new KestrelError('USAGE', message, { flag, got: text, expected })
}

/** `text` when it is one of `allowed`, else USAGE listing them. */
export function choiceFlag<T extends string>(text: string, flag: string, allowed: readonly T[], sep = ', '): T {
  if ((allowed as readonly string[]).includes(text)) return text as T
  throw new KestrelError('USAGE', `${flag} ${JSON.stringify(text)}: expected one of ${allowed.join(sep)}`, {
    flag,
    got: text,
  })
}

/** `--param k=v`: numbers and booleans are converted, the rest stays text. */
export function parseParamPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of pairs) {
    const i = p.indexOf('=')
    if (i <= 0) throw new KestrelError('USAGE', `--param ${JSON.stringify(p)}: expected key=value`)
    const k = p.slice(0, i).trim()
    const v = p.slice(i + 1).trim()
    out[k] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v
  }
  return out
}

/** The store flags of the data commands (`--db`, `--lake`, `--config`). */
export interface StoreFlags {
  readonly db?: string
  readonly lake?: string
  readonly config?: string
}

/** The store flags as a selection: the run's environment, and a note on stderr while the DuckDB file is held. */
export function storeSelection(o: StoreFlags): StoreSelection {
  return {
    db: o.db,
    lake: o.lake,
    config: o.config,
    env: envVars(),
    onLockWait: (m) => stderr().write(`note: ${m}\n`),
    onCreate: (db) => stderr().write(`note: created a new store at ${db}\n`),
  }
}

/** How `data import` and `data validate` read a bar file. */
export interface FileFlags {
  symbol?: string
  /** `SYMBOL.VENUE`: `symbol` and `venue` in one. */
  instrument?: string
  venue?: string
  assetClass?: string
  timeframe?: string
  timezone?: string
  stampedAt?: string
  calendar?: string
  outlierZ?: string
  json?: boolean
}

/** Symbol and venue of `--instrument SYMBOL.VENUE`, checked against `--symbol` and `--venue` when given too. */
function fileInstrument(o: FileFlags): { symbol?: string; venue: string } {
  if (o.instrument === undefined) return { symbol: o.symbol, venue: o.venue ?? 'CSV' }
  const m = /^(.+)\.([^.]+)$/.exec(o.instrument)
  if (!m)
    throw new KestrelError(
      'USAGE',
      `--instrument ${JSON.stringify(o.instrument)}: expected SYMBOL.VENUE, e.g. SPY.ARCA`,
      {
        flag: '--instrument',
        got: o.instrument,
      },
    )
  const [symbol, venue] = [m[1]!, m[2]!]
  if ((o.symbol !== undefined && o.symbol !== symbol) || (o.venue !== undefined && o.venue !== venue))
    throw new KestrelError(
      'USAGE',
      `--instrument ${o.instrument} disagrees with ${[o.symbol !== undefined ? `--symbol ${o.symbol}` : '', o.venue !== undefined ? `--venue ${o.venue}` : ''].filter(Boolean).join(' and ')}; give one`,
      { flag: '--instrument' },
    )
  return { symbol, venue }
}

/** The file flags as import options, with usage errors naming the flag. */
export function toImportOptions(o: FileFlags): ImportOptions {
  const { symbol, venue } = fileInstrument(o)
  const assetClass = o.assetClass === undefined ? undefined : choiceFlag(o.assetClass, '--asset-class', ASSET_CLASSES)
  if (o.stampedAt !== undefined && o.stampedAt !== 'open' && o.stampedAt !== 'close') {
    throw new KestrelError('USAGE', `--stamped-at ${JSON.stringify(o.stampedAt)}: expected open or close`)
  }
  const outlierZ = numberFlag(o.outlierZ, '--outlier-z', { min: 0, minExclusive: true })
  if (o.timeframe) parseAnyTimeframe(o.timeframe)
  return {
    symbol,
    venue,
    assetClass,
    timeframe: o.timeframe,
    timezone: o.timezone,
    stampedAt: o.stampedAt,
    calendar: o.calendar,
    outlierZ,
  }
}
