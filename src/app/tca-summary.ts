/**
 * The transaction costs of a run's parent orders (the backtest JSON's `tca`), summed per instrument and algorithm
 * with a total row: what the quickstart prints and the tearsheet's table shows. Only parents with a fill count
 * towards the costs (one replaced before its first child filled has no price to measure); bps are of the arrival
 * notional of what filled, and slippage averages are weighted by it.
 */
import type { TcaSummaryRow } from '../research/index.ts'

/** One parent of the backtest JSON's `tca` list (the fields read here). */
interface ParentTcaRow {
  readonly algo: string
  readonly instrumentId: string
  readonly filled: number
  readonly arrivalPrice: number
  readonly costs: {
    readonly implementationShortfall: {
      readonly total: number | null
      readonly execution: number | null
      readonly opportunity: number | null
      readonly fees: number | null
    }
    readonly slippageVsArrivalBps: number | null
    readonly slippageVsVwapBps: number | null
  } | null
}

const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined)

interface Sum {
  parents: number
  filledParents: number
  notional: number
  shortfall: number
  execution: number
  opportunity: number
  fees: number
  arrivalW: number
  arrivalN: number
  vwapW: number
  vwapN: number
}

const empty = (): Sum => ({
  parents: 0,
  filledParents: 0,
  notional: 0,
  shortfall: 0,
  execution: 0,
  opportunity: 0,
  fees: 0,
  arrivalW: 0,
  arrivalN: 0,
  vwapW: 0,
  vwapN: 0,
})

function add(s: Sum, p: ParentTcaRow): void {
  s.parents++
  const is = p.costs?.implementationShortfall
  const total = num(is?.total)
  if (!(p.filled > 0) || total === undefined) return
  const notional = p.arrivalPrice * p.filled
  s.filledParents++
  s.notional += notional
  s.shortfall += total
  s.execution += num(is?.execution) ?? 0
  s.opportunity += num(is?.opportunity) ?? 0
  s.fees += num(is?.fees) ?? 0
  const a = num(p.costs?.slippageVsArrivalBps)
  if (a !== undefined) {
    s.arrivalW += a * notional
    s.arrivalN += notional
  }
  const v = num(p.costs?.slippageVsVwapBps)
  if (v !== undefined) {
    s.vwapW += v * notional
    s.vwapN += notional
  }
}

function row(instrumentId: string, algo: string, s: Sum): TcaSummaryRow {
  return {
    instrumentId,
    algo,
    parents: s.parents,
    filledParents: s.filledParents,
    notional: s.notional,
    implementationShortfall: s.shortfall,
    execution: s.execution,
    opportunity: s.opportunity,
    fees: s.fees,
    bps: s.notional > 0 ? (s.shortfall / s.notional) * 1e4 : NaN,
    slippageVsArrivalBps: s.arrivalN > 0 ? s.arrivalW / s.arrivalN : NaN,
    slippageVsVwapBps: s.vwapN > 0 ? s.vwapW / s.vwapN : NaN,
  }
}

/** Per instrument and algorithm, in order of first appearance, then the total (`instrumentId` `all`). */
export function tcaSummary(parents: readonly unknown[]): TcaSummaryRow[] {
  const groups = new Map<string, { instrumentId: string; algo: string; sum: Sum }>()
  const total = empty()
  const algos = new Set<string>()
  for (const raw of parents) {
    const p = raw as ParentTcaRow
    const key = `${p.instrumentId}\u0000${p.algo}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { instrumentId: p.instrumentId, algo: p.algo, sum: empty() }))
    add(g.sum, p)
    add(total, p)
    algos.add(p.algo)
  }
  if (groups.size === 0) return []
  return [
    ...[...groups.values()].map((g) => row(g.instrumentId, g.algo, g.sum)),
    row('all', [...algos].join(', '), total),
  ]
}
