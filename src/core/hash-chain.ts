/**
 * The hash chain of Kestrel's journal (and so of its audit trail): each record carries the SHA-256 of the
 * record before it and its own SHA-256 over its exact bytes, so changing, removing, inserting or reordering any
 * record breaks every link after it. Governance verifies chains with these helpers; only the journal writes.
 */
import { createHash } from 'node:crypto'

/** The `prev` of a chain's first record: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64)

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** True for a 64-character lower-case hex digest. */
export function isHashHex(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)
}
