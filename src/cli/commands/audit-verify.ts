/** `kestrel audit verify <journal>`: checks a journal's hash chain; exit 1 names the first bad record. */
import { KestrelError } from '../../core/index.ts'
import { verifyJournal } from '../../engine/journal/verify.ts'
import { printJson, stdout } from '../util.ts'

function parseExpect(s: string | undefined): { records: number; lastHash: string } | undefined {
  if (s === undefined) return undefined
  const m = /^(\d+):([0-9a-f]{64})$/.exec(s)
  if (!m)
    throw new KestrelError('PARAM_INVALID', `--expect: expected <records>:<64 hex digits>, got ${JSON.stringify(s)}`)
  return { records: Number(m[1]), lastHash: m[2]! }
}

export async function run(
  journal: string | undefined,
  o: { expect?: string; json: boolean; pg?: string; node?: string; table: string },
): Promise<void> {
  let v
  if (o.pg !== undefined) {
    if (o.node === undefined) throw new KestrelError('USAGE', 'audit verify --pg: give --node <id> (whose journal)')
    const { default: pg } = await import('pg')
    const { PgJournalMirror } = await import('../../engine/journal/pg-mirror.ts')
    const client = new pg.Client({ connectionString: o.pg })
    await client.connect()
    try {
      v = await new PgJournalMirror(client, o.node, o.table).verify()
    } finally {
      await client.end()
    }
    journal = `${o.table} (node ${o.node})`
  } else {
    if (journal === undefined)
      throw new KestrelError('USAGE', 'audit verify: give a journal file, or --pg <url> --node <id>')
    v = verifyJournal(journal, parseExpect(o.expect))
  }
  if (o.json) printJson({ journal, ...v })
  else if (v.ok) stdout().write(`${journal}: intact, ${v.records} records, last hash ${v.lastHash}\n`)
  else
    stdout().write(
      `${journal}: BROKEN at record ${v.firstBad!.record}: ${v.firstBad!.reason} (${v.records} records before it verify)\n`,
    )
  if (!v.ok) process.exitCode = 1
}
