/**
 * The order manager: contingent orders. OTO and bracket children wait (INITIALIZED) until their parent fills,
 * then go out through risk sized to what the parent filled; they die with a parent that never filled. When an
 * OCO member or a bracket child fills, its live siblings are canceled (venues that do OCO natively have
 * already done it; the cancel is then a no-op).
 */
import { KestrelError } from '../core/index.ts'
import type { Order, OrderCommand, OrderEventKind, OrderRequest } from '../core/index.ts'
import type { ExecutionEngine, OrderDraft } from './execution-engine.ts'
import { isTerminal } from './order-state.ts'
import type { RiskGate } from './risk-gate.ts'

/** Sends commands through the risk gate and runs the contingencies of order groups. */
export class OrderManager {
  private readonly children = new Map<string, string[]>()
  private readonly groups = new Map<string, string[]>()

  constructor(
    private readonly gate: RiskGate,
    private readonly execution: ExecutionEngine,
  ) {}

  /**
   * Submits one order or a group for `owner` (`S<k>` or `R`, see `order-ids.ts`); returns the client order
   * ids in order. Every id must have been issued to `owner` and never used: anything else is refused with
   * ORDER_INVALID before risk sees the command. A group id is used by one submission only. Each request is
   * read once, into execution's draft ({@link ExecutionEngine.draft}): every later check reads that.
   */
  submit(command: OrderCommand, owner: string): string[] {
    const x = this.execution
    if (!Array.isArray(command)) return this.submitDrafts(x.draft(command as OrderRequest), owner)
    return this.submitDrafts(
      (command as readonly OrderRequest[]).map((r) => x.draft(r)),
      owner,
    )
  }

  /** {@link submit} of requests already read into drafts (one, or a group). */
  submitDrafts(drafts: OrderDraft | readonly OrderDraft[], owner: string): string[] {
    const ids = this.execution.ids
    if (!Array.isArray(drafts)) {
      const r = drafts as OrderDraft
      if (r.groupId === undefined && r.parentOrderId === undefined) {
        ids.claim(r.clientOrderId, owner)
        this.gate.submit(r)
        return [r.clientOrderId]
      }
    }
    const list: readonly OrderDraft[] = Array.isArray(drafts) ? drafts : [drafts as OrderDraft]
    const out = list.map((r) => r.clientOrderId)
    const inGroup = new Set(out)
    const fresh = new Set<string>()
    for (const r of list) {
      if (r.parentOrderId !== undefined && !inGroup.has(r.parentOrderId)) {
        throw new KestrelError(
          'ORDER_INVALID',
          `order ${r.clientOrderId}: parent ${r.parentOrderId} is not in the group`,
        )
      }
      if (r.groupId !== undefined && !fresh.has(r.groupId)) {
        if (this.groups.has(r.groupId))
          throw new KestrelError(
            'ORDER_INVALID',
            `order ${r.clientOrderId}: group ${r.groupId} was already submitted (submit a group whole, once)`,
          )
        fresh.add(r.groupId)
      }
    }
    for (const r of list) ids.claim(r.clientOrderId, owner)
    for (const r of list) {
      if (r.groupId !== undefined) {
        const g = this.groups.get(r.groupId) ?? []
        g.push(r.clientOrderId)
        this.groups.set(r.groupId, g)
      }
    }
    for (const r of list) {
      if (r.parentOrderId !== undefined) {
        this.execution.hold(r)
        const c = this.children.get(r.parentOrderId) ?? []
        c.push(r.clientOrderId)
        this.children.set(r.parentOrderId, c)
      }
    }
    for (const r of list) if (r.parentOrderId === undefined) this.gate.submit(r)
    return out
  }

  /** Cancels through risk. */
  cancel(clientOrderId: string): void {
    this.gate.cancel(clientOrderId)
  }

  /** Reacts to an order event (call for every event, after the portfolio has applied fills). */
  onEvent(kind: OrderEventKind, o: Readonly<Order>): void {
    if (o.groupId === undefined && this.children.size === 0) return
    if ((kind === 'FILLED' || kind === 'PARTIALLY_FILLED') && o.groupId !== undefined) {
      const oco = o.contingency === 'OCO' || (o.contingency === 'BRACKET' && o.parentOrderId !== undefined)
      if (oco) {
        for (const id of this.groups.get(o.groupId) ?? []) {
          const x = this.execution.order(id)
          if (!x || id === o.clientOrderId || isTerminal(x.status)) continue
          if (o.contingency === 'BRACKET' && x.parentOrderId === undefined) continue
          if (x.status === 'INITIALIZED') this.execution.cancelHeld(id, `OCO: ${o.clientOrderId} filled`)
          else this.gate.cancel(id)
        }
      }
    }
    if (this.children.size === 0) return
    const kids = this.children.get(o.clientOrderId)
    if (!kids || !isTerminal(o.status)) return
    this.children.delete(o.clientOrderId)
    if (o.filledQuantity > 0) {
      for (const id of kids) {
        const k = this.execution.order(id)
        if (!k || k.status !== 'INITIALIZED') continue
        this.gate.release(k, o.contingency === 'BRACKET' ? o.filledQuantity : k.quantity)
      }
    } else {
      for (const id of kids) this.execution.cancelHeld(id, `parent ${o.clientOrderId} ${o.status.toLowerCase()}`)
    }
    if (
      o.groupId !== undefined &&
      !this.groups.get(o.groupId)?.some((id) => !isTerminal(this.execution.order(id)?.status ?? 'FILLED'))
    )
      this.groups.delete(o.groupId)
  }
}
