/**
 * `kestrel data archive|restore`: the lifecycle between the hot DuckDB store and the Parquet lake (cold tier).
 * Archive moves bars older than the hot window (`storage.hotWindowDays`, or `--older-than-days`, or `--before`)
 * into the lake, verified bar by bar before the hot copy goes; restore brings a range back. Also the helpers
 * the other data commands use to open both tiers as one {@link TieredStore}.
 */
import { dirname, join } from 'node:path'
import type { Command } from 'commander'
import {
  KestrelError,
  isoUtc,
  kestrelConfigSchema,
  loadConfigFile,
  parseIso,
  parseTimeframe,
} from '../../core/index.ts'
import { DuckDbStore, ParquetLake, TieredStore } from '../../data/index.ts'
import type { BarStore } from '../../data/index.ts'
import { envVars, printJson, stdout, table, withExample } from '../util.ts'

/** The embedded store's default file. */
export const DEFAULT_DB = '.kestrel/kestrel.duckdb'
const DAY_MS = 86_400_000

/** The lake folder: `--lake`, else `lake/` beside the DuckDB file (`.kestrel/lake` for the default file). */
export function lakePathFor(db: string, lake?: string): string {
  return lake ?? join(dirname(db), 'lake')
}

/** Opens the DuckDB file and the lake as one store; the hot window only matters to `archive`. */
export async function openTiered(db: string, lake?: string, hotWindowDays = 365): Promise<TieredStore> {
  const store = new TieredStore(new DuckDbStore(db), new ParquetLake(lakePathFor(db, lake)), {
    hotWindowMs: hotWindowDays * DAY_MS,
  })
  await store.init()
  return store
}

/** `SPY.ARCA` as is; `SPY` → the one stored instrument with that symbol (USAGE error if none or several). */
export async function resolveInstrument(store: BarStore, symbol: string): Promise<string> {
  const all = await store.instruments()
  if (all.some((i) => i.id === symbol)) return symbol
  const hits = all.filter((i) => i.symbol.toUpperCase() === symbol.toUpperCase())
  if (hits.length === 1) return hits[0]!.id
  if (hits.length === 0) {
    throw new KestrelError('DATA_NOT_FOUND', `no stored instrument ${JSON.stringify(symbol)}; see kestrel data ls`, {
      symbol,
    })
  }
  throw new KestrelError(
    'USAGE',
    `symbol ${symbol} is stored under several venues (${hits.map((h) => h.id).join(', ')}); pass the instrument id`,
  )
}

interface ArchiveCliOptions {
  olderThanDays?: string
  before?: string
  symbol?: string
  timeframe?: string
  db?: string
  lake?: string
  config?: string
  json: boolean
}

/** Registers `kestrel data archive` and `kestrel data restore`. */
export function registerDataLake(data: Command): void {
  withExample(
    data
      .command('archive')
      .description('move bars older than the hot window from DuckDB into the Parquet lake (verified before deleting)')
      .option('--older-than-days <n>', 'hot window in days (default: storage.hotWindowDays of --config, else 365)')
      .option('--before <date>', 'archive bars that open before this date/time instead (ISO, UTC)')
      .option('--symbol <s>', 'only this instrument (id or symbol)')
      .option('--timeframe <tf>', 'only this timeframe')
      .option('--db <file>', `DuckDB file (default: storage.path of --config, else ${DEFAULT_DB})`)
      .option('--lake <dir>', 'lake folder (default: storage.lakePath of --config, else lake/ beside the DuckDB file)')
      .option('--config <yaml>', 'config file whose storage: section gives the paths and hotWindowDays')
      .option('--json', 'machine-readable output', false)
      .action(async (o: ArchiveCliOptions) => {
        const cfg = o.config ? loadConfigFile(o.config, kestrelConfigSchema, envVars()).value.storage : undefined
        if (o.before !== undefined && o.olderThanDays !== undefined) {
          throw new KestrelError('USAGE', 'pass either --before or --older-than-days, not both')
        }
        let days = cfg?.hotWindowDays ?? 365
        if (o.olderThanDays !== undefined) {
          days = Number(o.olderThanDays)
          if (!(Number.isFinite(days) && days >= 0)) {
            throw new KestrelError(
              'USAGE',
              `--older-than-days ${JSON.stringify(o.olderThanDays)}: expected a number >= 0`,
            )
          }
        }
        const now = o.before !== undefined ? parseIso(o.before) : Date.now()
        const hotWindowMs = o.before !== undefined ? 0 : days * DAY_MS
        const tf = o.timeframe === undefined ? undefined : parseTimeframe(o.timeframe).text
        const db = o.db ?? cfg?.path ?? DEFAULT_DB
        const store = new TieredStore(new DuckDbStore(db), new ParquetLake(lakePathFor(db, o.lake ?? cfg?.lakePath)), {
          hotWindowMs,
          now: () => now,
        })
        await store.init()
        try {
          const instrumentId = o.symbol === undefined ? undefined : await resolveInstrument(store, o.symbol)
          const reports = await store.archive({ instrumentId, timeframe: tf })
          if (o.json) return printJson({ cutoff: now - hotWindowMs, lake: store.lake.root, series: reports })
          stdout().write(`archiving bars that open before ${isoUtc(now - hotWindowMs)} into ${store.lake.root}\n`)
          if (reports.length === 0) stdout().write('nothing older than the hot window\n')
          else
            stdout().write(
              table(
                reports.map((r) => ({
                  instrument: r.instrumentId,
                  timeframe: r.timeframe,
                  moved: r.moved,
                  'new in lake': r.newInLake,
                })),
              ),
            )
        } finally {
          await store.close()
        }
      }),
    'kestrel data archive --before 2013-10-09 --symbol SPY',
    'kestrel data archive --config kestrel.yaml',
    'kestrel data archive --older-than-days 30 --db .kestrel/kestrel.duckdb --lake .kestrel/lake',
  )

  withExample(
    data
      .command('restore')
      .description('bring bars back from the Parquet lake into DuckDB (and remove them from the lake)')
      .requiredOption('--symbol <s>', 'instrument id or symbol')
      .option('--timeframe <tf>', 'only this timeframe (default: every timeframe of the symbol in the lake)')
      .option('--from <iso>', 'first bar open time (inclusive)')
      .option('--to <iso>', 'end (exclusive)')
      .option('--keep-in-lake', 'copy instead of move', false)
      .option('--db <file>', 'DuckDB file', DEFAULT_DB)
      .option('--lake <dir>', 'lake folder (default: lake/ beside the DuckDB file)')
      .option('--json', 'machine-readable output', false)
      .action(
        async (o: {
          symbol: string
          timeframe?: string
          from?: string
          to?: string
          keepInLake: boolean
          db: string
          lake?: string
          json: boolean
        }) => {
          const range = {
            from: o.from === undefined ? undefined : parseIso(o.from),
            to: o.to === undefined ? undefined : parseIso(o.to),
          }
          const store = await openTiered(o.db, o.lake)
          try {
            const id = await resolveInstrument(store, o.symbol)
            const tfs = o.timeframe
              ? [parseTimeframe(o.timeframe).text]
              : (await store.lake.seriesKeys()).filter((k) => k.instrumentId === id).map((k) => k.timeframe)
            const rows = []
            for (const tf of tfs)
              rows.push({ instrument: id, timeframe: tf, restored: await store.restore(id, tf, range, o.keepInLake) })
            if (o.json) return printJson(rows)
            if (rows.length === 0) stdout().write(`nothing of ${id} in the lake ${store.lake.root}\n`)
            else stdout().write(table(rows))
          } finally {
            await store.close()
          }
        },
      ),
    'kestrel data restore --symbol SPY --from 2013-10-07 --to 2013-10-08',
  )
}
