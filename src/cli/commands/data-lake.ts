/**
 * `kestrel data archive|restore`: the lifecycle between the hot DuckDB store and the Parquet lake (cold tier).
 * Archive moves bars older than the hot window (`storage.hotWindowDays`, or `--older-than-days`, or `--before`)
 * into the lake, verified bar by bar before the hot copy goes; restore brings a range back. Also the helpers
 * the other data commands use to open both tiers as one {@link TieredStore}.
 */
import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  KestrelError,
  isoUtc,
  kestrelConfigSchema,
  loadConfigFile,
  parseIso,
  parseTimeframe,
} from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { DuckDbStore, ParquetLake, PostgresStore, TieredStore, redact } from '../../data/index.ts'
import type { BarStore } from '../../data/index.ts'
import { envVars, printJson, stderr, stdout, table, withExample } from '../util.ts'

/** The embedded store's default file. */
export const DEFAULT_DB = '.kestrel/kestrel.duckdb'
const DAY_MS = 86_400_000

/** The lake folder: `--lake`, else `lake/` beside the DuckDB file (`.kestrel/lake` for the default file). */
export function lakePathFor(db: string, lake?: string): string {
  return lake ?? join(dirname(db), 'lake')
}

/** The store flags the data commands share. */
export interface StoreCliOptions {
  readonly db?: string
  readonly lake?: string
  readonly config?: string
}

/** Where the data commands find the hot store and the lake. */
export interface StoreLocation {
  readonly backend: 'duckdb' | 'postgres'
  /** The DuckDB file (duckdb backend). */
  readonly db?: string
  readonly postgresUrl?: string
  readonly postgresSchema?: string
  readonly lake: string
  /** `storage.hotWindowDays` of the config, else 365. */
  readonly hotWindowDays: number
  /** The DuckDB file or the PostgreSQL URL without its password, for messages. */
  readonly where: string
}

/** Help text of the shared store flags. */
export const STORE_HELP = {
  db: `DuckDB file (default: storage.path of --config, else ${DEFAULT_DB})`,
  lake: 'Parquet lake folder (default: storage.lakePath of --config, else lake/ beside the DuckDB file)',
  config: 'config file whose storage: section names the store (duckdb or postgres) and the lake',
}

/** Adds `--db`, `--lake` and `--config` to a data command. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', STORE_HELP.db)
    .option('--lake <dir>', STORE_HELP.lake)
    .option('--config <yaml>', STORE_HELP.config)
}

/**
 * Resolves the store flags: `--db` names a DuckDB file; else the config's `storage:` section (its relative paths
 * taken from the config file's folder, `backend: postgres` honoured); else {@link DEFAULT_DB}. The lake is
 * `--lake`, else `storage.lakePath`, else `lake/` beside the DuckDB file.
 */
export function storeLocation(o: StoreCliOptions): StoreLocation {
  const cfg = o.config ? loadConfigFile(o.config, kestrelConfigSchema, envVars()).value.storage : undefined
  const hotWindowDays = cfg?.hotWindowDays ?? 365
  if (!cfg || o.db !== undefined) {
    const db = o.db ?? DEFAULT_DB
    const cfgLake = cfg?.lakePath === undefined ? undefined : resolve(dirname(resolve(o.config!)), cfg.lakePath)
    return { backend: 'duckdb', db, lake: lakePathFor(db, o.lake ?? cfgLake), hotWindowDays, where: db }
  }
  const base = dirname(resolve(o.config!))
  const lake = o.lake ?? (cfg.lakePath === undefined ? undefined : resolve(base, cfg.lakePath))
  if (cfg.backend === 'postgres') {
    if (!cfg.postgresUrl) {
      throw new KestrelError(
        'CONFIG_INVALID',
        `${o.config}: storage.postgresUrl is required when storage.backend is postgres`,
        {
          source: o.config,
        },
      )
    }
    return {
      backend: 'postgres',
      postgresUrl: cfg.postgresUrl,
      postgresSchema: cfg.postgresSchema,
      lake: lake ?? lakePathFor(resolve(base, DEFAULT_DB)),
      hotWindowDays,
      where: redact(cfg.postgresUrl),
    }
  }
  const db = resolve(base, cfg.path)
  return { backend: 'duckdb', db, lake: lakePathFor(db, lake), hotWindowDays, where: db }
}

/** The hot store of a location (not yet opened). */
export function hotStoreAt(loc: StoreLocation): BarStore {
  if (loc.backend === 'postgres')
    return new PostgresStore({ connectionString: loc.postgresUrl!, schema: loc.postgresSchema })
  return new DuckDbStore(loc.db!, { onLockWait: (m) => stderr().write(`note: ${m}\n`) })
}

/** Opens the hot store and the lake of `o` as one store; the hot window only matters to `archive`. */
export async function openTiered(
  o: StoreCliOptions | StoreLocation,
  tiering: { hotWindowMs?: number; now?: () => number } = {},
): Promise<TieredStore> {
  const loc = 'backend' in o ? o : storeLocation(o)
  const store = new TieredStore(hotStoreAt(loc), new ParquetLake(loc.lake), {
    hotWindowMs: tiering.hotWindowMs ?? loc.hotWindowDays * DAY_MS,
    now: tiering.now,
  })
  try {
    await store.init()
  } catch (e) {
    await store.close().catch(() => undefined)
    throw e
  }
  return store
}

/** `bars` unchanged, or a DATA_NOT_FOUND error when it yields no bar (an export of nothing is a mistake). */
export async function* requireBars(bars: AsyncIterable<BarSeries>, what: string): AsyncIterable<BarSeries> {
  let any = false
  for await (const s of bars) {
    if (s.openTime.length > 0) any = true
    yield s
  }
  if (!any) throw new KestrelError('DATA_NOT_FOUND', `${what}: no bars stored; see kestrel data ls`, { what })
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
    storeOptions(
      data
        .command('archive')
        .description(
          'move bars older than the hot window from the hot store (DuckDB or PostgreSQL) into the Parquet lake (verified before deleting)',
        )
        .option('--older-than-days <n>', 'hot window in days (default: storage.hotWindowDays of --config, else 365)')
        .option('--before <date>', 'archive bars that open before this date/time instead (ISO, UTC)')
        .option('--symbol <s>', 'only this instrument (id or symbol)')
        .option('--timeframe <tf>', 'only this timeframe'),
    )
      .option('--json', 'machine-readable output', false)
      .action(async (o: ArchiveCliOptions) => {
        if (o.before !== undefined && o.olderThanDays !== undefined) {
          throw new KestrelError('USAGE', 'pass either --before or --older-than-days, not both')
        }
        const loc = storeLocation(o)
        let days = loc.hotWindowDays
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
        const store = await openTiered(loc, { hotWindowMs, now: () => now })
        try {
          const instrumentId = o.symbol === undefined ? undefined : await resolveInstrument(store, o.symbol)
          const reports = await store.archive({ instrumentId, timeframe: tf })
          if (o.json)
            return printJson({ cutoff: now - hotWindowMs, hot: loc.where, lake: store.lake.root, series: reports })
          stdout().write(
            `archiving bars that open before ${isoUtc(now - hotWindowMs)} from ${loc.where} into ${store.lake.root}\n`,
          )
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
    storeOptions(
      data
        .command('restore')
        .description('bring bars back from the Parquet lake into the hot store (and remove them from the lake)')
        .requiredOption('--symbol <s>', 'instrument id or symbol')
        .option('--timeframe <tf>', 'only this timeframe (default: every timeframe of the symbol in the lake)')
        .option('--from <iso>', 'first bar open time (inclusive)')
        .option('--to <iso>', 'end (exclusive)')
        .option('--keep-in-lake', 'copy instead of move', false),
    )
      .option('--json', 'machine-readable output', false)
      .action(
        async (
          o: StoreCliOptions & {
            symbol: string
            timeframe?: string
            from?: string
            to?: string
            keepInLake: boolean
            json: boolean
          },
        ) => {
          const range = {
            from: o.from === undefined ? undefined : parseIso(o.from),
            to: o.to === undefined ? undefined : parseIso(o.to),
          }
          const store = await openTiered(o)
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
