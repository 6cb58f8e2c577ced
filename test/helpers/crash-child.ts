/**
 * The process that test/helpers/crash.ts kills: `import <db> <csv>` imports a file into a DuckDB store through
 * the public import path; `archive <db> <lake> <cutoffMs> <chunk>` archives bars opening before the cutoff into
 * the Parquet lake; `create <db>` opens a new store and closes it. Prints `ready` once loaded (the parent times its kill from there) and `done` at the end.
 */
// The store's own modules, not src/data/index.ts: the child starts once per kill, so it loads only what it runs.
import { importFile } from '../../src/data/ingest/import-csv.ts'
import { DuckDbStore } from '../../src/data/store/duckdb/duckdb-store.ts'
import { ParquetLake } from '../../src/data/store/lake/parquet-lake.ts'
import { TieredStore } from '../../src/data/store/tiered.ts'

const [cmd, db, a, b, c] = process.argv.slice(2)
process.stdout.write('ready\n')
if (cmd === 'import') {
  await importFile(
    async () => {
      const s = new DuckDbStore(db!)
      await s.init()
      return s
    },
    a!,
    { venue: 'TEST', timeframe: '1m', assetClass: 'crypto' },
  )
} else if (cmd === 'create') {
  const s = new DuckDbStore(db!)
  await s.init()
  await s.close()
} else if (cmd === 'archive') {
  const cutoff = Number(b)
  const store = new TieredStore(new DuckDbStore(db!), new ParquetLake(a!), { hotWindowMs: 0, now: () => cutoff })
  await store.init()
  await store.archive({ chunkSize: Number(c) })
  await store.close()
} else throw new Error(`crash-child: unknown command ${cmd}`)
process.stdout.write('done\n')
