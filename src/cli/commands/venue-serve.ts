/**
 * `kestrel venue serve --protocol alpaca`: a local venue on 127.0.0.1 that speaks the venue's protocol over
 * replayed bars. Prints one JSON line `{ protocol, port, url }` on stdout, then serves until SIGINT or SIGTERM.
 */
import { serveVenue } from '../../app/venue.ts'
import { numberFlag } from '../flags.ts'
import { envVars, stderr, stdout, warnQuarantine } from '../util.ts'

interface ServeFlags {
  protocol: string
  port: string
  data: string[]
  seed?: string
  faults?: string
  keyId?: string
  secret?: string
  barInterval?: string
  participation?: string
  cash?: string
}

export async function run(o: ServeFlags): Promise<void> {
  const env = envVars()
  const venue = await serveVenue({
    protocol: o.protocol,
    port: numberFlag(o.port, '--port', { min: 0, max: 65536, integer: true }),
    data: o.data,
    seed: numberFlag(o.seed, '--seed', { integer: true }),
    faults: o.faults,
    keyId: o.keyId ?? env.APCA_API_KEY_ID,
    secretKey: o.secret ?? env.APCA_API_SECRET_KEY,
    barIntervalMs: numberFlag(o.barInterval, '--bar-interval', { min: 0, integer: true }),
    participation: numberFlag(o.participation, '--participation', { min: 0, minExclusive: true }),
    cash: numberFlag(o.cash, '--cash', { min: 0 }),
  })
  warnQuarantine(venue.quarantine)
  const a = venue.address
  stdout().write(`${JSON.stringify({ protocol: a.protocol, port: a.port, url: a.url })}\n`)
  stderr().write(
    `venue serve: ${a.protocol} on ${a.url} (stream ${a.url.replace('http', 'ws')}/stream, market data ${a.url.replace('http', 'ws')}/v2/iex), ${venue.instruments.map((i) => i.symbol).join(', ')}, ${venue.bars} bars; Ctrl-C stops\n`,
  )
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.on('SIGINT', done)
    process.on('SIGTERM', done)
  })
  await venue.stop()
}
