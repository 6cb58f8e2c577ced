/**
 * CSV layout detection: the delimiter, whether the first line is a header, and which column holds what,
 * with the usual aliases (Date / Datetime / Time / timestamp, Open / High / Low / Close, Adj Close, Vol / Volume).
 */
import { KestrelError } from '../../core/index.ts'
import { quoteText } from './quote.ts'

/** The fields Kestrel reads from a bar file. */
export type BarField = 'time' | 'date' | 'clock' | 'open' | 'high' | 'low' | 'close' | 'volume'

/** Where each field is, plus what was seen and ignored. */
export interface CsvLayout {
  readonly delimiter: string
  readonly hasHeader: boolean
  /** Number of fields a data row must have. */
  readonly columnCount: number
  /** Column index per field; `time` alone, or `date` + `clock` (separate date and time-of-day columns). */
  readonly columns: Readonly<Partial<Record<BarField, number>>>
  /** Header names as written (empty without a header). */
  readonly names: readonly string[]
  /** Columns present but not used, e.g. `Adj Close` (noted, never silently mixed in). */
  readonly ignored: readonly string[]
  /** True when an adjusted-close column was present and ignored (prices are the raw OHLC). */
  readonly adjCloseIgnored: boolean
}

/** Column names (normalised by {@link normaliseName}) and the field they hold; `adj` is an adjusted close. */
export const COLUMN_ALIASES: Readonly<Record<string, BarField | 'adj'>> = {
  timestamp: 'time',
  ts: 'time',
  datetime: 'time',
  datetimeutc: 'time',
  time: 'time',
  t: 'time',
  opentime: 'time',
  closetime: 'time',
  unix: 'time',
  unixtime: 'time',
  epoch: 'time',
  gmttime: 'time',
  localtime: 'time',
  date: 'date',
  day: 'date',
  open: 'open',
  o: 'open',
  openprice: 'open',
  high: 'high',
  h: 'high',
  highprice: 'high',
  low: 'low',
  l: 'low',
  lowprice: 'low',
  close: 'close',
  c: 'close',
  closeprice: 'close',
  last: 'close',
  volume: 'volume',
  vol: 'volume',
  v: 'volume',
  basevolume: 'volume',
  adjclose: 'adj',
  adjustedclose: 'adj',
  adjcls: 'adj',
}

/** Lower-case alphanumerics only: `Adj Close` → `adjclose`, `<DATE>` → `date`. */
export function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/^"|"$/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

const CANDIDATES = [',', ';', '\t', '|']

/** Picks the delimiter that splits `line` into the most fields (outside quotes); throws if none does. */
export function detectDelimiter(line: string, where: string): string {
  let best = ''
  let bestCount = 0
  for (const d of CANDIDATES) {
    let n = 0
    let quoted = false
    for (const ch of line) {
      if (ch === '"') quoted = !quoted
      else if (ch === d && !quoted) n++
    }
    if (n > bestCount) {
      best = d
      bestCount = n
    }
  }
  if (!best) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${where}: cannot find a delimiter (tried , ; tab |) in ${quoteText(line)}`,
      {
        where,
      },
    )
  }
  return best
}

/** A note for a first line that is not CSV at all: JSON read as CSV (a file whose name does not end in .json). */
function hint(firstLine: string): string {
  return /^\s*[[{]/.test(firstLine)
    ? ' (the file looks like JSON: name it .json to read it as [[ms, o, h, l, c, v], …])'
    : ''
}

/** Splits one line on `delimiter`, stripping surrounding quotes. */
export function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'))
}

/**
 * Reads the layout from the first line. `looksLikeTime(field)` tells a data row (first field a timestamp)
 * from a header. Without a header the order is timestamp, open, high, low, close, volume.
 */
export function detectLayout(firstLine: string, where: string, looksLikeTime: (field: string) => boolean): CsvLayout {
  const delimiter = detectDelimiter(firstLine, where)
  const fields = splitLine(firstLine, delimiter)
  if (looksLikeTime(fields[0]!)) {
    if (fields.length < 6) {
      throw new KestrelError(
        'DATA_BAD_FILE',
        `${where}: no header and only ${fields.length} columns; expected timestamp,open,high,low,close,volume`,
        {
          where,
        },
      )
    }
    return {
      delimiter,
      hasHeader: false,
      columnCount: fields.length,
      columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 },
      names: [],
      ignored: fields.slice(6).map((_, i) => `column ${i + 7}`),
      adjCloseIgnored: false,
    }
  }
  const columns: Partial<Record<BarField, number>> = {}
  const ignored: string[] = []
  let adj = false
  fields.forEach((name, i) => {
    const key = normaliseName(name)
    let f = COLUMN_ALIASES[key] ?? (key.startsWith('volume') ? 'volume' : undefined)
    if (f === 'adj') {
      adj = true
      ignored.push(name)
      return
    }
    if (f === 'time' && key === 'time' && columns.date !== undefined) f = 'clock'
    if (f === undefined || columns[f] !== undefined) {
      ignored.push(name)
      return
    }
    columns[f] = i
  })
  // "Date" alone is the timestamp; "Date" + "Time" are a date and a time of day.
  if (columns.date !== undefined && columns.time !== undefined && columns.clock === undefined) {
    if (normaliseName(fields[columns.time]!) === 'time') {
      columns.clock = columns.time
      delete columns.time
    }
  }
  if (columns.date !== undefined && columns.clock === undefined && columns.time === undefined) {
    columns.time = columns.date
    delete columns.date
  }
  const missing = (['open', 'high', 'low', 'close', 'volume'] as const).filter((f) => columns[f] === undefined)
  if (columns.time === undefined && columns.date === undefined) missing.unshift('timestamp' as never)
  if (missing.length) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${where}: header ${quoteText(fields.join(delimiter), 200)} has no column for ${missing.join(', ')}${hint(firstLine)}`,
      { where, header: fields.slice(0, 50).map((f) => (f.length > 80 ? `${f.slice(0, 80)}…` : f)), missing },
    )
  }
  return {
    delimiter,
    hasHeader: true,
    columnCount: fields.length,
    columns,
    names: fields,
    ignored,
    adjCloseIgnored: adj,
  }
}
