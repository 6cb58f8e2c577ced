/**
 * The risk gate: the only holder of the execution engine's {@link RiskChannel}. Every order and cancel is
 * put to the {@link RiskEngine} first; refused orders are recorded as REJECTED with risk's reason. An
 * optional admission check (the backtest's universe: no new exposure in a non-member) comes before risk.
 */
import type { OrderRequest } from '../core/index.ts'
import type { RiskEngine, RiskState } from '../risk/index.ts'
import type { ExecutionEngine, OrderDraft, RiskChannel } from './execution-engine.ts'

/** Says why an order may not be sent at all (before risk sees it), or undefined when it may. */
export type OrderAdmission = (order: Readonly<OrderRequest>, state: RiskState) => string | undefined

/** Puts every order command to risk, then through the private channel into execution. */
export class RiskGate {
  private readonly channel: RiskChannel
  /** Orders refused by risk so far. */
  rejected = 0

  constructor(
    readonly risk: RiskEngine,
    execution: ExecutionEngine,
    private readonly state: () => RiskState,
    private readonly admit?: OrderAdmission,
  ) {
    this.channel = execution.openRiskChannel()
  }

  /**
   * Checks and sends one new order (its id already claimed); returns whether risk accepted it. The draft is
   * execution's own plain reading of the request: what risk checks is exactly what execution sends (no getter
   * or later change of the strategy's object can come in between).
   */
  submit(order: OrderDraft): boolean {
    const refused = this.admit?.(order, this.state())
    if (refused !== undefined) {
      this.rejected++
      this.channel.deny(order, refused)
      return false
    }
    const d = this.risk.check(order, this.state())
    if (d.accept) {
      this.channel.send(order)
      return true
    }
    this.rejected++
    this.channel.deny(order, `risk (${this.risk.name}): ${d.reason}`)
    return false
  }

  /** Checks and sends a held OTO/bracket child at `quantity`; returns whether risk accepted it. */
  release(held: Readonly<OrderRequest>, quantity: number): boolean {
    const req: OrderRequest = { ...held, quantity }
    const refused = this.admit?.(req, this.state())
    if (refused !== undefined) {
      this.rejected++
      this.channel.deny(req, refused)
      return false
    }
    const d = this.risk.check(req, this.state())
    if (d.accept) {
      this.channel.sendHeld(req)
      return true
    }
    this.rejected++
    this.channel.deny(req, `risk (${this.risk.name}): ${d.reason}`)
    return false
  }

  /** Checks and forwards a cancel; returns whether it was forwarded. */
  cancel(clientOrderId: string): boolean {
    const d = this.risk.checkCancel?.(clientOrderId, this.state())
    if (d && !d.accept) return false
    this.channel.cancel(clientOrderId)
    return true
  }
}
