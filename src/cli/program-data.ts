/**
 * The `kestrel data` commands: names, descriptions, options and examples. Each action loads its command file
 * when it runs (see program.ts).
 */
import type { Command } from 'commander'
import { ASSET_CLASSES, PROVIDERS, SESSIONS } from '../app/choices.ts'
import { seriesOptions } from './series-flags.ts'
import { lazy, withExample } from './util.ts'

const DEFAULT_DB = '.kestrel/kestrel.duckdb'

/** Help text of the shared store flags. */
const STORE_HELP = {
  db: `DuckDB file (default: storage.path of --config, else ${DEFAULT_DB})`,
  lake: 'Parquet lake folder (default: storage.lakePath of --config, else lake/ beside the DuckDB file)',
  config: 'config file whose storage: section names the store (duckdb or postgres) and the lake',
}

/** Adds `--db`, `--lake` and `--config` to a data command. */
function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', STORE_HELP.db)
    .option('--lake <dir>', STORE_HELP.lake)
    .option('--config <yaml>', STORE_HELP.config)
}

/** The options `data import` and `data validate` share: how to read a bar file. */
function fileOptions(cmd: Command): Command {
  return cmd
    .option('--symbol <s>', "the file's symbol (default: from the file name, e.g. SPY_1m.csv → SPY)")
    .option('--instrument <id>', "the file's instrument id SYMBOL.VENUE: --symbol and --venue in one")
    .option('--venue <v>', 'venue; the instrument id is SYMBOL.VENUE (default CSV)')
    .option(
      '--asset-class <c>',
      `one of ${ASSET_CLASSES.join(', ')} (default: crypto for pairs like BTC-USD, else equity)`,
    )
    .option(
      '--timeframe <tf>',
      'bar length, e.g. 1m, 1d, 1w, 1mo (default: from the file name, else the spacing; month bars are one per calendar month)',
    )
    .option('--timezone <tz>', 'IANA zone of timestamps written without an offset', 'UTC')
    .option('--stamped-at <when>', 'open|close: what the timestamp of a row marks', 'open')
    .option(
      '--calendar <id>',
      'calendar for the gap check: NYSE, NYSE_EXT, 24/7, FX, METALS (default: from the asset class)',
    )
    .option('--outlier-z <z>', 'robust z-score above which a return is reported', '12')
    .option('--json', 'machine-readable output', false)
}

/** Registers `kestrel data ...`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('import, validate, list, resample, export and fetch market data')

  withExample(
    storeOptions(
      fileOptions(
        data
          .command('import')
          .description(
            'import bar files (CSV, .csv.gz, Parquet, freqtrade JSON or Feather) into the store: parse, validate, quarantine bad rows, log the import; creates the store if it does not exist',
          )
          .argument(
            '<files...>',
            'CSV, .csv.gz, .parquet, freqtrade .json/.json.gz or .feather files; symbol and timeframe come from names like SPY_1m.csv, ETH_BTC-5m.json, orcl-1995-2014.txt',
          ),
      ),
    ).action(lazy(() => import('./commands/data-import.ts'))),
    'kestrel data import data/bundled/SPY_1m.csv --venue ARCA',
    'kestrel data import exports/SPY_1m.parquet --venue ARCA',
    'kestrel data import user_data/data/binance/ETH_BTC-5m.json --venue BINANCE',
    'kestrel data import user_data/data/binance/ETH_BTC-5m.feather --venue BINANCE',
    'kestrel data import ticks/eurusd.csv --symbol EURUSD --asset-class fx --timezone America/New_York --stamped-at close',
  )

  withExample(
    fileOptions(
      data
        .command('validate')
        .description('check a bar file without storing it; exit status 1 when any row has an error')
        .argument('<file>', 'CSV, .csv.gz, .parquet, freqtrade .json or .feather file'),
    )
      .option('--limit <n>', 'findings to list', '20')
      .action(lazy(() => import('./commands/data-validate.ts'))),
    'kestrel data validate data/bundled/AAPL_1d.csv',
    'kestrel data validate prices.csv --timezone Europe/London --json',
  )

  withExample(
    seriesOptions(
      storeOptions(
        data
          .command('ls')
          .description(
            'list the stored series: rows in all, hot (DuckDB or PostgreSQL) and in the Parquet lake, date range, rows quarantined, quality score (coverage × clean share × (1 − gap share); see README)',
          ),
      ),
      { what: 'only these instruments (default: all)' },
    )
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/data-ls.ts'))),
    'kestrel data ls --db .kestrel/kestrel.duckdb',
    'kestrel data ls SPY --instrument BTC-USD.COINBASE',
  )

  withExample(
    seriesOptions(
      data
        .command('export')
        .description('write stored bars (hot store and Parquet lake alike) to CSV (re-importable) or Parquet'),
      { what: 'the series to export', one: true },
    )
      .requiredOption('--timeframe <tf>', 'bar length, e.g. 1m, 1d, 1mo')
      .option('--from <iso>', 'first bar open time (inclusive), e.g. 2013-10-07')
      .option('--to <iso>', 'last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30Z)')
      .option('--format <f>', 'csv|parquet (default: from the extension of --out, else csv)')
      .requiredOption('--out <file>', 'output file (.parquet writes Parquet)')
      .option('--db <file>', STORE_HELP.db)
      .option('--lake <dir>', STORE_HELP.lake)
      .option('--config <yaml>', STORE_HELP.config)
      .option('--adjust <actions.csv>', 'back-adjust for splits and dividends (file: symbol,date,type,value)')
      .option(
        '--fill-gaps <method>',
        "insert the bars the instrument's calendar expects but the store lacks: ffill (previous close, volume 0) with a filled column (1 = inserted); never without this flag",
      )
      .action(lazy(() => import('./commands/data-export.ts'))),
    'kestrel data export SPY --timeframe 1m --from 2013-10-07 --to 2013-10-07 --out out/spy.csv',
    'kestrel data export --instrument BTC-USD.COINBASE --timeframe 1m --out out/btc.parquet',
    'kestrel data export AAPL --timeframe 1d --adjust test/fixtures/data/AAPL_corporate_actions.csv --out out/aapl_adj.csv',
    'kestrel data export SPY --timeframe 1m --fill-gaps ffill --out out/spy_filled.csv',
  )

  withExample(
    data
      .command('snapshot')
      .description(
        'write stored series to files beside a DVC pointer file (.dvc: md5, size, path; the data version under meta), or point at bar files as they are',
      )
      .argument(
        '[names...]',
        'with --db or --config: stored series (instrument ids or bare symbols, the same as --symbol); else bar files to point at as they are',
      )
      .option('--symbol <ids...>', 'instrument ids or symbols to take from the store (default: every stored series)')
      .option('--instrument <ids...>', 'the same as --symbol')
      .option('--timeframe <tf>', 'only this timeframe')
      .option('--format <f>', 'csv|parquet: the series files (default csv)')
      .option(
        '--out <file.dvc>',
        'the pointer file; required with the store (default for files: the first file + .dvc)',
      )
      .option('--venue <v>', 'venue of the bar files given (the instrument id is SYMBOL.VENUE)', undefined)
      .option('--db <file>', STORE_HELP.db)
      .option('--lake <dir>', STORE_HELP.lake)
      .option('--config <yaml>', STORE_HELP.config)
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/data-snapshot.ts'))),
    'kestrel data snapshot SPY --db .kestrel/kestrel.duckdb --timeframe 1d --out data/spy.dvc',
    'kestrel data snapshot data/bundled/SPY_1d.csv --out data/bundled/SPY_1d.csv.dvc',
  )

  withExample(
    data
      .command('fetch')
      .description('download historical bars (ccxt, Alpaca, Yahoo) into the store, resumable')
      .requiredOption('--provider <name>', `data provider: ${PROVIDERS.join(' | ')}`)
      .requiredOption('--symbol <symbol>', 'provider symbol: BTC/USDT (ccxt), AAPL (alpaca, yahoo)')
      .option('--timeframe <tf>', 'bar length, e.g. 1m, 5m, 1h, 1d', '1m')
      .requiredOption('--from <iso>', 'first bar open time (inclusive), ISO-8601 UTC')
      .option(
        '--to <iso>',
        'last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30Z), UTC; default now',
      )
      .option('--exchange <id>', 'ccxt exchange id', 'binance')
      .option('--market-types <list>', 'ccxt market types to load, e.g. spot (binance: spot,linear,inverse by default)')
      .option('--base-url <url>', "send requests to this host instead of the provider's (proxies, tests)")
      .option('--db <file>', `${STORE_HELP.db}; created if it does not exist (not with --resume)`)
      .option('--config <yaml>', STORE_HELP.config)
      .option('--instrument <id>', 'store the bars under this instrument id, SYMBOL.VENUE (default from provider)')
      .option('--asset-class <class>', 'asset class of the instrument (default crypto for ccxt, equity otherwise)')
      .option('--out <csv>', 'write the bars to this CSV file instead of a store')
      .option('--resume', 'continue from the checkpoint of an interrupted download')
      .option(
        '--checkpoint <file>',
        'checkpoint file (default: <store folder>/checkpoints/<provider>-<symbol>-<tf>.json)',
      )
      .option('--retries <n>', 'attempts per request (429, 5xx, timeouts are retried with backoff)', '5')
      .option('--page-limit <n>', 'bars per request for ccxt and alpaca (default 1000 and 10000)')
      .option('--timeout <ms>', 'per-request timeout in milliseconds', '30000')
      .option('--json', 'print the report as JSON')
      .action(lazy(() => import('./commands/data-fetch.ts'))),
    'kestrel data fetch --provider ccxt --exchange binance --symbol BTC/USDT --timeframe 1m --from 2024-01-01 --to 2024-01-08',
    'APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... kestrel data fetch --provider alpaca --symbol AAPL --from 2024-01-02 --to 2024-01-03 --resume',
    'kestrel data fetch --provider yahoo --symbol SPY --timeframe 1d --from 2020-01-01 --out spy_1d.csv',
  )

  withExample(
    data
      .command('resample')
      .description('resample a bar CSV to a higher timeframe, aligned to market sessions')
      .argument('<csv>', 'bar file (timestamp, open, high, low, close, volume)')
      .requiredOption(
        '--to <timeframe>',
        'target timeframe: a multiple of the input (5m, 15m, 1h, 4h) or 1d (one bar per session)',
      )
      .option(
        '--session <session>',
        `sessions to align to: auto | ${Object.keys(SESSIONS).join(' | ')} (auto: rth for US equity minutes, 24/7 for crypto, fx for FX)`,
        'auto',
      )
      .option('--timeframe <timeframe>', 'input timeframe (inferred from the spacing when absent)')
      .option('--out <file>', 'write the CSV here (default stdout) and print a summary')
      .option('--json', 'with --out: print the summary as JSON')
      .option(
        '--fill-gaps <method>',
        'insert the session bars with no input at all: ffill (previous close, volume 0, count 0) with a filled column (1 = inserted); intraday targets only',
      )
      .action(lazy(() => import('./commands/data-resample.ts'))),
    'kestrel data resample data/bundled/SPY_1m.csv --to 1h --session rth',
    'kestrel data resample data/bundled/BTC-USD_1m.csv --to 5m --out btc_5m.csv',
  )

  withExample(
    data
      .command('synth')
      .description('generate a seeded synthetic market (correlated symbols, regimes, jumps) as CSV files')
      .option('--symbols <n>', 'number of symbols', '3')
      .option('--bars <n>', 'bars per symbol', '10000')
      .option('--seed <n>', 'random seed', '1')
      .requiredOption('--out <dir>', 'directory for SYN<i>_<timeframe>.csv')
      .option('--calendar <id>', 'sessions the bars fall in: 24/7, NYSE (or rth), NYSE_EXT, FX, METALS', '24/7')
      .option('--timeframe <timeframe>', 'bar length', '1m')
      .option('--start <iso>', 'first bar at or after this time (default 2024-01-02)')
      .option('--correlation <rho>', 'pairwise correlation of the symbols’ returns', '0.5')
      .option('--pattern <kind:strength>', 'plant a learnable pattern: autocorrelation:0.05 or time-of-day:0.1')
      .option('--json', 'print the summary as JSON')
      .action(lazy(() => import('./commands/data-synth.ts'))),
    'kestrel data synth --symbols 3 --bars 10000 --seed 1 --out out/synth',
  )

  withExample(
    seriesOptions(
      storeOptions(
        data
          .command('archive')
          .description(
            'move bars older than the hot window from the hot store (DuckDB or PostgreSQL) into the Parquet lake (verified before deleting)',
          )
          .option('--older-than-days <n>', 'hot window in days (default: storage.hotWindowDays of --config, else 365)')
          .option('--before <date>', 'archive bars that open before this date/time instead (ISO, UTC)')
          .option('--timeframe <tf>', 'only this timeframe'),
      ),
      { what: 'only these instruments (default: all)' },
    )
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/data-archive.ts'))),
    'kestrel data archive --before 2013-10-09 --symbol SPY',
    'kestrel data archive --config kestrel.yaml',
    'kestrel data archive --older-than-days 30 --db .kestrel/kestrel.duckdb --lake .kestrel/lake',
  )

  withExample(
    seriesOptions(
      storeOptions(
        data
          .command('restore')
          .description('bring bars back from the Parquet lake into the hot store (and remove them from the lake)'),
      ),
      { what: 'the instruments to restore (at least one)' },
    )
      .option('--timeframe <tf>', 'only this timeframe (default: every timeframe of the symbol in the lake)')
      .option('--from <iso>', 'first bar open time (inclusive)')
      .option('--to <iso>', 'last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30Z)')
      .option('--keep-in-lake', 'copy instead of move', false)
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/data-restore.ts'))),
    'kestrel data restore SPY --from 2013-10-07 --to 2013-10-07',
    'kestrel data restore --instrument SPY.ARCA --instrument AAPL.XNAS',
  )
}
