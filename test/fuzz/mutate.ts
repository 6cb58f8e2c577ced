/**
 * Seeded mutators for the bad-input fuzz harness. Every mutation is a pure function of (base input, PRNG state),
 * so a case is reproduced from its seed alone.
 *
 * CSV bar files are mutated as a document of lines, each flagged when a mutation touched it, so the harness
 * knows which rows are still good (and must be accepted) and how many data rows the file has:
 *   rows read = lines after the header line that hold anything but spaces and tabs (after stripping one
 *   trailing CR). Blank and whitespace-only lines are not rows: the parser counts them as `blankLines`.
 * Lines are split on LF only, exactly as the parser does, so a mutation that inserts a LF byte splits a row
 * into two rows, both flagged.
 */
import { mulberry32 } from '../../src/core/index.ts'

export type Rng = () => number

export function rng(seed: number): Rng {
  return mulberry32(seed >>> 0)
}

export function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1))
}

export function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

const enc = new TextEncoder()
export const bytes = (s: string): Uint8Array => enc.encode(s)

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0)
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Values that break number parsing or arithmetic in different ways. */
export const NASTY_NUMBERS = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '-0',
  '0',
  '1e308',
  '1e400',
  '-1e400',
  '1.7976931348623157e308',
  '5e-324',
  '9007199254740993',
  '123456789012345678901234567890',
  '',
  ' ',
  '0x10',
  '1_000',
  '١٢٣',
  '"12.5"',
  '12.5.3',
  '+-1',
  '1e',
  '.',
  'null',
  'true',
]

/** Random bytes, biased towards the ones parsers trip on (NUL, CR, LF, quote, delimiters, high bytes). */
export function junk(r: Rng, n: number): Uint8Array {
  const special = [0, 10, 13, 34, 44, 59, 9, 124, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xc3, 0x80, 0xe2]
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = r() < 0.4 ? pick(r, special) : int(r, 0, 255)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// CSV documents

export interface Line {
  bytes: Uint8Array
  /** True when a mutation touched this line (it may still be a valid row). */
  mutated: boolean
}

export interface CsvDoc {
  /** The header line (undefined when the file has none). */
  header: Line | undefined
  rows: Line[]
  eol: string
  finalEol: boolean
  /** A whole-file transform applied after rendering (encoding, truncation...); rows lose their identity. */
  wholeFile?: (b: Uint8Array) => Uint8Array
  /** True when {@link wholeFile} keeps every line as it was (a byte-order mark in front). */
  wholeFileKeepsLines?: boolean
  /** True when every row is affected (good-row checks are off, accounting still holds). */
  allMutated: boolean
  /** True when the header line was touched. */
  headerMutated: boolean
}

export function parseDoc(text: string): CsvDoc {
  const lines = text.replace(/\n$/, '').split('\n')
  return {
    header: { bytes: bytes(lines[0]!), mutated: false },
    rows: lines.slice(1).map((l) => ({ bytes: bytes(l), mutated: false })),
    eol: '\n',
    finalEol: text.endsWith('\n'),
    allMutated: false,
    headerMutated: false,
  }
}

export function renderDoc(d: CsvDoc): Uint8Array {
  const eol = bytes(d.eol)
  const parts: Uint8Array[] = []
  const all = d.header ? [d.header, ...d.rows] : d.rows
  all.forEach((l, i) => {
    parts.push(l.bytes)
    if (i < all.length - 1 || d.finalEol) parts.push(eol)
  })
  const b = concat(parts)
  return d.wholeFile ? d.wholeFile(b) : b
}

const dec = new TextDecoder('utf-8')
const str = (b: Uint8Array) => dec.decode(b)

function isBlank(b: Uint8Array): boolean {
  let e = b.length
  if (e > 0 && b[e - 1] === 13) e--
  for (let i = 0; i < e; i++) if (b[i] !== 32 && b[i] !== 9) return false
  return true
}

/**
 * What the harness expects of a rendered document: its data rows (1-based file line numbers) and which of them
 * are untouched. Computed on the final bytes, the way the parser splits lines.
 */
export interface CsvExpectation {
  /** Non-blank lines of the file, the header line included. */
  readonly nonBlankLines: number
  /** 1-based line numbers of rows no mutation touched (empty when the whole file was transformed). */
  readonly goodLines: readonly number[]
  /** True when rows keep their identity (line-level mutations only). */
  readonly rowsTracked: boolean
}

export function expectation(d: CsvDoc, rendered: Uint8Array): CsvExpectation {
  let nonBlank = 0
  let start = 0
  for (let i = 0; i <= rendered.length; i++) {
    if (i === rendered.length || rendered[i] === 10) {
      const line = rendered.subarray(start, i)
      if (!(i === rendered.length && line.length === 0) && !isBlank(line)) nonBlank++
      start = i + 1
    }
  }
  const tracked = (!d.wholeFile || d.wholeFileKeepsLines === true) && !d.allMutated && !d.headerMutated
  const goodLines: number[] = []
  if (tracked) {
    // A mutated row may contain LF bytes (it is then several lines): count them to keep line numbers right.
    let lineNo = d.header ? 2 : 1
    for (const r of d.rows) {
      const lfs = r.bytes.reduce((a, b) => a + (b === 10 ? 1 : 0), 0)
      if (!r.mutated && lfs === 0 && !isBlank(r.bytes)) goodLines.push(lineNo)
      lineNo += 1 + lfs
    }
  }
  return { nonBlankLines: nonBlank, goodLines, rowsTracked: tracked }
}

type RowMutation = (r: Rng, fields: string[], row: Line, doc: CsvDoc, index: number) => Uint8Array | undefined

/** Mutations of one row; the field layout is `timestamp,open,high,low,close,volume` (or any other CSV). */
const ROW_MUTATIONS: Record<string, RowMutation> = {
  'nasty number': (r, f) => {
    const i = int(r, 1, Math.max(1, f.length - 1))
    f[i] = pick(r, NASTY_NUMBERS)
    return bytes(f.join(','))
  },
  'huge values': (r, f) => {
    for (let i = 1; i < f.length; i++) f[i] = pick(r, ['1e308', '1e300', '1.7976931348623157e308', '1e400'])
    return bytes(f.join(','))
  },
  'decimal comma in a field': (r, f) => {
    const i = int(r, 1, Math.max(1, f.length - 1))
    f[i] = (f[i] ?? '').replace('.', ',')
    return bytes(f.join(','))
  },
  'binary bytes': (r, _f, row) => {
    const at = int(r, 0, row.bytes.length)
    return concat([row.bytes.subarray(0, at), junk(r, int(r, 1, 12)), row.bytes.subarray(at)])
  },
  'truncated row': (r, _f, row) => row.bytes.subarray(0, int(r, 0, Math.max(0, row.bytes.length - 1))),
  'extra column': (r, f) => bytes([...f, pick(r, ['1', '', 'x', '1e400'])].join(',')),
  'missing column': (r, f) => {
    f.splice(int(r, 0, f.length - 1), 1)
    return bytes(f.join(','))
  },
  'very long line': (r, f) => bytes(`${f.join(',')},${'9'.repeat(int(r, 1000, 200_000))}`),
  'very long field': (r, f) => {
    f[int(r, 0, f.length - 1)] = '1'.repeat(int(r, 400, 100_000))
    return bytes(f.join(','))
  },
  'bad timestamp': (r, f) => {
    f[0] = pick(r, [
      '',
      'not-a-time',
      '2013-13-45T25:61:61Z',
      '2013-02-30T00:00:00Z',
      '0000-00-00',
      '99999-01-01T00:00:00Z',
      '-1',
      '1e400',
      'NaN',
      '2013-10-04T08:06:00+99:00',
      '2013-10-04T08:06:00Zjunk',
      '1381000000000000000000',
      '1969-12-31T23:59:59Z',
      '2013-10-04 08:06',
    ])
    return bytes(f.join(','))
  },
  'timestamp of an earlier row': (r, f, _row, doc, index) => {
    if (index === 0) return undefined
    const prev = str(doc.rows[int(r, 0, index - 1)]!.bytes).split(',')[0]!
    f[0] = prev
    return bytes(f.join(','))
  },
  'high below low': (_r, f) => {
    if (f.length < 6) return undefined
    const h = f[2]!
    f[2] = f[3]!
    f[3] = String(Number(h) * 1.5 + 1)
    return bytes(f.join(','))
  },
  'negative value': (r, f) => {
    const i = int(r, 1, Math.max(1, f.length - 1))
    f[i] = `-${f[i]}`
    return bytes(f.join(','))
  },
  'quoted field': (r, f) => {
    const i = int(r, 0, f.length - 1)
    f[i] = pick(r, [`"${f[i]}"`, `"${f[i]}`, `${f[i]}"`, `"${f[i]},1"`, '""'])
    return bytes(f.join(','))
  },
  'wrong type': (r, f) => {
    f[int(r, 0, f.length - 1)] = pick(r, ['abc', '[]', '{}', 'true', '☃', '\u0000', 'Ÿ'])
    return bytes(f.join(','))
  },
  'delimiter swap': (r, f) => bytes(f.join(pick(r, [';', '\t', '|', ' ', ',,']))),
  'duplicated row': () => undefined, // handled in mutateDoc (inserts a copy)
  'blank line': () => undefined, // handled in mutateDoc (inserts a blank line)
}

type DocMutation = (r: Rng, d: CsvDoc) => void

/** Mutations of the whole file. Those that keep every row valid say so by leaving the rows unflagged. */
const DOC_MUTATIONS: Record<string, DocMutation> = {
  'truncated at a random byte': (r, d) => {
    // Rows wholly before the cut stay good; the cut row is flagged; later rows are gone.
    const total = renderDoc({ ...d, wholeFile: undefined })
    const cut = int(r, 0, total.length)
    let at = d.header ? d.header.bytes.length + d.eol.length : 0
    if (d.header && cut < at) {
      d.header = { bytes: d.header.bytes.subarray(0, Math.min(cut, d.header.bytes.length)), mutated: true }
      d.headerMutated = true
      d.rows = []
      d.finalEol = false
      return
    }
    const kept: Line[] = []
    for (const row of d.rows) {
      const end = at + row.bytes.length + d.eol.length
      if (cut >= end) kept.push(row)
      else {
        const part = row.bytes.subarray(0, Math.max(0, cut - at))
        if (part.length > 0) kept.push({ bytes: part, mutated: true })
        else if (cut - at > row.bytes.length) kept.push({ bytes: row.bytes, mutated: true }) // cut inside CRLF
        break
      }
      at = end
    }
    d.rows = kept
    d.finalEol = cut === total.length && d.finalEol
  },
  'random binary bytes': (r, d) => {
    const n = int(r, 1, 6)
    for (let k = 0; k < n && d.rows.length; k++) {
      const i = int(r, 0, d.rows.length - 1)
      const row = d.rows[i]!
      const at = int(r, 0, row.bytes.length)
      d.rows[i] = {
        bytes: concat([row.bytes.subarray(0, at), junk(r, int(r, 1, 8)), row.bytes.subarray(at)]),
        mutated: true,
      }
    }
  },
  'whole file binary': (r, d) => {
    const n = int(r, 0, 4000)
    d.wholeFile = () => junk(r, n)
    d.wholeFileKeepsLines = false
  },
  'UTF-16LE with BOM': (_r, d) => {
    d.wholeFile = (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(str(b), 'utf16le')])
    d.wholeFileKeepsLines = false
  },
  'UTF-16BE with BOM': (_r, d) => {
    d.wholeFile = (b) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(str(b), 'utf16le').swap16()])
    d.wholeFileKeepsLines = false
  },
  'Latin-1 bytes': (r, d) => {
    // A Latin-1 é (0xE9, invalid UTF-8) in the header or in some rows' fields.
    if (d.header && r() < 0.3) {
      d.header = { bytes: Buffer.from(str(d.header.bytes).replace('volume', 'volum\u00e9'), 'latin1'), mutated: true }
      d.headerMutated = true
      return
    }
    for (let k = 0; k < 3 && d.rows.length; k++) {
      const i = int(r, 0, d.rows.length - 1)
      d.rows[i] = { bytes: Buffer.from(`${str(d.rows[i]!.bytes)}\u00e9`, 'latin1'), mutated: true }
    }
  },
  'UTF-8 BOM': (_r, d) => {
    const prev = d.wholeFile
    d.wholeFile = (b) => concat([Uint8Array.of(0xef, 0xbb, 0xbf), prev ? prev(b) : b])
    d.wholeFileKeepsLines = !prev
  },
  'CRLF line ends': (_r, d) => {
    d.eol = '\r\n'
  },
  'CR-only line ends': (_r, d) => {
    d.eol = '\r'
    d.allMutated = true
  },
  'decimal commas, semicolon delimiter': (_r, d) => {
    const conv = (l: Line) => ({ bytes: bytes(str(l.bytes).replace(/,/g, ';').replace(/\./g, ',')), mutated: true })
    if (d.header) d.header = { bytes: bytes(str(d.header.bytes).replace(/,/g, ';')), mutated: false }
    d.rows = d.rows.map(conv)
    d.allMutated = true
  },
  'empty file': (_r, d) => {
    d.header = undefined
    d.rows = []
    d.finalEol = false
    d.headerMutated = true
  },
  'only blank lines': (r, d) => {
    d.header = undefined
    d.rows = Array.from({ length: int(r, 1, 5) }, () => ({
      bytes: bytes(pick(r, ['', ' ', '\t', ' \t '])),
      mutated: true,
    }))
    d.headerMutated = true
  },
  'header only': (_r, d) => {
    d.rows = []
  },
  'duplicated header': (r, d) => {
    if (!d.header || d.rows.length === 0) return
    const i = int(r, 0, d.rows.length)
    d.rows.splice(i, 0, { bytes: d.header.bytes, mutated: true })
  },
  'no header': (_r, d) => {
    d.header = undefined
    d.headerMutated = true
  },
  'header columns shuffled': (r, d) => {
    if (!d.header) return
    const names = str(d.header.bytes).split(',')
    const order = names.map((_, i) => i).sort(() => r() - 0.5)
    d.header = { bytes: bytes(order.map((i) => names[i]).join(',')), mutated: true }
    d.rows = d.rows.map((l) => {
      const f = str(l.bytes).split(',')
      return { bytes: bytes(order.map((i) => f[i] ?? '').join(',')), mutated: l.mutated }
    })
    // Same data in another column order: every row is still good.
  },
  'header renamed': (r, d) => {
    if (!d.header) return
    const names = str(d.header.bytes).split(',')
    names[int(r, 0, names.length - 1)] = pick(r, ['', 'x', 'Open', 'DATE', 'close', 'timestamp', '"q', 'vol ume'])
    d.header = { bytes: bytes(names.join(',')), mutated: true }
    d.headerMutated = true
  },
  'extra column everywhere': (r, d) => {
    if (!d.header) return
    d.header = { bytes: bytes(`${str(d.header.bytes)},${pick(r, ['note', 'adj close', 'open', ''])}`), mutated: true }
    d.headerMutated = true
    d.rows = d.rows.map((l) => ({ bytes: bytes(`${str(l.bytes)},${int(r, 0, 9)}`), mutated: true }))
  },
  'rows reversed': (_r, d) => {
    d.rows.reverse() // newest first: the parser reverses it back; every row stays good
  },
  'trailing newline removed or doubled': (r, d) => {
    if (r() < 0.5) d.finalEol = false
    else d.rows.push({ bytes: new Uint8Array(0), mutated: true })
  },
}

export const ROW_MUTATION_NAMES = Object.keys(ROW_MUTATIONS)
export const DOC_MUTATION_NAMES = Object.keys(DOC_MUTATIONS)

/**
 * Applies 1–3 seeded mutations to a copy of `base`; returns the document and the names of what was done.
 * Half the cases mutate a few rows, half transform the whole file (some also mutate rows).
 */
export function mutateCsv(base: string, r: Rng): { doc: CsvDoc; what: string[] } {
  const d = parseDoc(base)
  const what: string[] = []
  const steps = int(r, 1, 3)
  for (let s = 0; s < steps; s++) {
    if (r() < 0.55 && d.rows.length > 0) {
      const name = pick(r, ROW_MUTATION_NAMES)
      const i = int(r, 0, d.rows.length - 1)
      if (name === 'duplicated row') {
        d.rows.splice(i + 1, 0, { bytes: d.rows[i]!.bytes, mutated: true })
      } else if (name === 'blank line') {
        d.rows.splice(i, 0, { bytes: bytes(pick(r, ['', ' ', '\t', '\r'])), mutated: true })
      } else {
        const out = ROW_MUTATIONS[name]!(r, str(d.rows[i]!.bytes).split(','), d.rows[i]!, d, i)
        if (!out) continue
        d.rows[i] = { bytes: out, mutated: true }
      }
      what.push(`${name} (row ${i + 1})`)
    } else {
      const name = pick(r, DOC_MUTATION_NAMES)
      DOC_MUTATIONS[name]!(r, d)
      what.push(name)
    }
  }
  return { doc: d, what }
}

// ---------------------------------------------------------------------------------------------------------------
// Text files: YAML configs, JSON snapshots, TypeScript strategies

type TextMutation = (r: Rng, text: string) => string | Uint8Array

const YAML_SCALARS = [
  '.nan',
  '.inf',
  '-.inf',
  '1e400',
  '-1e400',
  '1e308',
  '-0',
  '0',
  '-1',
  '99999999999999999999',
  'null',
  '~',
  'true',
  'no',
  '"a string"',
  "''",
  '[]',
  '{}',
  '[1, 2]',
  '{ a: 1 }',
  '2013-10-04',
  '0x1F',
  '0o17',
  '!!binary aGVsbG8=',
  '!!js/function "x"',
  '*undefinedAlias',
  '&a 1',
  '"${ENV:KESTREL_FUZZ_NO_SUCH_VAR}"',
  "'${ENV:HOME}'",
]

/** Mutations of any text file; those marked YAML use YAML syntax. */
const TEXT_MUTATIONS: Record<string, TextMutation> = {
  'truncated at a random byte': (r, t) => bytes(t).subarray(0, int(r, 0, bytes(t).length)),
  'random binary bytes': (r, t) => {
    const b = bytes(t)
    const at = int(r, 0, b.length)
    return concat([b.subarray(0, at), junk(r, int(r, 1, 16)), b.subarray(at)])
  },
  'whole file binary': (r) => junk(r, int(r, 0, 3000)),
  'UTF-16LE with BOM': (_r, t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'Latin-1 bytes': (_r, t) => Buffer.from(t.replace(/([a-z])/, '$1\u00e9'), 'latin1'),
  'UTF-8 BOM': (_r, t) => `\ufeff${t}`,
  'CRLF line ends': (_r, t) => t.replace(/\n/g, '\r\n'),
  'tabs for indentation': (_r, t) => t.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)),
  'empty file': () => '',
  'only a comment': () => '# nothing here\n',
  'line dropped': (r, t) => {
    const lines = t.split('\n')
    lines.splice(int(r, 0, lines.length - 1), 1)
    return lines.join('\n')
  },
  'line duplicated': (r, t) => {
    const lines = t.split('\n')
    const i = int(r, 0, lines.length - 1)
    lines.splice(i, 0, lines[i]!)
    return lines.join('\n')
  },
  'very long line': (r, t) => `${t}\n# ${'x'.repeat(int(r, 1000, 300_000))}\n`,
}

/** YAML-only mutations: values of wrong types, nasty numbers, anchors, aliases, deep nesting. */
const YAML_MUTATIONS: Record<string, TextMutation> = {
  'scalar replaced': (r, t) => {
    const hits = [...t.matchAll(/(:\s+|- |\[|, )(-?[\d.]+(?:e-?\d+)?|'[^']*'|[A-Za-z][\w.-]*)(?=\s*(?:[,\]}\n]|$))/g)]
    if (hits.length === 0) return t
    const h = pick(r, hits)
    const at = h.index! + h[1]!.length
    return t.slice(0, at) + pick(r, YAML_SCALARS) + t.slice(at + h[2]!.length)
  },
  'number replaced by a nasty number': (r, t) => {
    const hits = [...t.matchAll(/(?<=[:\s[,])-?\d+(?:\.\d+)?(?:e-?\d+)?(?=[\s,\]}]|$)/gm)]
    if (hits.length === 0) return t
    const h = pick(r, hits)
    return (
      t.slice(0, h.index!) +
      pick(r, ['.nan', '.inf', '-.inf', '1e400', '1e308', '-0', '-1', '0', '1e-320', '9e15', '"7"']) +
      t.slice(h.index! + h[0].length)
    )
  },
  'key renamed': (r, t) => {
    const hits = [...t.matchAll(/^(\s*(?:- )?)([A-Za-z][\w]*)(?=:)/gm)]
    if (hits.length === 0) return t
    const h = pick(r, hits)
    const at = h.index! + h[1]!.length
    return (
      t.slice(0, at) +
      pick(r, ['unknownKey', `${h[2]}x`, h[2]!.toUpperCase(), '"<<"', '__proto__', 'constructor']) +
      t.slice(at + h[2]!.length)
    )
  },
  'key duplicated': (r, t) => {
    const lines = t.split('\n')
    const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z]\w*:/.test(l))
    if (keyed.length === 0) return t
    const [l, i] = pick(r, keyed)
    lines.splice(i + 1, 0, l.replace(/:.*$/, ': 1'))
    return lines.join('\n')
  },
  'alias bomb': (r, t) => {
    const depth = int(r, 3, 9)
    const out = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i <= depth; i++)
      out.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`)
    return `${out.join('\n')}\n${t}`
  },
  'anchor and merge key': (_r, t) => {
    const m = t.match(/^(\w+):\n/m)
    if (!m) return `base: &b { cash: 1 }\nother: { <<: *b }\n${t}`
    return t.replace(/^(\w+):\n/m, '$1: &anchor\n') + `\ncopy: *anchor\n`
  },
  'self-referencing alias': (_r, t) => `${t}\nloop: &l [*l]\n`,
  'deeply nested flow': (r, t) => {
    const n = int(r, 100, 20_000)
    return `${t}\nnested: ${'['.repeat(n)}${']'.repeat(n)}\n`
  },
  'deeply nested block': (r, t) => {
    const n = int(r, 50, 3000)
    return `${t}\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`
  },
  'top level is not a mapping': (r) =>
    pick(r, ['- 1\n- 2\n', '42\n', '"text"\n', 'null\n', '[]\n', '!!binary aGVsbG8=\n']),
  'unclosed quote': (_r, t) => t.replace(/'/, ''),
}

/** JSON-only mutations. */
const JSON_MUTATIONS: Record<string, TextMutation> = {
  'value replaced': (r, t) => {
    const hits = [...t.matchAll(/(?<=: )(-?[\d.]+(?:e-?\d+)?|"[^"]*"|true|false|null)/g)]
    if (hits.length === 0) return t
    const h = pick(r, hits)
    return (
      t.slice(0, h.index!) +
      pick(r, ['null', '"x"', '[]', '{}', '1e400', '-1', 'NaN', 'Infinity', '1e308', '-0', 'true', '0']) +
      t.slice(h.index! + h[0].length)
    )
  },
  'key removed': (r, t) => {
    const lines = t.split('\n')
    const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*"\w+": [^{[]/.test(l))
    if (keyed.length === 0) return t
    lines.splice(pick(r, keyed)[1], 1)
    return lines.join('\n')
  },
  'deeply nested': (r, t) => {
    const n = int(r, 100, 50_000)
    return t.replace(/^\{/, `{"nested": ${'['.repeat(n)}${']'.repeat(n)},`)
  },
  'top level is not an object': (r) => pick(r, ['[]', '1', '"x"', 'null', '[{}]']),
}

export type TextKind = 'yaml' | 'json' | 'text'

/** Mutation names not to generate (a run that leaves out a known open failure says so in its output). */
export const SKIPPED_MUTATIONS = new Set<string>()

/** Applies 1–2 seeded mutations to `base`; returns the bytes and what was done. */
export function mutateText(base: string, kind: TextKind, r: Rng): { bytes: Uint8Array; what: string[] } {
  const table = { ...TEXT_MUTATIONS, ...(kind === 'yaml' ? YAML_MUTATIONS : kind === 'json' ? JSON_MUTATIONS : {}) }
  const keep = (n: string) => !SKIPPED_MUTATIONS.has(n)
  const specific = Object.keys(
    kind === 'yaml' ? YAML_MUTATIONS : kind === 'json' ? JSON_MUTATIONS : TEXT_MUTATIONS,
  ).filter(keep)
  const names = Object.keys(table).filter(keep)
  let cur: string | Uint8Array = base
  const what: string[] = []
  const steps = int(r, 1, 2)
  for (let s = 0; s < steps; s++) {
    // Structure-aware mutations first and more often; a byte-level one may follow.
    const name = s === 0 && r() < 0.6 ? pick(r, specific) : pick(r, names)
    const text = typeof cur === 'string' ? cur : dec.decode(cur)
    cur = table[name]!(r, text)
    what.push(name)
  }
  return { bytes: typeof cur === 'string' ? bytes(cur) : cur, what }
}
