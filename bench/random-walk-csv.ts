/** The synthetic input of the CSV benchmarks: a seeded random walk of one-minute OHLCV bars, streamed to a file. */
import { createWriteStream } from 'node:fs'
import { mulberry32 } from '../src/core/index.ts'

/**
 * Writes `n` rows (`timestamp,open,high,low,close,volume`, ISO times in UTC from 2005-01-01, prices with two
 * decimals) to `path`. The same `n` and `seed` give the same bytes.
 */
export async function writeRandomWalkCsv(path: string, n: number, seed = 20240102): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 })
  const u = mulberry32(seed)
  const t0 = Date.UTC(2005, 0, 1)
  let price = 100
  let buf = 'timestamp,open,high,low,close,volume\n'
  for (let i = 0; i < n; i++) {
    const open = price
    const close = Math.max(1, open * (1 + (u() - 0.5) * 0.002))
    const high = Math.max(open, close) * (1 + u() * 0.0005)
    const low = Math.min(open, close) * (1 - u() * 0.0005)
    price = close
    const vol = Math.floor(u() * 10_000) + 1
    buf += `${new Date(t0 + i * 60_000).toISOString().slice(0, 19)}Z,${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${vol}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = ''
    }
  }
  out.end(buf)
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject))
}
