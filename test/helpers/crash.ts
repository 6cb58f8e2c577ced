/**
 * Crash harness for the store: runs an import or an archive in a child process (test/helpers/crash-child.ts),
 * SIGKILLs it after a seeded random delay, checks what a crash may leave, then re-runs the job in this process
 * and checks it finished exactly. The invariants:
 * - import: the series is either absent with no ingestion record and no quarantine, or complete with its one
 *   record and its quarantine once; the re-run leaves exactly the expected bars, quarantine and one record.
 * - archive: no tier holds a bar twice, hot and lake together hold every bar, no bar changed; the re-run leaves
 *   every bar before the cutoff in the lake and every later one hot, each exactly once, and no temp file.
 * - create: a store file killed while it is being created is absent, or opens holding nothing.
 * The test files (`*.test.ts` for a few kills in `npm test`, `*.fuzz.ts` for many) call these.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mulberry32, seriesLength } from '../../src/core/index.ts'
import type { BarSeries } from '../../src/core/index.ts'
import { DuckDbStore, ParquetLake, TieredStore, importFile, inspectCsvFile } from '../../src/data/index.ts'

/** How the harness's files are imported (24/7 data: no session gaps to report). */
export const IMPORT_OPTS = { venue: 'TEST', timeframe: '1m', assetClass: 'crypto' } as const

const CHILD = new URL('./crash-child.ts', import.meta.url).pathname
const T0 = Date.UTC(2023, 0, 2)
/** Kill delays are uniform in [0, SPREAD × the uninterrupted run's time]. */
const SPREAD = 0.9
const MIN = 60_000

/** Kills per job and seed of a fuzz run: KESTREL_FUZZ_KILLS (default 60), KESTREL_FUZZ_SEED (default from the clock). */
export function fuzzSettings(): { runs: number; seed: number } {
  return {
    runs: Number(process.env.KESTREL_FUZZ_KILLS ?? 60),
    seed: Number(process.env.KESTREL_FUZZ_SEED ?? Date.now() % 2 ** 31),
  }
}

/** What the kills did: how many runs were killed mid-way and how many finished before their kill came. */
export interface CrashCounts {
  readonly runs: number
  readonly killed: number
  readonly finishedFirst: number
}

/** A CSV of `n` bars `stepMin` minutes apart, every 997th row with high below low (quarantined). Seeded. */
export async function writeCrashCsv(path: string, n: number, seed: number, stepMin = 1): Promise<void> {
  const u = mulberry32(seed)
  const lines = ['timestamp,open,high,low,close,volume']
  let p = 100
  for (let i = 0; i < n; i++) {
    const o = p
    const c = Math.max(1, o * (1 + (u() - 0.5) * 0.002))
    let hi = Math.max(o, c) * (1 + u() * 0.0005)
    const lo = Math.min(o, c) * (1 - u() * 0.0005)
    if (i % 997 === 500) hi = lo * 0.99
    p = c
    lines.push(
      `${new Date(T0 + i * stepMin * MIN).toISOString().slice(0, 19)}Z,${o.toFixed(2)},${hi.toFixed(2)},${lo.toFixed(2)},${c.toFixed(2)},${1 + Math.floor(u() * 1000)}`,
    )
  }
  await writeFile(path, `${lines.join('\n')}\n`)
}

/**
 * Runs the child; kills it `delayMs` after it is ready (never when undefined), or with `when`, once that holds
 * plus `delayMs` turns of the event loop. Resolves to whether it was killed.
 */
function runChild(
  args: string[],
  delayMs?: number,
  when?: () => boolean,
): Promise<{ killed: boolean; ms: number; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let readyAt = 0
    let timer: NodeJS.Timeout | undefined
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (!readyAt && out.includes('ready\n')) {
        readyAt = performance.now()
        if (when !== undefined) {
          let turns = Math.floor(delayMs ?? 0)
          const poll = () => {
            if (child.exitCode !== null || child.signalCode !== null) return
            if (when() && turns-- <= 0) child.kill('SIGKILL')
            else setImmediate(poll)
          }
          poll()
        } else if (delayMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const ms = readyAt ? performance.now() - readyAt : 0
      if (signal === 'SIGKILL') return resolve({ killed: true, ms, err })
      if (code !== 0) return reject(new Error(`crash child ${args.join(' ')} exited ${code}: ${err}`))
      resolve({ killed: false, ms, err })
    })
  })
}

async function openDuck(path: string): Promise<DuckDbStore> {
  const s = new DuckDbStore(path)
  await s.init()
  return s
}

/** Kills `runs` imports of an `rows`-row file at seeded random points and checks each crash and its re-run. */
export async function killImports(
  dir: string,
  opts: { runs: number; rows: number; seed: number },
): Promise<CrashCounts> {
  await mkdir(dir, { recursive: true })
  const csv = join(dir, 'KILL_1m.csv')
  await writeCrashCsv(csv, opts.rows, opts.seed)
  const expected = await inspectCsvFile(csv, IMPORT_OPTS)
  const id = expected.instrument.id
  const bars = seriesLength(expected.accepted)
  const quarantined = expected.quarantine.length
  assert.ok(quarantined > 0 && bars > 0)
  // An uninterrupted run gives the span the kills are spread over (most land before the end).
  // A run that finishes before its kill shortens the span (the machine got faster).
  let span = (await runChild(['import', join(dir, 'calibrate.duckdb'), csv])).ms
  const u = mulberry32(opts.seed)
  let killed = 0
  for (let k = 0; k < opts.runs; k++) {
    const db = join(dir, `i${k}.duckdb`)
    const r = await runChild(['import', db, csv], u() * span * SPREAD)
    if (r.killed) killed++
    else span = Math.min(span, r.ms)
    const store = await openDuck(db)
    try {
      const n = seriesLength(await store.readBars(id, '1m'))
      const rec = await store.ingestions()
      const q = (await store.quarantine({ instrumentId: id })).length
      const what = `kill ${k} after ${r.ms.toFixed(0)} ms`
      if (rec.length === 0) assert.deepEqual([n, q], [0, 0], `${what}: bars or quarantine without an ingestion record`)
      else {
        assert.equal(rec.length, 1, what)
        assert.deepEqual(
          [n, q, rec[0]!.rowsAccepted],
          [bars, quarantined, bars],
          `${what}: a recorded import is incomplete`,
        )
      }
    } finally {
      await store.close()
    }
    const again = await importFile(() => openDuck(db), csv, IMPORT_OPTS)
    const store2 = await openDuck(db)
    try {
      assert.equal(seriesLength(await store2.readBars(id, '1m')), bars, `kill ${k}: re-run`)
      assert.equal(
        (await store2.quarantine({ instrumentId: id })).length,
        quarantined,
        `kill ${k}: quarantine after re-run`,
      )
      assert.equal((await store2.ingestions()).length, 1, `kill ${k}: one ingestion record`)
      assert.equal(again.ingestion, 1)
    } finally {
      await store2.close()
    }
    await rm(db, { force: true })
    await rm(`${db}.wal`, { force: true })
  }
  return { runs: opts.runs, killed, finishedFirst: opts.runs - killed }
}

/**
 * Kills `runs` creations of a new store file, each a seeded random number (0–7) of event-loop turns after a
 * file of that name (or a temporary one beside it) first exists, which is when DuckDB is laying it out; after
 * each, the file is absent or opens empty, and no temporary file stays.
 */
export async function killCreations(
  dir: string,
  opts: { runs: number; seed: number },
): Promise<CrashCounts & { readonly beforeLink: number }> {
  await mkdir(dir, { recursive: true })
  const u = mulberry32(opts.seed)
  let killed = 0
  let beforeLink = 0
  for (let k = 0; k < opts.runs; k++) {
    const name = `c${k}.duckdb`
    const appeared = () => readdirSync(dir).some((f) => f === name || f.startsWith(`.${name}.`))
    const db = join(dir, name)
    const r = await runChild(['create', db], Math.floor(u() * 8), appeared)
    if (r.killed) killed++
    if (!readdirSync(dir).includes(name)) beforeLink++
    const store = await openDuck(db)
    try {
      assert.deepEqual([(await store.summary()).length, (await store.ingestions()).length], [0, 0], `kill ${k}`)
    } finally {
      await store.close()
    }
    const left = (await readdir(dir)).filter((f) => f.endsWith('.creating') || f.endsWith('.creating.wal'))
    assert.deepEqual(left, [], `kill ${k}: temporary files of a killed creation are removed on the next open`)
  }
  return { runs: opts.runs, killed, finishedFirst: opts.runs - killed, beforeLink }
}

function sameBars(got: BarSeries, want: BarSeries, what: string): void {
  assert.equal(seriesLength(got), seriesLength(want), `${what}: bar count`)
  assert.deepEqual(got.openTime, want.openTime, `${what}: open times`)
  assert.deepEqual(got.close, want.close, `${what}: closes`)
  assert.deepEqual(got.volume, want.volume, `${what}: volumes`)
}

async function tempFiles(root: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name))
      else if (/\.tmp-\d+$/.test(e.name)) out.push(join(d, e.name))
    }
  }
  await walk(root)
  return out
}

/** Open times that occur more than once in a sorted series. */
function duplicates(s: BarSeries): number {
  let d = 0
  for (let i = 1; i < seriesLength(s); i++) if (s.openTime[i] === s.openTime[i - 1]) d++
  return d
}

/**
 * Kills `runs` archives (DuckDB → lake, `chunk` bars a lake write) of a store of `rows` 5-minute bars over many
 * months at seeded random points; checks each crash and its re-run.
 */
export async function killArchives(
  dir: string,
  opts: { runs: number; rows: number; seed: number; chunk: number },
): Promise<CrashCounts> {
  await mkdir(dir, { recursive: true })
  const csv = join(dir, 'ARCH_5m.csv')
  // 5-minute bars, so the lake gets a month file per ~8,600 bars and an archive writes many files.
  await writeCrashCsv(csv, opts.rows, opts.seed, 5)
  const template = join(dir, 'template.duckdb')
  await importFile(() => openDuck(template), csv, { ...IMPORT_OPTS, timeframe: '5m' })
  const id = 'ARCH.TEST'
  const probe = await openDuck(template)
  const all = await probe.readBars(id, '5m')
  await probe.close()
  const n = seriesLength(all)
  const cutoff = all.openTime[Math.floor(n * 0.7)]!
  const run = async (k: number, delay?: number) => {
    const db = join(dir, `a${k}.duckdb`)
    const lake = join(dir, `lake${k}`)
    await copyFile(template, db)
    return { db, lake, r: await runChild(['archive', db, lake, String(cutoff), String(opts.chunk)], delay) }
  }
  let span = (await run(-1)).r.ms
  const u = mulberry32(opts.seed ^ 0x5eed)
  let killed = 0
  for (let k = 0; k < opts.runs; k++) {
    const { db, lake, r } = await run(k, u() * span * SPREAD)
    if (r.killed) killed++
    else span = Math.min(span, r.ms)
    const what = `archive kill ${k} after ${r.ms.toFixed(0)} ms`
    const hot = await openDuck(db)
    const cold = new ParquetLake(lake)
    const hotBars = await hot.readBars(id, '5m')
    await hot.close()
    const lakeBefore = await tempFiles(lake)
    await cold.init()
    const lakeBars = await cold.readBars(id, '5m')
    await cold.close()
    assert.equal(duplicates(lakeBars), 0, `${what}: the lake holds a bar twice`)
    assert.equal(duplicates(hotBars), 0, `${what}: the hot store holds a bar twice`)
    const union = new Set([...hotBars.openTime, ...lakeBars.openTime])
    assert.equal(union.size, n, `${what}: ${n - union.size} bars lost`)
    assert.deepEqual(
      await tempFiles(lake),
      [],
      `${what}: temp files left after the lake opened again (${lakeBefore.length} before)`,
    )
    // Re-run in this process: everything before the cutoff ends in the lake, the rest hot, each once.
    const store = new TieredStore(new DuckDbStore(db), new ParquetLake(lake), { hotWindowMs: 0, now: () => cutoff })
    await store.init()
    try {
      await store.archive()
      const h = await store.hot.readBars(id, '5m')
      const c = await store.lake.readBars(id, '5m')
      assert.ok(seriesLength(h) > 0 && h.openTime[0]! >= cutoff, `${what}: hot after re-run`)
      assert.ok(seriesLength(c) > 0 && c.openTime[seriesLength(c) - 1]! < cutoff, `${what}: lake after re-run`)
      assert.equal(seriesLength(h) + seriesLength(c), n, `${what}: every bar exactly once after re-run`)
      sameBars(await store.readBars(id, '5m'), all, what)
    } finally {
      await store.close()
    }
    await rm(db, { force: true })
    await rm(lake, { recursive: true, force: true })
  }
  return { runs: opts.runs, killed, finishedFirst: opts.runs - killed }
}
