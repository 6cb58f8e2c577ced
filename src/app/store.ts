/**
 * Where the data use cases find the store: the hot tier (DuckDB by default, or PostgreSQL as a config's
 * `storage:` section says) and the Parquet lake (cold tier), opened together as one {@link TieredStore}.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { KestrelError, findInstrument, kestrelConfigSchema, loadConfigFile } from '../core/index.ts'
import type { BarSeries, InstrumentName } from '../core/index.ts'
import { DuckDbStore, ParquetLake, PostgresStore, TieredStore, redact } from '../data/index.ts'
import type { BarStore } from '../data/index.ts'
import type { Env } from './types.ts'

/** The embedded store's default file. */
export const DEFAULT_DB = '.kestrel/kestrel.duckdb'
const DAY_MS = 86_400_000

/** The lake folder: `--lake`, else `lake/` beside the DuckDB file (`.kestrel/lake` for the default file). */
export function lakePathFor(db: string, lake?: string): string {
  return lake ?? join(dirname(db), 'lake')
}

/** Where the store is: a DuckDB file, or a config whose `storage:` section names it; and the lake. */
export interface StoreSelection {
  readonly db?: string
  readonly lake?: string
  readonly config?: string
  /** The environment `${ENV:NAME}` in the config reads. */
  readonly env: Env
  /** Told once while another process holds the DuckDB file. */
  readonly onLockWait?: (message: string) => void
  /** Told when a command that writes (import, fetch) creates a new DuckDB file. */
  readonly onCreate?: (db: string) => void
}

/** Where the hot store and the lake are. */
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
  readonly onLockWait?: (message: string) => void
  readonly onCreate?: (db: string) => void
}

/**
 * Resolves a store selection: `db` names a DuckDB file; else the config's `storage:` section (its relative paths
 * taken from the config file's folder, `backend: postgres` honoured); else {@link DEFAULT_DB}. The lake is
 * `lake`, else `storage.lakePath`, else `lake/` beside the DuckDB file.
 */
export function storeLocation(o: StoreSelection): StoreLocation {
  const cfg = o.config ? loadConfigFile(o.config, kestrelConfigSchema, o.env).value.storage : undefined
  const onLockWait = o.onLockWait
  const onCreate = o.onCreate
  const hotWindowDays = cfg?.hotWindowDays ?? 365
  if (!cfg || o.db !== undefined) {
    const db = o.db ?? DEFAULT_DB
    const cfgLake = cfg?.lakePath === undefined ? undefined : resolve(dirname(resolve(o.config!)), cfg.lakePath)
    return {
      backend: 'duckdb',
      db,
      lake: lakePathFor(db, o.lake ?? cfgLake),
      hotWindowDays,
      where: db,
      onLockWait,
      onCreate,
    }
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
  return { backend: 'duckdb', db, lake: lakePathFor(db, lake), hotWindowDays, where: db, onLockWait, onCreate }
}

/** The hot store of a location (not yet opened). */
export function hotStoreAt(loc: StoreLocation): BarStore {
  if (loc.backend === 'postgres')
    return new PostgresStore({ connectionString: loc.postgresUrl!, schema: loc.postgresSchema })
  return new DuckDbStore(loc.db!, loc.onLockWait ? { onLockWait: loc.onLockWait } : {})
}

/** True when the hot store of `loc` is a DuckDB file that does not exist yet. */
export function storeMissing(loc: StoreLocation): boolean {
  return loc.backend === 'duckdb' && !existsSync(loc.db!)
}

/**
 * Nothing when the store of `loc` exists (or `create` is set, when {@link StoreLocation.onCreate} hears of the
 * new file); else FILE_NOT_FOUND naming the file. So a command given a mistyped `--db` says so instead of
 * creating an empty store there.
 */
export function requireStore(loc: StoreLocation, create = false): void {
  if (!storeMissing(loc)) return
  if (create) return loc.onCreate?.(loc.db!)
  throw new KestrelError(
    'FILE_NOT_FOUND',
    `${loc.db}: no such store (the file does not exist); check --db, or create one with kestrel data import or kestrel data fetch`,
    { db: loc.db },
  )
}

/**
 * Opens the hot store and the lake of `o` as one store; the hot window only matters to {@link archiveBars}.
 * A DuckDB file that does not exist is an error ({@link requireStore}) unless `create` is set.
 */
export async function openTiered(
  o: StoreSelection | StoreLocation,
  tiering: { hotWindowMs?: number; now?: () => number; create?: boolean } = {},
): Promise<TieredStore> {
  const loc = 'backend' in o ? o : storeLocation(o)
  requireStore(loc, tiering.create)
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

/**
 * Opens an existing store for reading, as {@link openTiered} does, except that a DuckDB file that does not exist is
 * a FILE_NOT_FOUND error naming it (a mistyped path never creates an empty store).
 */
export async function openExistingStore(o: StoreSelection | StoreLocation): Promise<TieredStore> {
  const loc = 'backend' in o ? o : storeLocation(o)
  if (loc.backend === 'duckdb' && !existsSync(loc.db!)) {
    throw new KestrelError(
      'FILE_NOT_FOUND',
      `store ${loc.db} does not exist (kestrel data import creates it; check the --db path)`,
      { path: loc.db },
    )
  }
  return openTiered(loc)
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

/**
 * The instrument id `key` names in `store`: an id as is, a bare symbol when one stored instrument has it (the
 * rule of {@link findInstrument}). A series stored without an instrument row counts under its id, its symbol the
 * id before the venue. An ambiguous symbol is USAGE listing the candidates; an unknown name DATA_NOT_FOUND listing
 * the near names and what the store has.
 */
export async function resolveInstrument(store: BarStore, key: string): Promise<string> {
  const rows: InstrumentName[] = await store.instruments()
  const hit = tryFind(key, rows)
  if (hit) return hit
  const named = new Set(rows.map((i) => i.id))
  const bare = (await store.summary())
    .filter((s) => !named.has(s.instrumentId))
    .map((s) => ({ id: s.instrumentId, symbol: s.instrumentId.replace(/\.[^.]*$/, '') }))
  const all = [...rows, ...new Map(bare.map((b) => [b.id, b])).values()]
  return findInstrument(key, all, { hint: 'see kestrel data ls' }).id
}

/** The id `key` names among `rows`, or undefined when none does (an ambiguous symbol throws). */
function tryFind(key: string, rows: readonly InstrumentName[]): string | undefined {
  try {
    return findInstrument(key, rows).id
  } catch (e) {
    if (e instanceof KestrelError && e.code === 'DATA_NOT_FOUND') return undefined
    throw e
  }
}

/** The instrument ids `keys` name in `store` ({@link resolveInstrument}), each once, in the order first named. */
export async function resolveInstruments(store: BarStore, keys: readonly string[]): Promise<string[]> {
  const ids: string[] = []
  for (const k of keys) {
    const id = await resolveInstrument(store, k)
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}
