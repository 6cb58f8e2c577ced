/**
 * The journal in PostgreSQL, the shared store: a mirror that copies a node's journal file, record by record and
 * byte for byte, into a table that many machines (governance, the API, a standby) can read and verify. The file
 * stays the write-ahead log: a node cannot wait on a database before it acts (a durable commit costs what an
 * fsync costs, see bench/journal.bench.ts), so records reach PostgreSQL after they are on disk, in order, each
 * once. Shipping checks that the first new record links to the last one stored, so a mirror never holds two
 * histories of one node; verification re-checks the whole chain from the table alone.
 *
 *     create table <table> (node_id text, seq bigint, line text not null, hash text not null, primary key (node_id, seq))
 */
import { GENESIS_HASH, KestrelError } from '../../core/index.ts'
import { checkLine, scanJournal, type JournalRecord } from './records.ts'
import type { JournalVerification } from './verify.ts'

/** The slice of `pg.Client` / `pg.Pool` the mirror uses. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/

/** A node's journal mirrored into PostgreSQL. */
export class PgJournalMirror {
  private readonly table: string

  constructor(
    private readonly db: PgQueryable,
    readonly nodeId: string,
    table = 'kestrel_journal',
  ) {
    if (!IDENT.test(table))
      throw new KestrelError(
        'CONFIG_INVALID',
        `journal mirror table ${JSON.stringify(table)}: expected a plain identifier`,
      )
    this.table = table
  }

  /** Creates the table when missing. */
  async init(): Promise<void> {
    await this.db.query(
      `create table if not exists ${this.table} (node_id text not null, seq bigint not null, line text not null, hash text not null, primary key (node_id, seq))`,
    )
  }

  /** The last record stored for this node: its sequence number and hash (0 and 64 zeros when none). */
  async last(): Promise<{ seq: number; hash: string }> {
    const r = await this.db.query(`select seq, hash from ${this.table} where node_id = $1 order by seq desc limit 1`, [
      this.nodeId,
    ])
    const row = r.rows[0]
    return row ? { seq: Number(row.seq), hash: String(row.hash) } : { seq: 0, hash: GENESIS_HASH }
  }

  /**
   * Copies the records of the journal file at `path` that the table does not hold yet, in batches of `batch`
   * rows per transaction; resolves to how many it copied. A file whose record at the stored end has another
   * hash is another history: JOURNAL_INVALID, nothing copied.
   */
  async ship(path: string, batch = 500): Promise<number> {
    const last = await this.last()
    const fresh: { seq: number; line: string; hash: string }[] = []
    let linked = last.seq === 0
    const s = scanJournal(path, (r: JournalRecord, line: string) => {
      if (r.seq === last.seq) linked = r.hash === last.hash
      if (r.seq > last.seq) fresh.push({ seq: r.seq, line, hash: r.hash })
    })
    if (s.firstBad)
      throw new KestrelError(
        'JOURNAL_INVALID',
        `journal ${path}: record ${s.firstBad.line}: ${s.firstBad.reason}; not shipped`,
      )
    if (s.records < last.seq || !linked)
      throw new KestrelError(
        'JOURNAL_INVALID',
        `journal ${path}: the mirror of node ${this.nodeId} holds ${last.seq} records ending in ${last.hash.slice(0, 12)}, which this file does not continue; not shipped`,
      )
    for (let i = 0; i < fresh.length; i += batch) {
      const part = fresh.slice(i, i + batch)
      const values: unknown[] = []
      const rows = part.map((f, k) => {
        values.push(this.nodeId, f.seq, f.line, f.hash)
        return `($${4 * k + 1}, $${4 * k + 2}, $${4 * k + 3}, $${4 * k + 4})`
      })
      await this.db.query('begin')
      try {
        await this.db.query(`insert into ${this.table} (node_id, seq, line, hash) values ${rows.join(', ')}`, values)
        await this.db.query('commit')
      } catch (e) {
        await this.db.query('rollback')
        throw e
      }
    }
    return fresh.length
  }

  /** Checks the chain as the table holds it (same rules as the file: `verifyJournal`). */
  async verify(): Promise<JournalVerification> {
    const r = await this.db.query(`select seq, line from ${this.table} where node_id = $1 order by seq`, [this.nodeId])
    let prev = GENESIS_HASH
    let n = 0
    for (const row of r.rows) {
      const c = checkLine(String(row.line), n + 1, prev)
      if (c.error !== undefined)
        return { ok: false, records: n, lastHash: prev, firstBad: { record: n + 1, reason: c.error } }
      n++
      prev = c.record.hash
    }
    return { ok: true, records: n, lastHash: prev }
  }
}
