/**
 * A feature spec becomes a plan: every expression is parsed, nested calls become anonymous nodes (shared
 * when their text is equal), references are resolved to features, bar columns or extra series, parameters
 * are checked, and the nodes are sorted so each comes after its inputs. Unknown names, bad arguments and
 * cycles are SPEC_INVALID errors naming the key path (`features.vol`).
 */
import { createHash } from 'node:crypto'
import { KestrelError, isKestrelError } from '../../core/index.ts'
import { getIndicator } from '../indicators/index.ts'
import { parseExpr, exprText, type Expr } from './expr.ts'
import { BAR_COLUMNS, type BarColumn, type FeatureKind, type KindContext } from './kind.ts'
import { BAR_KINDS } from './kinds-bar.ts'
import { SERIES_KINDS } from './kinds-series.ts'
import { indicatorKind } from './kinds-indicator.ts'
import { arithKind } from './kinds-arith.ts'
import { NEWS_KINDS } from './kinds-news.ts'
import type { FeatureSpec } from './spec.ts'

/** Bumped when any kernel changes its output, so cached features are recomputed. */
export const FEATURE_CODE_VERSION = 4

/** Where a node input comes from. */
export type InputRef =
  | { readonly type: 'bar'; readonly column: BarColumn }
  | { readonly type: 'extra'; readonly name: string }
  | { readonly type: 'node'; readonly id: string; readonly output: number }

/** One computation in the plan. */
export interface PlanNode {
  readonly id: string
  readonly kind: FeatureKind
  readonly params: readonly number[]
  readonly inputs: readonly InputRef[]
  readonly outputs: readonly string[]
  /** Key path of the expression that created the node. */
  readonly where: string
  /** True for labels and anything computed from one: reads the future, batch only. */
  readonly forward: boolean
}

/** An output column. */
export interface PlanColumn {
  readonly name: string
  readonly node: string
  readonly output: number
  /** True when the column is a label (reads the future). */
  readonly label: boolean
}

/** A compiled spec. */
export interface Plan {
  readonly spec: FeatureSpec
  /** Nodes in dependency order. */
  readonly nodes: readonly PlanNode[]
  readonly columns: readonly PlanColumn[]
  /** sha256 of the normalised spec and the code version. */
  readonly hash: string
}

const KINDS = new Map<string, FeatureKind>([...BAR_KINDS, ...SERIES_KINDS, ...NEWS_KINDS].map((k) => [k.name, k]))

/** Every built-in (non-indicator) kind, by name. */
export function featureKinds(): ReadonlyMap<string, FeatureKind> {
  return KINDS
}

function specError(where: string, msg: string, details: Record<string, unknown> = {}): KestrelError {
  return new KestrelError('SPEC_INVALID', `${where}: ${msg}`, { where, ...details })
}

function resolveKind(name: string, where: string): FeatureKind {
  const k = KINDS.get(name)
  if (k) return k
  try {
    return indicatorKind(getIndicator(name))
  } catch (e) {
    if (isKestrelError(e))
      throw specError(where, e.message.replace('unknown indicator', 'unknown feature or indicator'))
    throw e
  }
}

const CHECK_CTX: KindContext = { sessionsAt: () => [], news: { time: new Float64Array(0), score: new Float64Array(0) } }

/** `c: close` publishes a bar column or extra series as a feature. */
const IDENTITY: FeatureKind = {
  name: 'identity',
  description: 'the input series itself',
  bar: [],
  series: [{ name: 'x' }],
  params: [],
  outputs: () => ['value'],
  stream: () => ({ update: (x) => x }),
  batch: (inputs) => [Float64Array.from(inputs[0]!)],
}

/** Compiles a validated spec into a plan. */
export function buildPlan(spec: FeatureSpec): Plan {
  const exprs = new Map<string, Expr>()
  for (const [name, text] of Object.entries(spec.features)) {
    const where = `features.${name}`
    if ((BAR_COLUMNS as readonly string[]).includes(name) || spec.extra.includes(name))
      throw specError(where, `the name ${name} is taken by a bar column or an extra series`)
    exprs.set(name, parseExpr(text, where))
  }
  const nodes = new Map<string, PlanNode>()
  const order: PlanNode[] = []
  const byText = new Map<string, string>()
  const aliases = new Map<string, { id: string; output: string | undefined }>()
  const visiting: string[] = []

  /** Resolves a reference to an input, compiling named features on demand. */
  const ref = (name: string, output: string | undefined, where: string): InputRef => {
    if (exprs.has(name)) {
      const target = feature(name)
      const node = nodes.get(target.id)!
      const outName = output ?? target.output
      const idx = outName === undefined ? (node.outputs.length === 1 ? 0 : -1) : node.outputs.indexOf(outName)
      if (idx < 0)
        throw specError(
          where,
          outName === undefined
            ? `${name} has several outputs; pick one of ${node.outputs.map((o) => `${name}.${o}`).join(', ')}`
            : `${name} has no output ${outName}; outputs: ${node.outputs.join(', ')}`,
        )
      return { type: 'node', id: target.id, output: idx }
    }
    if (output !== undefined) throw specError(where, `unknown feature ${name} (in ${name}.${output})`)
    if ((BAR_COLUMNS as readonly string[]).includes(name)) return { type: 'bar', column: name as BarColumn }
    if (spec.extra.includes(name)) return { type: 'extra', name }
    throw specError(where, `unknown name ${name}: not a feature, a bar column (${BAR_COLUMNS.join(', ')}) or an extra`)
  }

  /** Compiles a named feature; returns its node id (and output when it is an alias). */
  const feature = (name: string): { id: string; output: string | undefined } => {
    const done = aliases.get(name)
    if (done) return done
    const where = `features.${name}`
    if (visiting.includes(name))
      throw specError(where, `cycle: ${[...visiting.slice(visiting.indexOf(name)), name].join(' -> ')}`, {
        cycle: [...visiting.slice(visiting.indexOf(name)), name],
      })
    visiting.push(name)
    const e = exprs.get(name)!
    let res: { id: string; output: string | undefined }
    if (e.type === 'call') {
      const id = call({ ...e, output: undefined }, where, e.output === undefined ? name : undefined)
      if (e.output === undefined) res = { id, output: undefined }
      else {
        const node = nodes.get(id)!
        if (!node.outputs.includes(e.output))
          throw specError(
            where,
            `${exprText({ ...e, output: undefined })} has no output ${e.output}; outputs: ${node.outputs.join(', ')}`,
          )
        res = { id, output: e.output }
      }
    } else if (e.type === 'bin' || e.type === 'neg') res = { id: arithNode(e, where, name), output: undefined }
    else if (e.type === 'ref') {
      const r = ref(e.name, e.output, where)
      if (r.type !== 'node') res = { id: identity(r, where, name), output: undefined }
      else res = { id: r.id, output: nodes.get(r.id)!.outputs[r.output] }
    } else throw specError(where, 'a feature must be an expression such as logret(close, 1), not a number')
    visiting.pop()
    aliases.set(name, res)
    return res
  }

  /** A bar column or extra series published as a feature (`c: close`). */
  const identity = (input: InputRef, where: string, name: string): string => {
    const node: PlanNode = {
      id: name,
      kind: IDENTITY,
      params: [],
      inputs: [input],
      outputs: ['value'],
      where,
      forward: false,
    }
    nodes.set(name, node)
    order.push(node)
    return name
  }

  /** Compiles a call; returns the node id. */
  const call = (e: Extract<Expr, { type: 'call' }>, where: string, name?: string): string => {
    const text = exprText(e)
    const shared = byText.get(text)
    if (shared !== undefined && name === undefined) return shared
    const kind = resolveKind(e.name, where)
    const seriesArgs = e.args.filter((a) => a.type !== 'num')
    const numArgs = e.args.filter((a) => a.type === 'num') as { type: 'num'; value: number }[]
    const firstNum = e.args.findIndex((a) => a.type === 'num')
    if (firstNum >= 0 && e.args.slice(firstNum).some((a) => a.type !== 'num'))
      throw specError(where, `${text}: series arguments come before numbers`)
    if (seriesArgs.length > kind.series.length)
      throw specError(
        where,
        `${e.name} takes ${kind.series.length} series argument(s) (${kind.series.map((s) => s.name).join(', ')}), got ${seriesArgs.length}`,
      )
    if (numArgs.length > kind.params.length)
      throw specError(
        where,
        `${e.name} takes at most ${kind.params.length} number(s) (${kind.params.map((p) => p.name).join(', ')}), got ${numArgs.length}`,
      )
    const inputs: InputRef[] = kind.bar.map((c) => ({ type: 'bar', column: c }) as const)
    kind.series.forEach((slot, k) => {
      const a = seriesArgs[k]
      if (a === undefined) {
        if (slot.default === undefined) throw specError(where, `${e.name}: missing series argument ${slot.name}`)
        inputs.push({ type: 'bar', column: slot.default })
      } else inputs.push(operand(a, where) as InputRef)
    })
    const params = kind.params.map((p, k) => {
      const v = numArgs[k]?.value ?? p.default
      if (v === undefined) throw specError(where, `${e.name}: missing parameter ${p.name}`)
      const ok =
        Number.isFinite(v) &&
        (!p.integer || Number.isInteger(v)) &&
        (p.min === undefined || v >= p.min) &&
        (p.max === undefined || v <= p.max)
      if (!ok)
        throw specError(
          where,
          `${e.name}(${p.name}): expected ${p.integer ? 'an integer' : 'a number'}${p.min !== undefined ? ` >= ${p.min}` : ''}${p.max !== undefined ? ` <= ${p.max}` : ''}, got ${v}`,
        )
      return v
    })
    try {
      kind.stream?.(params, CHECK_CTX) // constructing the twin checks the parameters the kernel cares about
    } catch (err) {
      // A RangeError is a parameter too large to allocate for (a window of 1e308 bars): the spec's fault too.
      if (isKestrelError(err) || err instanceof RangeError) throw specError(where, `${text}: ${err.message}`)
      throw err
    }
    const id = name ?? text
    const forward = kind.label === true || inputs.some((i) => i.type === 'node' && nodes.get(i.id)!.forward)
    const node: PlanNode = { id, kind, params, inputs, outputs: kind.outputs(params), where, forward }
    nodes.set(id, node)
    order.push(node)
    if (!byText.has(text)) byText.set(text, id)
    return id
  }

  /** A series operand: a reference, a call (one output, or `call(...).output`) or arithmetic; a number stays a number. */
  const operand = (a: Expr, where: string): InputRef | number => {
    if (a.type === 'num') return a.value
    if (a.type === 'ref') return ref(a.name, a.output, where)
    if (a.type === 'bin' || a.type === 'neg') return { type: 'node', id: arithNode(a, where), output: 0 }
    const id = call({ ...a, output: undefined }, where)
    const node = nodes.get(id)!
    if (a.output === undefined) {
      if (node.outputs.length > 1)
        throw specError(
          where,
          `${exprText(a)} has several outputs; pick one: ${node.outputs.map((o) => `${exprText(a)}.${o}`).join(', ')}`,
        )
      return { type: 'node', id, output: 0 }
    }
    const idx = node.outputs.indexOf(a.output)
    if (idx < 0)
      throw specError(
        where,
        `${exprText({ ...a, output: undefined })} has no output ${a.output}; outputs: ${node.outputs.join(', ')}`,
      )
    return { type: 'node', id, output: idx }
  }

  /** Compiles arithmetic into one node per operator; equal sub-expressions share a node. Returns its id. */
  const arithNode = (e: Extract<Expr, { type: 'bin' | 'neg' }>, where: string, name?: string): string => {
    const text = exprText(e)
    const shared = byText.get(text)
    if (shared !== undefined && name === undefined) return shared
    let kind: FeatureKind
    let inputs: InputRef[]
    let params: number[] = []
    if (e.type === 'neg') {
      kind = arithKind('+', 'neg')
      inputs = [operand(e.arg, where) as InputRef]
    } else {
      const l = operand(e.left, where)
      const r = operand(e.right, where)
      if (typeof l === 'number') {
        kind = arithKind(e.op, 'cx')
        inputs = [r as InputRef]
        params = [l]
      } else if (typeof r === 'number') {
        kind = arithKind(e.op, 'xc')
        inputs = [l]
        params = [r]
      } else {
        kind = arithKind(e.op, 'xy')
        inputs = [l, r]
      }
    }
    const id = name ?? text
    const forward = inputs.some((i) => i.type === 'node' && nodes.get(i.id)!.forward)
    const node: PlanNode = { id, kind, params, inputs, outputs: ['value'], where, forward }
    nodes.set(id, node)
    order.push(node)
    if (!byText.has(text)) byText.set(text, id)
    return id
  }

  for (const name of exprs.keys()) feature(name)

  const columns: PlanColumn[] = []
  const want = spec.output ?? [...exprs.keys()]
  want.forEach((item, i) => {
    const where = spec.output ? `output[${i}]` : `features.${item}`
    const dot = item.indexOf('.')
    const name = dot < 0 ? item : item.slice(0, dot)
    if (!exprs.has(name)) throw specError(where, `unknown feature ${name}`)
    const target = aliases.get(name)!
    const node = nodes.get(target.id)!
    const label = node.forward
    if (dot >= 0 || target.output !== undefined) {
      const out = dot >= 0 ? item.slice(dot + 1) : target.output!
      const idx = node.outputs.indexOf(out)
      if (idx < 0) throw specError(where, `${name} has no output ${out}; outputs: ${node.outputs.join(', ')}`)
      columns.push({ name: item, node: node.id, output: idx, label })
    } else if (node.outputs.length === 1) columns.push({ name, node: node.id, output: 0, label })
    else node.outputs.forEach((o, k) => columns.push({ name: `${name}.${o}`, node: node.id, output: k, label }))
  })

  const canonical = JSON.stringify({
    code: FEATURE_CODE_VERSION,
    features: Object.fromEntries([...exprs].map(([k, e]) => [k, exprText(e)])),
    output: columns.map((c) => c.name),
    extra: spec.extra,
  })
  return { spec, nodes: order, columns, hash: createHash('sha256').update(canonical).digest('hex') }
}
