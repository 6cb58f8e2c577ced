/**
 * The life of one real-time rule: ok → breached (with an action) → after its cooldown, cleared automatically
 * when the condition is gone (rearm: auto) or only by a person (rearm: manual, and always for kill).
 */
import type { RiskAction } from '../../core/index.ts'

/** One breach, as published on the bus (`risk.breach.<rule>`) and kept in the status. */
export interface Breach {
  readonly rule: string
  /** Instrument the breach is scoped to (volatility breaker, feed staleness), or undefined for the account. */
  readonly instrumentId?: string
  readonly action: RiskAction
  readonly time: number
  readonly value: number
  readonly limit: number
  readonly message: string
}

/** Severity order of actions. */
export const ACTION_RANK: Readonly<Record<RiskAction, number>> = { warn: 0, reduce: 1, halt: 2, kill: 3 }

/** A rule's state. */
export class RuleState {
  active: Breach | undefined
  until = 0
  count = 0

  constructor(
    readonly key: string,
    public manual: boolean,
    public cooldownMs: number,
  ) {}

  /** Marks a breach; returns true on the transition from ok. */
  breach(b: Breach): boolean {
    const fresh = this.active === undefined
    if (fresh) {
      this.active = b
      this.count++
      this.until = b.time + this.cooldownMs
    }
    return fresh
  }

  /** Clears an automatic breach whose cooldown passed and whose condition is gone; true when it cleared. */
  tryClear(time: number, stillBreached: boolean): boolean {
    if (!this.active || stillBreached || time < this.until) return false
    if (this.manual || this.active.action === 'kill') return false
    this.active = undefined
    return true
  }
}
