/** Verifying a journal as an audit trail: `kestrel audit verify <journal>`. */
import { scanJournal } from './records.ts'

/** The result of {@link verifyJournal}. */
export interface JournalVerification {
  readonly ok: boolean
  /** Records that verified. */
  readonly records: number
  /** Hash of the last good record: an auditor keeps it to detect a later truncation. */
  readonly lastHash: string
  /** The first record that does not verify (1-based), and why. */
  readonly firstBad?: { readonly record: number; readonly reason: string }
}

/**
 * Checks every link of the chain. A torn last line counts as bad (an auditor sees the file as it is; a node
 * reopening the journal cuts it off, since nothing acted on it). `expectLastHash` (a hash kept from an earlier
 * verification) also detects records cut off the end.
 */
export function verifyJournal(
  path: string,
  expect?: { readonly records: number; readonly lastHash: string },
): JournalVerification {
  const s = scanJournal(path)
  if (s.firstBad)
    return {
      ok: false,
      records: s.records,
      lastHash: s.lastHash,
      firstBad: { record: s.firstBad.line, reason: s.firstBad.reason },
    }
  if (s.tornBytes > 0)
    return {
      ok: false,
      records: s.records,
      lastHash: s.lastHash,
      firstBad: { record: s.records + 1, reason: `incomplete (${s.tornBytes} bytes without a newline: a torn write)` },
    }
  if (expect) {
    if (s.records < expect.records)
      return {
        ok: false,
        records: s.records,
        lastHash: s.lastHash,
        firstBad: { record: s.records + 1, reason: `missing: the journal had ${expect.records} records` },
      }
    // Re-scan to the expected record to compare its hash.
    let at = ''
    scanJournal(path, (r) => {
      if (r.seq === expect.records) at = r.hash
    })
    if (at !== expect.lastHash)
      return {
        ok: false,
        records: s.records,
        lastHash: s.lastHash,
        firstBad: { record: expect.records, reason: 'hash differs from the one kept' },
      }
  }
  return { ok: true, records: s.records, lastHash: s.lastHash }
}
