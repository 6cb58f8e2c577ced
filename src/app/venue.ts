/**
 * `kestrel venue serve`: a local server that speaks a venue's protocol over replayed bars, with injected faults,
 * so an adapter (or a whole deployment) can be tested before it goes live. Listens on 127.0.0.1 only.
 */
import { fileURLToPath } from 'node:url'
import { AlpacaVenueServer, parseFaults, type ServerAddress } from '../adapters/index.ts'
import { KestrelError, barAt, seriesLength } from '../core/index.ts'
import type { Bar, Instrument } from '../core/index.ts'
import type { QuarantinedRow } from '../data/index.ts'
import { loadCsvBars } from '../engine/index.ts'

/** The protocols `kestrel venue serve` speaks. */
export const VENUE_PROTOCOLS = ['alpaca'] as const

/** The bars replayed when no `data` is given. */
export const DEFAULT_VENUE_DATA = fileURLToPath(new URL('../../data/bundled/SPY_1m.csv', import.meta.url))

/** What to serve. */
export interface VenueServeRequest {
  readonly protocol: string
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number
  /** Bar CSV files (as `kestrel backtest --data` reads them), one instrument each; default the bundled SPY 1m. */
  readonly data?: readonly string[]
  readonly seed?: number
  /** The `--faults` spec (see README "Venues"). */
  readonly faults?: string
  readonly keyId?: string
  readonly secretKey?: string
  /** Replay one bar every this many ms; 0: only on `POST /admin/advance`. */
  readonly barIntervalMs?: number
  /** Share of a bar's volume one bar may fill (0..1]. */
  readonly participation?: number
  readonly cash?: number
}

/** A running venue server. */
export interface RunningVenue {
  readonly address: ServerAddress
  readonly instruments: readonly Instrument[]
  readonly bars: number
  /** Rows of the data files not replayed, with file, line and reason. */
  readonly quarantine: readonly QuarantinedRow[]
  stop(): Promise<void>
}

/** Loads the data, parses the faults and starts the server. */
export async function serveVenue(req: VenueServeRequest): Promise<RunningVenue> {
  if (!(VENUE_PROTOCOLS as readonly string[]).includes(req.protocol))
    throw new KestrelError(
      'USAGE',
      `venue serve: --protocol ${JSON.stringify(req.protocol)} is not one Kestrel speaks (known: ${VENUE_PROTOCOLS.join(', ')})`,
    )
  const faults = parseFaults(req.faults ?? '')
  const p = req.participation
  if (p !== undefined && !(p > 0 && p <= 1))
    throw new KestrelError('PARAM_INVALID', `venue serve: --participation ${p} is not in (0, 1]`)
  const instruments: Instrument[] = []
  const bars: Bar[] = []
  const quarantine: QuarantinedRow[] = []
  for (const file of req.data?.length ? req.data : [DEFAULT_VENUE_DATA]) {
    const loaded = await loadCsvBars(file, { venue: 'ALPACA' })
    if (instruments.some((i) => i.id === loaded.instrument.id))
      throw new KestrelError('USAGE', `venue serve: ${file}: a second file for ${loaded.instrument.id}`)
    instruments.push(loaded.instrument)
    quarantine.push(...loaded.quarantine)
    for (let i = 0; i < seriesLength(loaded.series); i++) bars.push(barAt(loaded.series, i))
  }
  bars.sort((a, b) => a.closeTime - b.closeTime || (a.instrumentId < b.instrumentId ? -1 : 1))
  const server = new AlpacaVenueServer({
    instruments,
    bars,
    port: req.port,
    seed: req.seed,
    faults,
    keyId: req.keyId,
    secretKey: req.secretKey,
    barIntervalMs: req.barIntervalMs,
    participation: req.participation,
    cash: req.cash,
  })
  const address = await server.start()
  return { address, instruments, bars: bars.length, quarantine, stop: () => server.stop() }
}
