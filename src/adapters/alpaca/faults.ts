/**
 * The faults a local venue server injects (`--faults`), so an adapter's recovery paths run before it goes live.
 *
 * Syntax: faults separated by commas; each is `name[@trigger][:key=value]...`.
 *   trigger  `p=<0..1>`     each occasion with this probability (drawn from the server's seeded stream)
 *            `n=<count>`    the first `count` occasions
 *            `every=<dur>`  (disconnect) on a wall-clock schedule: `500ms`, `20s`, `2m`
 *            `bars=<count>` (disconnect) after every `count` replayed bars
 * `lost-ack` is a 5xx sent after the request took effect (the order is placed, its answer lost on the way).
 * Example: `disconnect@every=20s:down=1s,http429@p=0.05:retry-after=1,http5xx@p=0.02,dup-report@p=0.1,
 * reorder@p=0.1,slow-ack@p=0.1:ms=500,reject@p=0.01,fill-during-disconnect`.
 */
import { KestrelError, Rng } from '../../core/index.ts'

/** What a fault does and the triggers and parameters it takes. */
const KINDS = {
  disconnect: { triggers: ['every', 'bars'], optionalTrigger: true, params: { down: 'duration' } },
  http429: { triggers: ['p', 'n'], optionalTrigger: false, params: { 'retry-after': 'seconds' } },
  http5xx: { triggers: ['p', 'n'], optionalTrigger: false, params: { status: 'status' } },
  'lost-ack': { triggers: ['p', 'n'], optionalTrigger: false, params: { status: 'status' } },
  'dup-report': { triggers: ['p', 'n'], optionalTrigger: false, params: {} },
  reorder: { triggers: ['p', 'n'], optionalTrigger: false, params: { ms: 'duration' } },
  'slow-ack': { triggers: ['p', 'n'], optionalTrigger: false, params: { ms: 'duration' } },
  reject: { triggers: ['p', 'n'], optionalTrigger: false, params: {} },
  'fill-during-disconnect': { triggers: [], optionalTrigger: true, params: {} },
} as const satisfies Record<
  string,
  { triggers: readonly string[]; optionalTrigger: boolean; params: Record<string, 'duration' | 'seconds' | 'status'> }
>

/** A fault's name. */
export type FaultName = keyof typeof KINDS

/** When a fault fires. */
export type FaultTrigger =
  | { readonly kind: 'p'; readonly p: number }
  | { readonly kind: 'n'; readonly n: number }
  | { readonly kind: 'every'; readonly ms: number }
  | { readonly kind: 'bars'; readonly n: number }

/** One parsed fault. */
export interface FaultSpec {
  readonly name: FaultName
  readonly trigger?: FaultTrigger
  /** Parameters in their unit: milliseconds for durations and seconds, the HTTP status for `status`. */
  readonly params: Readonly<Record<string, number>>
  /** The text it was parsed from. */
  readonly text: string
}

function bad(part: string, why: string): KestrelError {
  return new KestrelError('SPEC_INVALID', `--faults: ${JSON.stringify(part)}: ${why}`, { part, reason: why })
}

/** Parses a duration such as `500ms`, `20s`, `2m` (a bare number is milliseconds). */
function duration(v: string, part: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v)
  if (!m) throw bad(part, `${what} ${JSON.stringify(v)} is not a duration (e.g. 500ms, 20s, 2m)`)
  const k = m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1
  return Math.round(Number(m[1]) * k)
}

function count(v: string, part: string, what: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw bad(part, `${what} ${JSON.stringify(v)} is not a whole number >= 1`)
  return Number(v)
}

/** Parses a `--faults` spec; a bad part is a SPEC_INVALID error naming it. */
export function parseFaults(spec: string): FaultSpec[] {
  const out: FaultSpec[] = []
  for (const raw of spec.split(',')) {
    const part = raw.trim()
    if (part === '') {
      if (spec.trim() === '') continue
      throw bad(raw, 'empty fault (two commas in a row, or a trailing comma)')
    }
    const [head, ...kvs] = part.split(':')
    const [name, trig, ...more] = head!.split('@')
    if (more.length > 0) throw bad(part, 'more than one @trigger')
    if (!Object.hasOwn(KINDS, name!))
      throw bad(part, `unknown fault ${JSON.stringify(name)} (known: ${Object.keys(KINDS).join(', ')})`)
    const kind = KINDS[name as FaultName]
    let trigger: FaultTrigger | undefined
    if (trig !== undefined) {
      const m = /^([a-z]+)=(.*)$/.exec(trig)
      if (!m) throw bad(part, `trigger ${JSON.stringify(trig)} is not key=value (p=0.1, n=2, every=20s, bars=5)`)
      const [, k, v] = m as unknown as [string, string, string]
      if (!(kind.triggers as readonly string[]).includes(k))
        throw bad(
          part,
          kind.triggers.length
            ? `${name} takes ${kind.triggers.map((t) => `@${t}=`).join(' or ')}, not @${k}=`
            : `${name} takes no trigger`,
        )
      if (k === 'p') {
        const p = Number(v)
        if (v === '' || !(p >= 0 && p <= 1)) throw bad(part, `p ${JSON.stringify(v)} is not a probability in [0, 1]`)
        trigger = { kind: 'p', p }
      } else if (k === 'n') trigger = { kind: 'n', n: count(v, part, 'n') }
      else if (k === 'bars') trigger = { kind: 'bars', n: count(v, part, 'bars') }
      else {
        const ms = duration(v, part, 'every')
        if (ms <= 0) throw bad(part, 'every must be longer than 0')
        trigger = { kind: 'every', ms }
      }
    } else if (!kind.optionalTrigger) {
      throw bad(part, `${name} needs a trigger: ${kind.triggers.map((t) => `@${t}=...`).join(' or ')}`)
    }
    const params: Record<string, number> = {}
    for (const kv of kvs) {
      const m = /^([a-z-]+)=(.+)$/.exec(kv)
      if (!m) throw bad(part, `parameter ${JSON.stringify(kv)} is not key=value`)
      const [, k, v] = m as unknown as [string, string, string]
      const unit = (kind.params as Record<string, string>)[k]
      if (!unit) {
        const known = Object.keys(kind.params)
        throw bad(part, `${name} has no parameter ${k}${known.length ? ` (it takes ${known.join(', ')})` : ''}`)
      }
      if (unit === 'duration') params[k] = duration(v, part, k)
      else if (unit === 'seconds') {
        if (!/^\d+(\.\d+)?$/.test(v)) throw bad(part, `${k} ${JSON.stringify(v)} is not a number of seconds`)
        params[k] = Math.round(Number(v) * 1000)
      } else {
        const s = Number(v)
        if (!/^\d{3}$/.test(v) || s < 500 || s > 599)
          throw bad(part, `${k} ${JSON.stringify(v)} is not an HTTP 5xx status`)
        params[k] = s
      }
    }
    out.push({ name: name as FaultName, trigger, params, text: part })
  }
  return out
}

/** The parsed faults with their state: which fire on this occasion, seeded so a run repeats. */
export class FaultPlan {
  private readonly rng: Rng
  private readonly fired = new Map<FaultSpec, number>()
  /** How many times each fault fired (for `GET /admin/stats` and tests). */
  readonly counts: Record<string, number> = {}

  constructor(
    readonly specs: readonly FaultSpec[],
    seed = 1,
  ) {
    this.rng = new Rng(seed)
  }

  /** The first fault of this name, if configured. */
  get(name: FaultName): FaultSpec | undefined {
    return this.specs.find((s) => s.name === name)
  }

  /** True when `name` is configured (with any trigger). */
  has(name: FaultName): boolean {
    return this.get(name) !== undefined
  }

  /** One occasion of `name` (a request, a report, a bar): does it fire now? Counts it when it does. */
  fire(name: FaultName): FaultSpec | undefined {
    const s = this.get(name)
    if (!s?.trigger) return undefined
    const t = s.trigger
    let yes = false
    if (t.kind === 'p') yes = t.p > 0 && this.rng.uniform() < t.p
    else if (t.kind === 'n') yes = (this.fired.get(s) ?? 0) < t.n
    if (!yes) return undefined
    this.note(s)
    return s
  }

  /** Counts a firing decided elsewhere (a schedule, an admin call). */
  note(s: FaultSpec | FaultName): void {
    const spec = typeof s === 'string' ? this.get(s) : s
    const name = typeof s === 'string' ? s : s.name
    if (spec) this.fired.set(spec, (this.fired.get(spec) ?? 0) + 1)
    this.counts[name] = (this.counts[name] ?? 0) + 1
  }
}
