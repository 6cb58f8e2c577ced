/**
 * Gates for tests that need a real service (PostgreSQL, Redis, NATS). On a machine without the service
 * the test is skipped with a visible notice; with KESTREL_REQUIRE_SERVICES=1 (CI) it fails instead.
 */
import { createConnection } from 'node:net'

export type ServiceName = 'postgres' | 'redis' | 'nats'

const PORTS: Record<ServiceName, number> = { postgres: 5432, redis: 6379, nats: 4222 }

/** True when something accepts TCP connections on the service's port on 127.0.0.1. */
export function serviceReachable(name: ServiceName, port = PORTS[name], timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

/**
 * Resolves to `false` (run the test) or a skip message. Throws when services are required but absent.
 * Use: `it('...', { skip: await needService('postgres') }, ...)` or `describe(..., { skip: ... })`.
 */
export async function needService(name: ServiceName): Promise<false | string> {
  if (await serviceReachable(name)) return false
  const msg = `${name} is not running on 127.0.0.1:${PORTS[name]}`
  if (process.env.KESTREL_REQUIRE_SERVICES === '1') throw new Error(`${msg} and KESTREL_REQUIRE_SERVICES=1`)
  process.stderr.write(`\n  NOTICE: skipping ${name} tests: ${msg}\n`)
  return `NOTICE: ${msg}`
}
