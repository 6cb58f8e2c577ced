/**
 * `kestrel data fetch --provider ccxt|alpaca|yahoo --symbol S --timeframe 1m --from ISO [--to ISO]`: downloads
 * historical bars into the store, resumable (`--resume`); `--out file.csv` writes CSV instead. Provider keys
 * come from the environment and are never printed.
 */
import { ASSET_CLASSES, PROVIDERS } from '../../app/choices.ts'
import { fetchBars } from '../../app/data-fetch.ts'
import { KestrelError, isoUtc, makeInstrument, parseTimeBounds, parseTimeframe } from '../../core/index.ts'
import type { Instrument } from '../../core/index.ts'
import { choiceFlag, numberFlag, storeSelection } from '../flags.ts'
import { envVars, printJson, progress, redact, stderr, stdout, table } from '../util.ts'

interface FetchFlags {
  provider: string
  symbol: string
  timeframe: string
  from: string
  to?: string
  exchange: string
  marketTypes?: string
  baseUrl?: string
  db?: string
  config?: string
  instrument?: string
  assetClass?: string
  out?: string
  resume?: boolean
  checkpoint?: string
  retries: string
  timeout: string
  pageLimit?: string
  json?: boolean
}

function usage(msg: string): KestrelError {
  return new KestrelError('USAGE', `data fetch: ${msg}`)
}

/** The instrument the bars are stored under: `--instrument SYMBOL.VENUE`, or one derived from the provider. */
function instrumentFor(o: FetchFlags): Instrument {
  const crypto = o.provider === 'ccxt'
  const assetClass = choiceFlag(
    o.assetClass ?? (crypto ? 'crypto' : 'equity'),
    'data fetch: --asset-class',
    ASSET_CLASSES,
  )
  if (o.instrument) {
    const i = o.instrument.lastIndexOf('.')
    if (i <= 0 || i === o.instrument.length - 1)
      throw usage(`--instrument ${JSON.stringify(o.instrument)}: expected SYMBOL.VENUE, e.g. AAPL.NASDAQ`)
    return makeInstrument({
      id: o.instrument,
      symbol: o.instrument.slice(0, i),
      venue: o.instrument.slice(i + 1),
      assetClass,
    })
  }
  const symbol = o.symbol.replace(/[/:]/g, '-')
  const venue = (crypto ? o.exchange : o.provider).toUpperCase()
  return makeInstrument({ symbol, venue, assetClass })
}

export async function run(o: FetchFlags): Promise<void> {
  const provider = choiceFlag(o.provider, 'data fetch: --provider', PROVIDERS)
  const timeframe = parseTimeframe(o.timeframe).text
  const bounds = parseTimeBounds(o.from, o.to)
  const from = bounds.from!
  const to = bounds.to ?? Date.now()
  if (!(to > from)) throw usage(`--to ${isoUtc(to)} must be after --from ${isoUtc(from)}`)
  if (o.out && o.resume) throw usage('--resume needs a store (--db or config), not --out')
  const retry = {
    maxAttempts: numberFlag(o.retries, 'data fetch: --retries', { integer: true, min: 1 }),
    timeoutMs: numberFlag(o.timeout, 'data fetch: --timeout', { integer: true, min: 1 }),
  }
  const pageLimit = numberFlag(o.pageLimit, 'data fetch: --page-limit', { integer: true, min: 1 })
  const instrument = instrumentFor(o)
  const bar = progress(`fetch ${o.symbol}`)
  bar.start(1000)
  const note = (m: string) => stderr().write(redact(`note: ${m}\n`))
  let report
  try {
    report = await fetchBars(
      {
        provider,
        symbol: o.symbol,
        timeframe,
        from,
        to,
        instrument,
        exchange: o.exchange,
        marketTypes: o.marketTypes?.split(',').map((t) => t.trim()),
        baseUrl: o.baseUrl,
        retry,
        pageLimit,
        out: o.out,
        resume: o.resume,
        checkpoint: o.checkpoint,
        env: envVars(),
      },
      storeSelection(o),
      { onNote: note, onProgress: (f) => bar.update(Math.round(f * 1000)) },
    )
  } finally {
    bar.stop()
  }
  if (o.json) return printJson(report)
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')
  stdout().write(
    table([
      {
        provider: report.provider,
        instrument: report.instrumentId,
        timeframe: report.timeframe,
        from: isoUtc(report.resumedFrom ?? report.from),
        to: isoUtc(report.to),
        requests: report.requests,
        read: report.rowsRead,
        inserted: report.rowsInserted,
        quarantined: report.rowsQuarantined,
        why: counts(report.quarantinedByReason),
        warnings: counts(report.warningsByReason),
        store: report.store,
      },
    ]),
  )
}
