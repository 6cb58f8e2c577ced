/**
 * Options-flow files: JSON lines of option prints, `{ "time": "2024-03-01T15:02:11Z", "symbol": "IBM",
 * "right": "call", "strike": 190, "expiry": "2024-03-15", "premium": 412000, "volume": 2400,
 * "openInterest": 800, "side": "sweep" }` (`id` optional). Bad lines are quarantined (see `jsonl-records.ts`).
 */
import type { OptionsFlowRecord, OptionsFlowSource } from '../../../core/index.ts'
import { JsonlRecordSource, parseRecordLines, type RecordFields, type RecordFile } from './jsonl-records.ts'

const KEYS = ['time', 'symbol', 'right', 'strike', 'expiry', 'premium', 'volume', 'openInterest', 'side'] as const

function parseFlow(f: RecordFields, id: string): OptionsFlowRecord {
  return {
    id,
    time: f.time('time'),
    symbol: f.string('symbol').toUpperCase(),
    right: f.oneOf('right', ['call', 'put'] as const),
    strike: f.number('strike', 0, { strict: true }),
    expiry: f.date('expiry'),
    premium: f.number('premium', 0),
    volume: f.number('volume', 0, { int: true }),
    openInterest: f.number('openInterest', 0, { int: true }),
    side: f.oneOf('side', ['sweep', 'block'] as const),
  }
}

/** Parses the text of an options-flow file (`file` names it in messages). */
export function parseOptionsFlowLines(text: string, file: string): RecordFile<OptionsFlowRecord> {
  return parseRecordLines(text, file, KEYS, parseFlow)
}

/** An {@link OptionsFlowSource} over an options-flow JSON-lines file; bad lines in `quarantine`. */
export class JsonlOptionsFlowSource extends JsonlRecordSource<OptionsFlowRecord> implements OptionsFlowSource {
  constructor(path: string) {
    super(path, KEYS, parseFlow)
  }
}
