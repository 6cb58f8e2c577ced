/**
 * The command tree of `kestrel`: every command's name, description, options and examples, and nothing else.
 * Each action loads its command file (`commands/<noun>-<verb>.ts`) when it runs, so `kestrel --help` and
 * `kestrel <cmd> --help` list everything while loading only commander: no engine, store or provider library.
 */
import { Command } from 'commander'
import { registerData } from './program-data.ts'
import { registerLive } from './program-live.ts'
import { seriesOptions } from './series-flags.ts'
import { collect, lazy, redact, stderr, stdout, withExample } from './util.ts'

/** Builds the program; `onStart` runs before each command's action (logging). */
export function buildProgram(onStart?: (command: Command, program: Command) => void | Promise<void>): Command {
  const program = new Command('kestrel')
    .description('Kestrel: intraday trading from research to live, in one engine')
    .option('--debug', 'print stack traces for errors')
    .option(
      '--log-level <level>',
      'structured log level on stderr: trace, debug, info, warn, error, silent (default: warn, or KESTREL_LOG_LEVEL)',
    )
    .configureOutput({ writeOut: (t) => stdout().write(t), writeErr: (t) => stderr().write(redact(t)) })
    .showHelpAfterError()
    .exitOverride()
  if (onStart) program.hook('preAction', (_root, action) => onStart(action, program))
  registerQuickstart(program)
  registerData(program)
  registerConfig(program)
  registerIndicators(program)
  registerFeatures(program)
  registerBacktest(program)
  registerStrategy(program)
  registerStats(program)
  registerPairs(program)
  registerScan(program)
  registerRisk(program)
  registerExecution(program)
  registerLive(program)
  registerVenue(program)
  return program
}

function registerQuickstart(program: Command): void {
  withExample(
    program
      .command('quickstart')
      .description('import and validate the bundled data, then backtest the reference strategies on it')
      .option('--db <file>', 'DuckDB file to import into', '.kestrel/kestrel.duckdb')
      .option('--out <dir>', 'folder for reports', 'out')
      .option('--json', 'machine-readable output', false)
      .action(lazy(() => import('./commands/quickstart.ts'))),
    'kestrel quickstart',
  )
}

function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('validate configuration files, migrate them and print their schema')
  withExample(
    config
      .command('validate <file>')
      .description('check a YAML config against the schema; errors name the key path and the line')
      .option('--json', 'print the validated config (secrets redacted) as JSON')
      .action(lazy(() => import('./commands/config-validate.ts'))),
    'kestrel config validate kestrel.yaml',
  )
  withExample(
    config
      .command('schema')
      .description('print the JSON Schema of the config (for editors: yaml-language-server)')
      .action(lazy(() => import('./commands/config-schema.ts'))),
    'kestrel config schema > kestrel.schema.json',
  )
  withExample(
    config
      .command('migrate <file>')
      .description(
        'rewrite a config of the older shape (strategies and cash under backtest:) to the current one (strategies: and account: top level), keeping comments; prints it, or --write',
      )
      .option('--write', 'rewrite the file in place instead of printing it')
      .action(lazy(() => import('./commands/config-migrate.ts'))),
    'kestrel config migrate old.yaml --write',
  )
}

function registerIndicators(program: Command): void {
  withExample(
    program
      .command('indicators')
      .description('compute TA-Lib-exact indicators over a bar CSV and write them as CSV')
      .argument('[csv]', 'bar CSV (timestamp,open,high,low,close,volume)')
      .option(
        '--spec <list>',
        'indicators, e.g. "rsi(14),macd(12,26,9),bbands(20,2,2)" (TA-Lib names and parameter order)',
      )
      .option('--out <file>', 'write the CSV here instead of stdout')
      .option('--timeframe <tf>', 'bar length (1m, 1d) when it cannot be inferred (files of one or two bars)')
      .option('--list', 'list the available indicators with their parameters and outputs')
      .option('--json', 'with --list: JSON instead of a table')
      .action(lazy(() => import('./commands/indicators.ts'))),
    'kestrel indicators data/bundled/SPY_1d.csv --spec "sma(20),rsi(14),macd(12,26,9)" --out spy-ind.csv',
    'kestrel indicators --list',
  )
}

function registerFeatures(program: Command): void {
  const features = withExample(
    program.command('features').description('feature pipeline: build features from a YAML spec'),
    'kestrel features build examples/features.yaml --out features.csv',
    'kestrel features list',
  )
  withExample(
    seriesOptions(
      features
        .command('build <spec>')
        .description(
          'compute the features of a spec over bars and write CSV or Parquet (timestamp, then one column per feature)',
        ),
      {
        what: 'with a store: the stored series',
        one: true,
        symbol:
          "with a store: the stored series, an instrument id or a bare symbol; with --data: the file's instrument",
      },
    )
      .option(
        '--data <file>',
        'bar file as backtest --data reads it (CSV, .csv.gz, Parquet, freqtrade JSON); default: data.csv in the spec',
      )
      .option(
        '--db <file>',
        'read bars from this DuckDB store (and its lake) instead of a file, with a symbol and --timeframe',
      )
      .option(
        '--lake <dir>',
        'Parquet lake folder (default: storage.lakePath of --config, else lake/ beside the DuckDB file)',
      )
      .option('--config <yaml>', 'config file whose storage: section names the store (duckdb or postgres) and the lake')
      .option('--from <iso>', 'with --db: first bar open time (inclusive), e.g. 2024-01-02')
      .option(
        '--to <iso>',
        'with --db: last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30Z)',
      )
      .option('--timeframe <tf>', 'bar length: with --db, or when the CSV does not make it clear, e.g. 1m')
      .option('--out <file>', 'write the CSV (or .parquet) here instead of stdout')
      .option('--format <f>', 'csv|parquet (default: from the extension of --out, else csv)')
      .option('--cache <dir>', 'feature store folder: reuse results for the same spec and data (Parquet)')
      .option('--extra <name=csv...>', "extra series named in the spec's extra (closes, aligned by time)")
      .option('--json', 'print a JSON summary on stdout (needs --out)')
      .action(lazy(() => import('./commands/features-build.ts'))),
    'kestrel features build examples/features.yaml --data data/bundled/SPY_1m.csv --out spy-features.csv',
    'kestrel features build examples/features.yaml --cache .kestrel/features --out out.csv --json',
    'kestrel features build examples/features.yaml SPY --db data/kestrel.duckdb --timeframe 1m --out spy.csv',
    'kestrel features build examples/features.yaml --data exports/SPY_1m.parquet --out spy-features.csv',
    'kestrel features build examples/features.yaml --data data/bundled/SPY_1m.csv --out spy-features.parquet',
  )
  withExample(
    features
      .command('list')
      .description('list the feature kinds a spec can use (TA-Lib indicators work too: rsi(close, 14))')
      .option('--json', 'print JSON')
      .action(lazy(() => import('./commands/features-list.ts'))),
    'kestrel features list',
  )
}

function registerBacktest(program: Command): void {
  withExample(
    seriesOptions(
      program
        .command('backtest')
        .description(
          'backtest a strategy on bar files or stored bars with the event-driven engine (simulated exchange, fees, risk)',
        ),
      {
        what: 'with --db: the stored series',
        symbol:
          "with --db: a stored series, its instrument id or a bare symbol (repeatable); with --data: each file's symbol (default: file name before _)",
      },
    )
      .option(
        '--data <csv...>',
        'bar files: CSV (timestamp,open,high,low,close,volume), .csv.gz, Parquet, freqtrade .json or .feather',
      )
      .option('--db <file>', 'read the bars from this DuckDB store and its Parquet lake (kestrel data import wrote it)')
      .option('--lake <dir>', 'with --db: the Parquet lake folder (default: lake/ beside the DuckDB file)')
      .option('--from <iso>', 'first bar open time, inclusive: 2010-01-01 or an ISO time (UTC)')
      .option('--to <iso>', 'last day, inclusive (2015-12-31), or an end time, exclusive (2015-12-31T14:30Z)')
      .option('--strategy <name|file>', 'sma-cross, ema-cross, buy-and-hold, or ./my-strategy.ts', 'sma-cross')
      .option('--param <key=value>', 'strategy parameter (repeatable)', collect, [])
      .option('--size <n>', 'order quantity (the strategy parameter `size`)')
      .option(
        '--fee-rate <r>',
        'fee as a fraction of notional, maker and taker (0.001 = 10 bps; default 0.001, as the quickstart)',
      )
      .option('--cash <n>', 'starting cash', '100000')
      .option('--account <type>', 'cash, or margin (Reg T style: --leverage 2 by default)', 'margin')
      .option('--leverage <x>', 'margin account leverage', '2')
      .option('--currency <code>', 'account currency: cash, equity, fees and margin are in it', 'USD')
      .option(
        '--fx <PAIR=csv>',
        'FX series converting a foreign quote currency: BTCUSD=btc.csv prices 1 BTC in USD (repeatable)',
        collect,
        [],
      )
      .option('--spread-bps <bps>', 'full bid-ask spread on bars, in bps')
      .option('--slippage-bps <bps>', 'taker slippage in bps')
      .option('--latency-ms <ms>', 'order submit latency')
      .option(
        '--timeframe <tf>',
        'bar length: with --db, when the symbol is stored in several; else when it cannot be inferred',
      )
      .option('--min-bars <n>', 'refuse to run on fewer bars (per file) that pass validation', '1')
      .option(
        '--actions <csv>',
        'corporate actions (symbol,date,type,value) as engine events: splits adjust positions and orders, dividends are paid; for unadjusted bars',
      )
      .option(
        '--universe <file>',
        'universe (.csv or .yaml: symbols, sectors, membership dates, delistings): strategies get bars and may open positions only while a symbol is a member; delisted positions close at the last close × (1 + delisting return)',
      )
      .option(
        '--strict-data',
        'exit 1 instead of running when the data carries a warning that changes the results (a suspected unadjusted split)',
      )
      .option(
        '--config <yaml>',
        "run a config's top-level strategies: and account: on what its backtest: section describes",
      )
      .option('--report <html>', 'write the HTML tearsheet here')
      .option(
        '--out <dir>',
        'with a config that has a pipeline: section, folder for the features and the report (default out/<config name>)',
      )
      .option(
        '--allow-rejects',
        'exit 0 even when orders were rejected for a reason the strategy can fix (price off the tick, exit before its entry)',
      )
      .option('--json', 'one JSON object on stdout', false)
      .option(
        '--sample <bar|day>',
        'sampling of the JSON equity and returns series: every bar, or each trading day',
        'day',
      )
      .action(lazy(() => import('./commands/backtest.ts'))),
    'kestrel backtest --data data/bundled/SPY_1m.csv --strategy sma-cross --param fast=10 --param slow=30 --size 100 --fee-rate 0.001 --cash 100000 --json',
    'kestrel backtest --data data/bundled/SPY_1d.csv --strategy ./examples/my-strategy.ts --report out/my.html',
    'kestrel backtest --db .kestrel/kestrel.duckdb --symbol SPY --timeframe 1d --from 2010-01-01 --to 2015-12-31 --json',
    'kestrel backtest --config backtest.yaml --report out/report.html',
    'kestrel backtest --config examples/ai-trader.yaml --out out/ai-trader',
  )
}

function registerStrategy(program: Command): void {
  const strategy = program.command('strategy').description('write strategies: list the built-ins, scaffold a new one')
  withExample(
    strategy
      .command('ls')
      .description('list the built-in strategies with their parameters (name, type, default, description)')
      .option('--json', 'print JSON')
      .action(lazy(() => import('./commands/strategy-ls.ts'))),
    'kestrel strategy ls',
  )
  withExample(
    strategy
      .command('new <name>')
      .description('write <name>.ts (a strategy) and <name>.test.ts (its test); print the commands that run them')
      .option('--dir <dir>', 'folder to write into (default: the current one)')
      .option('--force', 'overwrite files that exist')
      .option('--json', 'print the files and commands as JSON')
      .action(lazy(() => import('./commands/strategy-new.ts'))),
    'kestrel strategy new my-idea --dir strategies',
  )
}

function registerStats(program: Command): void {
  withExample(
    program
      .command('stats')
      .description(
        'compute performance metrics (empyrical conventions) from a CSV column of periodic simple returns, or the returns of a backtest --json file',
      )
      .argument(
        '<returns.csv|backtest.json>',
        'CSV file with a header and a column of periodic returns (0.01 = 1%), or the output of kestrel backtest --json',
      )
      .option(
        '--periods-per-year <n>',
        "periods per year to annualise with (252 daily, 52 weekly, 12 monthly); required for a CSV, default a backtest JSON's own",
      )
      .option('--column <name>', 'the column to read (default: returns/return/ret, or the only numeric column)')
      .option(
        '--risk-free <r>',
        'risk-free return per period: Sharpe and Omega use the excess over it, Sortino and downside risk the shortfall below it',
        '0',
      )
      .option('--trials <n>', 'number of strategy variants tried, for the deflated Sharpe ratio', '1')
      .option(
        '--trial-sharpe-variance <v>',
        "variance of the trials' per-period Sharpe ratios (needed when trials > 1)",
      )
      .option('--json', 'print one JSON object (NaN and ±Infinity become null)')
      .action(lazy(() => import('./commands/stats.ts'))),
    'kestrel stats daily-returns.csv --periods-per-year 252',
    'kestrel stats strategy.csv --column pnl_pct --periods-per-year 52 --json',
    'kestrel backtest --data data/bundled/SPY_1d.csv --strategy buy-and-hold --json > bt.json && kestrel stats bt.json',
  )
}

function registerPairs(program: Command): void {
  const pairs = program.command('pairs').description('pairs trading research: cointegration of every pair of bar files')
  withExample(
    pairs
      .command('scan')
      .description(
        "Engle-Granger test of every pair (y, x), y's file before x's, on the bars both have: OLS y = a + b·x, ADF on the residuals (AIC lags), MacKinnon p-value, half-life",
      )
      .argument('<csv...>', 'two or more bar files (CSV or Parquet), one instrument each')
      .option('--max-lags <n>', 'largest ADF lag AIC may pick (0: plain Dickey-Fuller); default ceil(12·(n/100)^¼)')
      .option('--json', 'a JSON array, one object per pair (±Infinity and NaN become null)')
      .action(lazy(() => import('./commands/pairs-scan.ts'))),
    'kestrel pairs scan data/KO_1d.csv data/PEP_1d.csv data/SPY_1d.csv --json',
    'kestrel pairs scan a.csv b.csv --max-lags 0',
  )
}

function registerScan(program: Command): void {
  withExample(
    program
      .command('scan')
      .description(
        "run the scanners of a config's scan: section: layer 1 over bars (unusual volume, breakout, momentum shift), the layer-1.5 shortlist (liquidity, volatility rank, combined score), layer 2 (news catalysts, sector rotation, correlation breaks, options flow, insider clusters)",
      )
      .requiredOption('--config <yaml>', "config with a scan: section (the universe and each layer's parameters)")
      .option(
        '--json',
        'one JSON object { layer1, layer1_5, layer2, catalystQuarantine }: alerts sorted by time, then score, and the bad lines of the options-flow and insider files',
        false,
      )
      .action(lazy(() => import('./commands/scan.ts'))),
    'kestrel scan --config examples/scan.yaml',
    'kestrel scan --config examples/scan.yaml --json',
  )
}

function registerRisk(program: Command): void {
  const risk = program.command('risk').description('risk limits, their usage and breaches; stress tests')
  withExample(
    risk
      .command('status')
      .description(
        "limits, usage and breaches: a dry run of the config's backtest through its risk: limits, or a saved snapshot",
      )
      .option('--config <yaml>', 'config with strategies:, backtest: and risk: sections')
      .option('--state <json>', 'show a snapshot saved by --save instead of running')
      .option('--save <json>', 'write the snapshot here')
      .option('--json', 'one JSON object on stdout', false)
      .action(lazy(() => import('./commands/risk-status.ts'))),
    'kestrel risk status --config examples/risk.yaml',
    'kestrel risk status --config examples/risk.yaml --save out/risk-state.json && kestrel risk status --state out/risk-state.json',
  )
  withExample(
    risk
      .command('stress')
      .description(
        'shock the risk.stress book (index move, volatility x k, correlations to 1, liquidity) and replay historical windows',
      )
      .requiredOption('--config <yaml>', 'config with a risk.stress section')
      .option('--report <md>', 'write a Markdown report here')
      .option('--json', 'results as JSON', false)
      .action(lazy(() => import('./commands/risk-stress.ts'))),
    'kestrel risk stress --config examples/risk.yaml --report out/stress.md',
  )
}

function registerExecution(program: Command): void {
  const execution = program
    .command('execution')
    .description('execution scheduling: Almgren-Chriss, TWAP and VWAP plans with their expected cost and variance')
  withExample(
    execution
      .command('plan')
      .description(
        'the schedule of a parent quantity over N periods (holdings x_0..x_N, trades n_1..n_N) with E and V, in the units of Almgren & Chriss (2000)',
      )
      .requiredOption('--algo <algo>', 'almgren-chriss, twap or vwap')
      .option('--quantity <X>', 'shares to trade')
      .option('--periods <N>', 'number of periods (for vwap: slices of the session)')
      .option('--horizon <T>', 'horizon in days (vwap: default 1, the session)')
      .option('--sigma <s>', 'σ: volatility, $/share/√day (default 0)')
      .option('--eta <e>', 'η: temporary impact, ($/share)/(share/day) (default 0)')
      .option('--gamma <g>', 'γ: permanent impact, ($/share)/share (default 0)')
      .option('--epsilon <eps>', 'ε: fixed cost, $/share: half the spread plus fees (default 0)')
      .option('--lambda <l>', 'λ: risk aversion, 1/$ (default 0: TWAP)')
      .option('--lot <n>', 'round the trades to whole lots, keeping the total')
      .option(
        '--profile <csv|instrument>',
        'vwap: a bar CSV to learn the intraday volume profile from, or with --db a stored instrument',
      )
      .option('--calendar <id>', 'vwap: the calendar whose sessions the profile slices (NYSE, 24/7, …)', 'NYSE')
      .option('--timeframe <tf>', 'vwap: bar length of the stored series (with --db), or of a CSV that does not say')
      .option('--from <iso>', 'with --db: first bar open time, inclusive')
      .option('--to <iso>', 'with --db: last day, inclusive, or an end time, exclusive')
      .option('--db <file>', 'vwap: learn the profile from this DuckDB store (and its lake)')
      .option('--lake <dir>', 'with --db: the Parquet lake folder')
      .option('--config <yaml>', "vwap: the store named by the config's storage: section")
      .option('--json', 'one JSON object: { trajectory, trades, expectedCost, variance }', false)
      .action(lazy(() => import('./commands/execution-plan.ts'))),
    'kestrel execution plan --algo almgren-chriss --quantity 1e6 --periods 5 --horizon 5 --sigma 0.95 --eta 2.5e-6 --gamma 2.5e-7 --epsilon 0.0625 --lambda 1e-6 --json',
    'kestrel execution plan --algo twap --quantity 1e6 --periods 5 --horizon 5 --sigma 0.95 --eta 2.5e-6 --gamma 2.5e-7 --epsilon 0.0625',
    'kestrel execution plan --algo vwap --profile data/bundled/SPY_1m.csv --quantity 10000 --periods 13 --lot 100',
    'kestrel execution plan --algo vwap --db .kestrel/kestrel.duckdb --profile SPY --timeframe 1m --from 2013-10-04 --to 2013-10-11 --quantity 10000 --periods 13',
  )
}

function registerVenue(program: Command): void {
  const venue = program
    .command('venue')
    .description("local venues that speak a broker's protocol, to test adapters and deployments before going live")
  withExample(
    venue
      .command('serve')
      .description(
        'serve a venue protocol on 127.0.0.1 over replayed bars, matched like a backtest, with injected faults; prints {"protocol","port","url"} and runs until SIGINT/SIGTERM',
      )
      .requiredOption('--protocol <name>', 'the protocol to speak: alpaca')
      .option('--port <n>', 'port on 127.0.0.1 (0: a free one, printed)', '0')
      .option(
        '--data <csv>',
        'bar CSV to replay (as backtest --data reads), repeatable (default: the bundled SPY 1m)',
        collect,
        [],
      )
      .option('--bar-interval <ms>', 'replay one bar every <ms> (default 0: only on POST /admin/advance)')
      .option('--seed <n>', 'seed of the fault draws and ids, so a run repeats', '1')
      .option(
        '--faults <spec>',
        'faults to inject, e.g. "disconnect@every=20s,http429@p=0.05:retry-after=1,dup-report@p=0.1" (README: Venues)',
      )
      .option('--participation <f>', "share of a bar's volume one bar may fill, (0, 1] (default 1)")
      .option('--cash <usd>', 'starting cash of the account (default 100000)')
      .option('--key-id <id>', 'the APCA-API-KEY-ID clients must send (default $APCA_API_KEY_ID, else kestrel)')
      .option(
        '--secret <key>',
        'the APCA-API-SECRET-KEY clients must send (default $APCA_API_SECRET_KEY, else kestrel)',
      )
      .action(lazy(() => import('./commands/venue-serve.ts'))),
    'kestrel venue serve --protocol alpaca --port 0 --data data/bundled/AAPL_1m.csv',
    'kestrel venue serve --protocol alpaca --port 8790 --bar-interval 1000 --faults "disconnect@every=20s:down=1s,http429@p=0.05:retry-after=1,reorder@p=0.1"',
  )
}
