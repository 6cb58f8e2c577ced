/**
 * Insider-transaction files: JSON lines of Form-4-like records, `{ "time": "2024-03-04T21:15:00Z",
 * "symbol": "BAC", "insider": "Jane Roe", "role": "Director", "code": "P", "shares": 10000, "price": 29.1 }`
 * (`id` optional; `time` is when the filing became public). Bad lines are quarantined (see `jsonl-records.ts`).
 */
import type { InsiderSource, InsiderTransaction } from '../../../core/index.ts'
import { JsonlRecordSource, parseRecordLines, type RecordFields, type RecordFile } from './jsonl-records.ts'

const KEYS = ['time', 'symbol', 'insider', 'role', 'code', 'shares', 'price'] as const

function parseInsider(f: RecordFields, id: string): InsiderTransaction {
  return {
    id,
    time: f.time('time'),
    symbol: f.string('symbol').toUpperCase(),
    insider: f.string('insider'),
    role: f.string('role'),
    code: f.oneOf('code', ['P', 'S'] as const),
    shares: f.number('shares', 0, { strict: true }),
    price: f.number('price', 0, { strict: true }),
  }
}

/** Parses the text of an insider-transaction file (`file` names it in messages). */
export function parseInsiderLines(text: string, file: string): RecordFile<InsiderTransaction> {
  return parseRecordLines(text, file, KEYS, parseInsider)
}

/** An {@link InsiderSource} over an insider-transaction JSON-lines file; bad lines in `quarantine`. */
export class JsonlInsiderSource extends JsonlRecordSource<InsiderTransaction> implements InsiderSource {
  constructor(path: string) {
    super(path, KEYS, parseInsider)
  }
}
