/** `kestrel audit ship <journal> --pg <url> --node <id>`: copies a journal's new records into PostgreSQL. */
import pg from 'pg'
import { PgJournalMirror } from '../../engine/journal/pg-mirror.ts'
import { printJson, stdout } from '../util.ts'

export async function run(
  journal: string,
  o: { pg: string; node: string; table: string; json: boolean },
): Promise<void> {
  const client = new pg.Client({ connectionString: o.pg })
  await client.connect()
  try {
    const m = new PgJournalMirror(client, o.node, o.table)
    await m.init()
    const shipped = await m.ship(journal)
    const last = await m.last()
    if (o.json) printJson({ journal, node: o.node, table: o.table, shipped, records: last.seq, lastHash: last.hash })
    else
      stdout().write(
        `${journal}: ${shipped} records shipped to ${o.table} (node ${o.node}: ${last.seq} records, last hash ${last.hash})\n`,
      )
  } finally {
    await client.end()
  }
}
