/** The node's journal: append-only, hash-chained, written before it is acted on; also the audit trail. */
export * from './records.ts'
export * from './file-journal.ts'
export * from './verify.ts'
export * from './pg-mirror.ts'
