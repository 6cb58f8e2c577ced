/**
 * The bad-input fuzz harness. For each target it generates seeded cases, writes each case's files into its
 * own folder, runs the command in-process in a worker thread (see worker.ts) with a time bound, and checks:
 *
 *   - the exit status is 0, 1 or 2 (never 4 = internal, never an exception escaping the entry function);
 *   - no stack trace on stdout or stderr (no `    at ...` lines);
 *   - an error is one `error [CODE]: ...` line that names where: the input file's name, a line or a key path;
 *   - with --json and exit 0, stdout is one JSON document;
 *   - `data validate --json` / `data import --json`: accepted + quarantined = rows read = the file's non-blank
 *     data lines, and no row the mutation left untouched is quarantined (no good row lost);
 *   - the case finishes within the time bound (the worker is stopped and replaced when it does not).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { FuzzCase, Target } from './targets.ts'
import type { RunResult } from './worker.ts'

export type Outcome = 'ok' | 'rows rejected' | 'clear error' | 'failure'

export interface CaseReport {
  readonly target: string
  readonly seed: number
  readonly outcome: Outcome
  readonly problems: readonly string[]
  readonly ms: number
}

export interface TargetCounts {
  tried: number
  ok: number
  rowsRejected: number
  clearErrors: number
  crashes: number
  hangs: number
  lostRows: number
  unclear: number
  maxMs: number
}

export interface FuzzOptions {
  readonly targets: readonly Target[]
  /** Cases per target. */
  readonly runs: number
  readonly seed: number
  /** Work folder (deleted case by case; the caller removes it). */
  readonly root: string
  readonly timeoutMs: number
  /** Replace the worker after this many cases (module caches of strategy files grow). */
  readonly recycleEvery?: number
  /** Run exactly these case seeds for every target instead of `runs` derived ones (replays, regressions). */
  readonly seeds?: readonly number[]
  /** Keep each case's folder (replays). */
  readonly keep?: boolean
  readonly onCase?: (c: FuzzCase, r: CaseReport, raw: RunResult | 'hang') => void
}

/** The seed of case `i` of target `t` in a run seeded with `seed` (32-bit mix, stable across versions). */
export function caseSeed(seed: number, t: number, i: number): number {
  let h = (seed ^ Math.imul(t + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

const STACK = /^\s+at .+[(:]/m
const ERROR_LINE = /^error \[([A-Z0-9_]+)\]: (.+)$/m

/** A failure already reported to its owner, recognised by the text of a problem. */
export interface KnownOpen {
  readonly pattern: RegExp
  readonly note: string
}

/**
 * Failures found by this harness whose fix belongs to other work in progress; listed so a run reports them
 * apart. Remove an entry once its fix lands (the run then fails on it again if it is not fixed).
 */
export const KNOWN_OPEN: readonly KnownOpen[] = []

export function knownOpen(problems: readonly string[]): KnownOpen | undefined {
  for (const k of KNOWN_OPEN)
    if (
      problems.every((p) => k.pattern.test(p) || /^(hang|unclear)/.test(p)) &&
      problems.some((p) => k.pattern.test(p))
    )
      return k
  return undefined
}

/** Checks one result against the case; returns the outcome and what was wrong. */
export function judge(c: FuzzCase, r: RunResult | 'hang', timeoutMs: number): { outcome: Outcome; problems: string[] } {
  if (r === 'hang') return { outcome: 'failure', problems: [`hang: no result within ${timeoutMs} ms`] }
  const problems: string[] = []
  if (r.escaped.length) problems.push(...r.escaped.map((e) => `crash: ${e.split('\n').slice(0, 4).join(' | ')}`))
  if (![0, 1, 2].includes(r.code)) problems.push(`crash: exit status ${r.code}: ${r.err.slice(0, 400)}`)
  if (STACK.test(r.err) || STACK.test(r.out))
    problems.push(`crash: stack trace in output: ${(r.err.match(STACK) ?? r.out.match(STACK))![0]}`)
  if (r.ms > timeoutMs) problems.push(`hang: took ${r.ms.toFixed(0)} ms (bound ${timeoutMs} ms)`)
  const err = r.err.match(ERROR_LINE)
  if (r.code !== 0 && !err && !(c.csv?.json === 'validate' && r.code === 1)) {
    problems.push(`unclear: exit ${r.code} without an "error [CODE]: ..." line: ${JSON.stringify(r.err.slice(0, 300))}`)
  }
  if (err && !namesWhere(err[2]!, c)) problems.push(`unclear: error does not say where: ${err[0]}`)
  if (r.code === 0 && c.argv.includes('--json') && !c.argv.includes('--out')) {
    try {
      JSON.parse(r.out)
    } catch {
      problems.push(`crash: --json output is not one JSON document: ${JSON.stringify(r.out.slice(0, 200))}`)
    }
  }
  if (c.csv && (r.code === 0 || (r.code === 1 && !err))) problems.push(...checkRows(c, r.out))
  const outcome: Outcome = problems.length ? 'failure' : r.code === 0 ? 'ok' : err ? 'clear error' : 'rows rejected'
  return { outcome, problems }
}

/** An error names where when it mentions the input file (or, for a file the input points to, a line or key). */
function namesWhere(message: string, c: FuzzCase): boolean {
  return message.includes(c.subject) || /\bline \d+/.test(message) || /\b[a-z]\w*(\.\w+)+\b/.test(message)
}

interface RowsJson {
  rowsRead?: number
  rowsAccepted?: number
  rowsQuarantined?: number
  rowsValid?: number
  skipped?: boolean
  quarantine?: { line?: number; reason?: string }[]
  csv?: { layout?: { hasHeader?: boolean }; blankLines?: number }
}

function checkRows(c: FuzzCase, out: string): string[] {
  const x = c.csv!
  let j: RowsJson
  try {
    const parsed = JSON.parse(out) as RowsJson | RowsJson[]
    j = Array.isArray(parsed) ? parsed[0]! : parsed
  } catch {
    return [`crash: --json output is not one JSON document: ${JSON.stringify(out.slice(0, 200))}`]
  }
  const problems: string[] = []
  const read = j.rowsRead ?? -1
  const accepted = x.json === 'validate' ? j.rowsValid! : j.rowsAccepted!
  const quarantined = x.json === 'validate' ? j.quarantine!.length : j.rowsQuarantined!
  if (x.json === 'import' && j.skipped) return problems
  if (accepted + quarantined !== read) {
    problems.push(`lost rows: accepted ${accepted} + quarantined ${quarantined} != rows read ${read}`)
  }
  // Rows read = non-blank lines minus the header line (when the parser took the first line as one).
  const hasHeader = x.json === 'validate' ? j.csv?.layout?.hasHeader !== false : true
  const want = x.nonBlankLines - (hasHeader ? 1 : 0)
  if (x.json === 'validate' || x.rowsTracked) {
    if (read !== want) problems.push(`lost rows: rows read ${read}, but the file has ${want} non-blank data lines`)
  }
  if (x.rowsTracked) {
    if (x.json === 'validate') {
      const bad = new Set((j.quarantine ?? []).map((q) => q.line))
      const lost = x.goodLines.filter((l) => bad.has(l))
      if (lost.length) {
        const reasons = (j.quarantine ?? []).filter((q) => lost.includes(q.line!)).map((q) => `${q.line} ${q.reason}`)
        problems.push(
          `lost rows: untouched rows quarantined: ${reasons.slice(0, 5).join(', ')}${lost.length > 5 ? ' ...' : ''}`,
        )
      }
    } else if (accepted < x.goodLines.length) {
      problems.push(`lost rows: ${accepted} accepted but ${x.goodLines.length} rows were untouched`)
    }
  }
  return problems
}

/** A worker and the case it is running. */
class Runner {
  private worker!: Worker
  private ready!: Promise<void>
  private pending: ((r: RunResult) => void) | undefined
  private served = 0
  private nextId = 1

  constructor(private readonly recycleEvery: number) {
    this.start()
  }

  private start(): void {
    const entry = new URL('./worker.ts', import.meta.url).href
    this.worker = new Worker(
      `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(entry)})`,
      { eval: true, env: { ...process.env, KESTREL_LOG_LEVEL: 'silent', CI: '1' }, stdout: false, stderr: false },
    )
    this.served = 0
    this.ready = new Promise((res, rej) => {
      this.worker.once('message', () => res())
      this.worker.once('error', rej)
    })
    this.worker.on('message', (m: RunResult & { ready?: boolean }) => {
      if (m.ready) return
      const p = this.pending
      this.pending = undefined
      p?.(m)
    })
    this.worker.on('error', (e) => {
      const p = this.pending
      this.pending = undefined
      p?.({ id: -1, code: -1, out: '', err: '', ms: 0, escaped: [`worker died: ${e.stack ?? e.message}`] })
    })
  }

  /** Runs argv; resolves to its result, or 'hang' (after replacing the worker) when it takes too long. */
  async run(argv: readonly string[], timeoutMs: number): Promise<RunResult | 'hang'> {
    if (this.served >= this.recycleEvery) await this.restart()
    await this.ready
    this.served++
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined
        void this.restart().then(() => resolve('hang'))
      }, timeoutMs * 2)
      this.pending = (r) => {
        clearTimeout(timer)
        resolve(r)
      }
      this.worker.postMessage({ id, argv })
    })
  }

  async restart(): Promise<void> {
    await this.worker.terminate()
    this.start()
  }

  async close(): Promise<void> {
    await this.worker.terminate()
  }
}

export function emptyCounts(): TargetCounts {
  return { tried: 0, ok: 0, rowsRejected: 0, clearErrors: 0, crashes: 0, hangs: 0, lostRows: 0, unclear: 0, maxMs: 0 }
}

/** Writes a case's files into `dir`. */
export function writeCase(c: FuzzCase, dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const f of c.files) writeFileSync(join(dir, f.name), f.bytes)
}

/** Runs every target's cases; returns the counts per target and every failing case. */
export async function runFuzz(
  o: FuzzOptions,
  setup?: { files: { path: string; bytes: Uint8Array }[]; runs: string[][] },
) {
  mkdirSync(o.root, { recursive: true })
  const runner = new Runner(o.recycleEvery ?? 400)
  const counts = new Map<string, TargetCounts>()
  const failures: (CaseReport & { what: readonly string[]; argv: readonly string[]; known?: string })[] = []
  try {
    for (const f of setup?.files ?? []) writeFileSync(f.path, f.bytes)
    for (const argv of setup?.runs ?? []) {
      const r = await runner.run(argv, 120_000)
      if (r === 'hang' || r.code !== 0)
        throw new Error(`fuzz setup failed: ${argv.join(' ')}: ${r === 'hang' ? 'hang' : r.err}`)
    }
    for (const [t, target] of o.targets.entries()) {
      const k = emptyCounts()
      counts.set(target.name, k)
      const n = o.seeds ? o.seeds.length : o.runs
      for (let i = 0; i < n; i++) {
        const seed = o.seeds ? o.seeds[i]! : caseSeed(o.seed, t, i)
        const dir = join(o.root, `c${seed}`)
        const c = target.make(seed, dir)
        writeCase(c, dir)
        const r = await runner.run(c.argv, o.timeoutMs)
        const { outcome, problems } = judge(c, r, o.timeoutMs)
        const ms = r === 'hang' ? o.timeoutMs * 2 : r.ms
        k.tried++
        k.maxMs = Math.max(k.maxMs, ms)
        if (outcome === 'ok') k.ok++
        else if (outcome === 'rows rejected') k.rowsRejected++
        else if (outcome === 'clear error') k.clearErrors++
        else {
          if (problems.some((p) => p.startsWith('crash'))) k.crashes++
          if (problems.some((p) => p.startsWith('hang'))) k.hangs++
          if (problems.some((p) => p.startsWith('lost rows'))) k.lostRows++
          if (problems.some((p) => p.startsWith('unclear'))) k.unclear++
        }
        const rep: CaseReport = { target: target.name, seed, outcome, problems, ms }
        if (outcome === 'failure')
          failures.push({ ...rep, what: c.what, argv: c.argv, known: knownOpen(problems)?.note })
        o.onCase?.(c, rep, r)
        if (!o.keep) rmSync(dir, { recursive: true, force: true })
      }
    }
  } finally {
    await runner.close()
  }
  return { counts, failures }
}

/** The summary table: one row per target. */
export function summaryTable(counts: Map<string, TargetCounts>): string {
  const head = [
    'command',
    'inputs',
    'ok',
    'rows rejected',
    'clear errors',
    'crashes',
    'hangs',
    'lost rows',
    'unclear',
    'max ms',
  ]
  const rows = [...counts].map(([name, k]) => [
    name,
    k.tried,
    k.ok,
    k.rowsRejected,
    k.clearErrors,
    k.crashes,
    k.hangs,
    k.lostRows,
    k.unclear,
    Math.round(k.maxMs),
  ])
  const total = emptyCounts()
  for (const k of counts.values()) {
    for (const key of Object.keys(total) as (keyof TargetCounts)[])
      total[key] = key === 'maxMs' ? Math.max(total[key], k[key]) : total[key] + k[key]
  }
  rows.push([
    'total',
    total.tried,
    total.ok,
    total.rowsRejected,
    total.clearErrors,
    total.crashes,
    total.hangs,
    total.lostRows,
    total.unclear,
    Math.round(total.maxMs),
  ])
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n')
}
