/**
 * `kestrel live compare`: the backtest-versus-live drift report. It reads what a live (or paper) node recorded
 * in its journal, runs the same strategies through the backtest engine on the very bars the node acted on (same
 * node id, so the same client order ids), and reports every difference: orders one side sent and the other did
 * not, orders that differ, and for each order both sides filled, the slippage of the live average price against
 * the simulated one (bps, positive = worse for the order). Control actions (kill, halt) and reconciliation
 * reports exist only live; they are listed, since they explain differences after them.
 */
import { resolve } from 'node:path'
import { KestrelError, toBarSeries } from '../core/index.ts'
import type { Bar, Order } from '../core/index.ts'
import { NODE_RECORD, barFromRecord, orderFromRecord, readJournal, runBacktest } from '../engine/index.ts'
import { LimitsRiskEngine } from '../risk/index.ts'
import { liveParts } from './live.ts'
import type { Env } from './types.ts'

/** One order as each side saw it. */
export interface SideOrder {
  readonly side: string
  readonly type: string
  readonly quantity: number
  readonly filled: number
  /** NaN (null in JSON) before a fill. */
  readonly avgPrice: number
}

/** One difference between the live run and its backtest. */
export interface Drift {
  readonly kind: 'only-live' | 'only-backtest' | 'order-differs' | 'fill-differs'
  readonly clientOrderId: string
  readonly message: string
}

/** The drift report. */
export interface LiveCompareReport {
  readonly journal: string
  readonly bars: number
  readonly live: { readonly orders: number; readonly fills: number; readonly pnl: number }
  readonly backtest: { readonly orders: number; readonly fills: number; readonly pnl: number }
  /** Orders both sides sent with the same instrument, side, type and quantity. */
  readonly matched: number
  readonly differences: readonly Drift[]
  /** The first difference in time order, where the two runs part. */
  readonly firstDifference?: Drift
  /** Per order both sides filled: live vs simulated average price. */
  readonly slippage: readonly {
    readonly clientOrderId: string
    readonly side: string
    readonly live: number
    readonly backtest: number
    readonly bps: number
  }[]
  /** Live-only events: control actions and reconciliation reports, in order. */
  readonly liveEvents: readonly { readonly seq: number; readonly kind: string; readonly data: unknown }[]
}

function summary(o: Pick<Order, 'side' | 'type' | 'quantity'>, filled: number, avg: number): SideOrder {
  return { side: o.side, type: o.type, quantity: o.quantity, filled, avgPrice: avg }
}

/** Builds the drift report of a config's live journal (or `journal`); see the file header. */
export async function liveCompare(req: { config: string; env: Env; journal?: string }): Promise<LiveCompareReport> {
  const parts = await liveParts(req.config, req.env)
  const path = req.journal !== undefined ? resolve(req.journal) : resolve(parts.base, parts.section.journal)
  const recs = readJournal(path)
  if (recs.length === 0) throw new KestrelError('DATA_NOT_FOUND', `journal ${path}: empty`)
  const bars = parts.feeds.map((): Bar[] => [])
  const liveOrders = new Map<string, { order: Order; seq: number }>()
  const fills = new Map<string, { filled: number; notional: number }>()
  const seenFill = new Set<string>()
  const liveEvents: LiveCompareReport['liveEvents'][number][] = []
  let cash = 0
  const net = new Map<string, number>()
  for (const r of recs) {
    if (r.kind === NODE_RECORD.bar) {
      const { bar, feed } = barFromRecord(r.data as Record<string, unknown>)
      const list = bars[feed]
      if (list === undefined)
        throw new KestrelError(
          'CONFIG_INVALID',
          `journal ${path}: record ${r.seq} names feed ${feed}; the config has ${bars.length}`,
        )
      list.push(bar)
    } else if (r.kind === NODE_RECORD.submit) {
      const o = orderFromRecord(r.data as Record<string, unknown>)
      if (!liveOrders.has(o.clientOrderId)) liveOrders.set(o.clientOrderId, { order: o, seq: r.seq })
    } else if (r.kind === NODE_RECORD.report) {
      const d = r.data as {
        kind: string
        source?: string
        fill?: {
          fillId: string
          clientOrderId: string
          side: string
          quantity: number
          price: number
          fee: number
          instrumentId: string
        }
      }
      if (d.source === 'reconcile') liveEvents.push({ seq: r.seq, kind: `reconciled ${d.kind}`, data: d })
      if (d.kind !== 'FILL' || !d.fill || seenFill.has(d.fill.fillId)) continue
      const f = d.fill
      seenFill.add(f.fillId)
      const s = f.side === 'BUY' ? 1 : -1
      const x = fills.get(f.clientOrderId) ?? { filled: 0, notional: 0 }
      x.filled += f.quantity
      x.notional += f.quantity * f.price
      fills.set(f.clientOrderId, x)
      cash -= s * f.quantity * f.price + f.fee
      net.set(f.instrumentId, (net.get(f.instrumentId) ?? 0) + s * f.quantity)
    } else if (r.kind === NODE_RECORD.control) liveEvents.push({ seq: r.seq, kind: 'control', data: r.data })
  }
  const feeds = parts.feeds.map((f, i) => ({
    instrumentId: f.instrumentId,
    timeframe: f.timeframe,
    data: toBarSeries(bars[i]!, f.instrumentId, f.timeframe),
  }))
  const nBars = bars.reduce((a, b) => a + b.length, 0)
  if (nBars === 0) throw new KestrelError('DATA_NOT_FOUND', `journal ${path}: no bars to compare on`)
  let livePnl = cash
  for (const [id, q] of net) {
    const k = parts.feeds.findIndex((f) => f.instrumentId === id)
    const last = k >= 0 ? bars[k]!.at(-1) : undefined
    if (last) livePnl += q * last.close
  }
  const cfg = parts.cfg
  const bt = await runBacktest({
    instruments: parts.instruments,
    feeds,
    strategies: parts.strategies,
    account: cfg.account,
    nodeId: parts.section.nodeId,
    ...(cfg.risk !== undefined ? { risk: new LimitsRiskEngine(cfg.risk) } : {}),
    ...(cfg.backtest?.fill ? { fill: cfg.backtest.fill } : {}),
    ...(cfg.backtest?.fees ? { fees: cfg.backtest.fees } : {}),
  })
  const btOrders = new Map(bt.orders.filter((o) => o.status !== 'REJECTED').map((o) => [o.clientOrderId, o]))
  const differences: (Drift & { time: number })[] = []
  const slippage: LiveCompareReport['slippage'][number][] = []
  let matched = 0
  for (const [id, { order: lo, seq }] of liveOrders) {
    const b = btOrders.get(id)
    const lf = fills.get(id)
    const lSide = summary(lo, lf?.filled ?? 0, lf ? lf.notional / lf.filled : NaN)
    if (!b) {
      differences.push({
        kind: 'only-live',
        clientOrderId: id,
        time: lo.createdAt,
        message: `live sent ${lo.side} ${lo.quantity} ${lo.type} ${lo.instrumentId} (journal record ${seq}); the backtest did not`,
      })
      continue
    }
    if (b.side !== lo.side || b.type !== lo.type || b.quantity !== lo.quantity || b.instrumentId !== lo.instrumentId) {
      differences.push({
        kind: 'order-differs',
        clientOrderId: id,
        time: lo.createdAt,
        message: `live ${lo.side} ${lo.quantity} ${lo.type}, backtest ${b.side} ${b.quantity} ${b.type}`,
      })
      continue
    }
    matched++
    if (Math.abs(b.filledQuantity - lSide.filled) > 1e-9 * Math.max(1, lo.quantity))
      differences.push({
        kind: 'fill-differs',
        clientOrderId: id,
        time: lo.createdAt,
        message: `filled ${lSide.filled} live, ${b.filledQuantity} in the backtest`,
      })
    if (lSide.filled > 0 && b.filledQuantity > 0) {
      const s = lo.side === 'BUY' ? 1 : -1
      slippage.push({
        clientOrderId: id,
        side: lo.side,
        live: lSide.avgPrice,
        backtest: b.avgFillPrice,
        bps: ((s * (lSide.avgPrice - b.avgFillPrice)) / b.avgFillPrice) * 1e4,
      })
    }
  }
  for (const [id, b] of btOrders)
    if (!liveOrders.has(id))
      differences.push({
        kind: 'only-backtest',
        clientOrderId: id,
        time: b.createdAt,
        message: `the backtest sent ${b.side} ${b.quantity} ${b.type} ${b.instrumentId}; live did not`,
      })
  differences.sort((a, b) => a.time - b.time)
  const strip = ({ time: _t, ...d }: Drift & { time: number }): Drift => d
  return {
    journal: path,
    bars: nBars,
    live: { orders: liveOrders.size, fills: seenFill.size, pnl: livePnl },
    backtest: { orders: btOrders.size, fills: bt.fills.length, pnl: bt.finalEquity - bt.initialCash },
    matched,
    differences: differences.map(strip),
    ...(differences[0] ? { firstDifference: strip(differences[0]) } : {}),
    slippage,
    liveEvents,
  }
}
