/**
 * What a node writes to its journal, as plain JSON (the journal refuses NaN): market data it acted on, the
 * commands it sent, the venue's reports, and control actions. Numbers that are NaN in memory (an order's
 * average fill price before its first fill, its times before submission) are `null` in the journal.
 */
import type { Bar, EpochMs, ExecutionReport, Order, Quote, TradeTick } from '../../core/index.ts'

/** Record kinds the node writes. Inputs drive a replay; outputs are checked against it. */
export const NODE_RECORD = {
  /** The node started: its id and the fingerprint of what it runs (a replay refuses another). */
  start: 'node.start',
  bar: 'md.bar',
  quote: 'md.quote',
  trade: 'md.trade',
  /** An order sent to the venue (an output: written before the venue is called). */
  submit: 'cmd.submit',
  /** A cancel sent to the venue (an output). */
  cancel: 'cmd.cancel',
  /** A venue report (an input from a remote venue; an output of the in-process simulated venue). */
  report: 'venue.report',
  /** A person or the node acted: kill, rearm, halt, resume. */
  control: 'node.control',
  /** The node stopped gracefully. */
  stop: 'node.stop',
} as const

/** A control action as journaled. */
export interface ControlRecord {
  /** `cancel-all`: a stop that cancels working orders (the node's `onStop: cancel`). */
  readonly action: 'kill' | 'rearm' | 'halt' | 'resume' | 'cancel-all'
  /** Which halt (`operator`, `reconcile`, `venue`, `feed`); default `operator`. */
  readonly key?: string
  readonly by?: string
  readonly reason: string
}

/** What `node.start` holds. */
export interface StartRecord {
  readonly nodeId: string
  readonly fingerprint: string
  readonly mode: 'paper' | 'live'
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null)
const back = (x: number | null | undefined): number => (typeof x === 'number' ? x : NaN)

/** An order as journaled (NaN as null, fields in one order). */
export function orderRecord(o: Readonly<Order>): Record<string, unknown> {
  return {
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    trailingOffset: o.trailingOffset,
    trailingOffsetType: o.trailingOffsetType,
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    postOnly: o.postOnly,
    expireTime: o.expireTime,
    groupId: o.groupId,
    contingency: o.contingency,
    parentOrderId: o.parentOrderId,
    tags: o.tags,
    status: o.status,
    filledQuantity: o.filledQuantity,
    avgFillPrice: num(o.avgFillPrice),
    createdAt: num(o.createdAt),
    updatedAt: num(o.updatedAt),
    venueOrderId: o.venueOrderId,
  }
}

/** The order of an {@link orderRecord}. */
export function orderFromRecord(r: Record<string, unknown>): Order {
  const o = { ...r } as unknown as Order & Record<string, unknown>
  o.avgFillPrice = back(r.avgFillPrice as number | null)
  o.createdAt = back(r.createdAt as number | null)
  o.updatedAt = back(r.updatedAt as number | null)
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

/** A bar as journaled, with the index of the feed it came from. */
export function barRecord(bar: Bar, feed: number): Record<string, unknown> {
  return {
    feed,
    instrumentId: bar.instrumentId,
    timeframe: bar.timeframe,
    openTime: bar.openTime,
    closeTime: bar.closeTime,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: num(bar.volume),
  }
}

/** The bar and feed index of a {@link barRecord}. */
export function barFromRecord(r: Record<string, unknown>): { bar: Bar; feed: number } {
  return {
    feed: r.feed as number,
    bar: {
      instrumentId: r.instrumentId as string,
      timeframe: r.timeframe as string,
      openTime: r.openTime as EpochMs,
      closeTime: r.closeTime as EpochMs,
      open: r.open as number,
      high: r.high as number,
      low: r.low as number,
      close: r.close as number,
      volume: back(r.volume as number | null),
    },
  }
}

/** A quote or trade as journaled (they are plain finite data already). */
export function tickRecord(t: Quote | TradeTick): Record<string, unknown> {
  return { ...t }
}

/** A report as journaled. */
export function reportRecord(r: ExecutionReport): Record<string, unknown> {
  if (r.kind === 'FILL') {
    return r.venueOrder
      ? { kind: r.kind, fill: { ...r.fill }, venueOrder: { ...r.venueOrder } }
      : { kind: r.kind, fill: { ...r.fill } }
  }
  return { ...r }
}

/** The report of a {@link reportRecord}. */
export function reportFromRecord(r: Record<string, unknown>): ExecutionReport {
  return r as unknown as ExecutionReport
}
