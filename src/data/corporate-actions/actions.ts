/** Corporate actions files: `symbol,date,type,value` with type `split` (ratio, e.g. 7 or 7:1) or `dividend` (cash per share). */
import { readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { KestrelError } from '../../core/index.ts'

/** One split or cash dividend, effective from the start of its ex-date. */
export interface CorporateAction {
  readonly symbol: string
  /** Ex-date, `YYYY-MM-DD`. */
  readonly date: string
  readonly type: 'split' | 'dividend'
  /** Split: new shares per old share (7 for 7:1, 0.1 for a 1:10 reverse split). Dividend: cash per share. */
  readonly value: number
  /** 1-based line in the file. */
  readonly line: number
}

/** The parsed file and the sha256 of its bytes (for lineage). */
export interface CorporateActionsFile {
  readonly source: string
  readonly hash: string
  readonly actions: CorporateAction[]
}

function bad(source: string, line: number, msg: string, raw: string): KestrelError {
  return new KestrelError('DATA_BAD_ROW', `${source} line ${line}: ${msg}`, { source, line, raw })
}

/**
 * Parses a corporate actions CSV. Every row must be valid: a missing split would silently corrupt the adjusted
 * series, so a bad row is an error naming its line, not a quarantined row.
 */
export function parseCorporateActions(text: string, source = '<corporate actions>'): CorporateAction[] {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').toLowerCase().replace(/\s/g, '')
  if (header !== 'symbol,date,type,value') {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${source}: header must be symbol,date,type,value, found ${JSON.stringify(lines[0] ?? '')}`,
      {
        source,
      },
    )
  }
  const out: CorporateAction[] = []
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!
    if (!raw.trim()) continue
    const f = raw.split(',').map((x) => x.trim())
    const line = i + 1
    if (f.length !== 4) throw bad(source, line, `expected 4 columns, found ${f.length}`, raw)
    const [symbol, date, typeText, valueText] = f as [string, string, string, string]
    if (!symbol) throw bad(source, line, 'empty symbol', raw)
    if (!/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw bad(source, line, `date ${JSON.stringify(date)} is not YYYY-MM-DD`, raw)
    }
    const type = typeText.toLowerCase()
    if (type !== 'split' && type !== 'dividend')
      throw bad(source, line, `type ${JSON.stringify(typeText)}: expected split or dividend`, raw)
    let value: number
    const ratio = /^(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)$/.exec(valueText)
    if (type === 'split' && ratio) value = Number(ratio[1]) / Number(ratio[2])
    else value = valueText === '' ? NaN : Number(valueText)
    if (!(value > 0) || !Number.isFinite(value))
      throw bad(source, line, `${type} value ${JSON.stringify(valueText)} must be a number > 0`, raw)
    out.push({ symbol: symbol.toUpperCase(), date, type, value, line })
  }
  return out
}

/** Reads and parses a corporate actions file; FILE_NOT_FOUND when missing. */
export async function readCorporateActions(path: string): Promise<CorporateActionsFile> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path }, { cause: e })
  }
  return {
    source: path,
    hash: createHash('sha256').update(bytes).digest('hex'),
    actions: parseCorporateActions(bytes.toString('utf8'), path),
  }
}
