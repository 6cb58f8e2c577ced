/**
 * Fee models. Each returns the fee of one fill, given what the order was already charged, so per-order
 * minimums and caps hold across partial fills. Fees are in the instrument's quote currency.
 */
import { KestrelError } from '../core/index.ts'
import type { EpochMs, FeeSchedule, Instrument, Liquidity } from '../core/index.ts'

/** What a fee model is told about one fill. */
export interface FeeInput {
  readonly instrument: Instrument
  readonly quantity: number
  readonly price: number
  readonly liquidity: Liquidity
  readonly time: EpochMs
  /** Quantity of the order filled before this fill. */
  readonly orderFilledBefore: number
  /** Notional of the order filled before this fill. */
  readonly orderNotionalBefore: number
  /** Fees the order was charged before this fill. */
  readonly orderFeesBefore: number
}

/** Computes the fee of a fill. `record` is called after the fill (for volume-tiered schedules). */
export interface FeeModel {
  readonly name: string
  fee(input: FeeInput): number
  record?(notional: number, time: EpochMs): void
}

/** Maker/taker rates as fractions of notional (0.001 = 10 bps). A negative maker rate is a rebate. */
export class PercentFeeModel implements FeeModel {
  readonly name = 'percent'
  constructor(
    readonly makerRate: number,
    readonly takerRate: number,
  ) {
    if (!(takerRate >= 0)) throw new KestrelError('CONFIG_INVALID', `fees.takerRate: expected >= 0, got ${takerRate}`)
    if (!Number.isFinite(makerRate)) throw new KestrelError('CONFIG_INVALID', `fees.makerRate: expected a number`)
  }
  fee(x: FeeInput): number {
    const rate = x.liquidity === 'MAKER' ? this.makerRate : this.takerRate
    return x.quantity * x.price * x.instrument.multiplier * rate
  }
}

/** Per-share commission with a per-order minimum and a cap as a fraction of the order's notional (IBKR style). */
export class PerShareFeeModel implements FeeModel {
  readonly name = 'per-share'
  constructor(
    readonly perShare: number,
    readonly minPerOrder = 0,
    readonly maxPerOrderRate = Infinity,
  ) {
    if (!(perShare >= 0) || !(minPerOrder >= 0) || !(maxPerOrderRate >= 0)) {
      throw new KestrelError('CONFIG_INVALID', 'fees per-share: perShare, minPerOrder and maxPerOrderRate must be >= 0')
    }
  }
  fee(x: FeeInput): number {
    const qty = x.orderFilledBefore + x.quantity
    const notional = x.orderNotionalBefore + x.quantity * x.price * x.instrument.multiplier
    const total = Math.min(Math.max(this.minPerOrder, qty * this.perShare), notional * this.maxPerOrderRate)
    return Math.max(0, total - x.orderFeesBefore)
  }
}

/** One step of a volume-tiered schedule: from `minVolume` of trailing notional on, these rates apply. */
export interface FeeTier {
  readonly minVolume: number
  readonly makerRate: number
  readonly takerRate: number
}

/** Maker/taker rates that fall as the account's trailing traded notional (default 30 days) grows. */
export class TieredFeeModel implements FeeModel {
  readonly name = 'tiered'
  private readonly tiers: FeeTier[]
  private readonly window: { time: EpochMs; notional: number }[] = []
  private head = 0
  private volume = 0

  constructor(
    tiers: readonly FeeTier[],
    readonly windowMs = 30 * 86_400_000,
  ) {
    if (tiers.length === 0) throw new KestrelError('CONFIG_INVALID', 'fees.tiers: expected at least one tier')
    this.tiers = [...tiers].sort((a, b) => a.minVolume - b.minVolume)
    if (this.tiers[0]!.minVolume > 0)
      throw new KestrelError('CONFIG_INVALID', 'fees.tiers: the first tier must start at 0')
  }

  /** Trailing traded notional at `time`. */
  trailingVolume(time: EpochMs): number {
    while (this.head < this.window.length && this.window[this.head]!.time <= time - this.windowMs) {
      this.volume -= this.window[this.head]!.notional
      this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.window.length) {
      this.window.splice(0, this.head)
      this.head = 0
    }
    return this.volume
  }

  /** The tier in force at `time`. */
  tierAt(time: EpochMs): FeeTier {
    const v = this.trailingVolume(time)
    let t = this.tiers[0]!
    for (const x of this.tiers) if (v >= x.minVolume) t = x
    return t
  }

  fee(x: FeeInput): number {
    const t = this.tierAt(x.time)
    return x.quantity * x.price * x.instrument.multiplier * (x.liquidity === 'MAKER' ? t.makerRate : t.takerRate)
  }

  record(notional: number, time: EpochMs): void {
    this.window.push({ time, notional })
    this.volume += notional
  }
}

/** Charges nothing. */
export class ZeroFeeModel implements FeeModel {
  readonly name = 'zero'
  fee(): number {
    return 0
  }
}

/** Serialisable fee settings (config): one of the models above. */
export type FeeSpec =
  | { readonly type: 'percent'; readonly makerRate?: number; readonly takerRate: number }
  | {
      readonly type: 'per-share'
      readonly perShare: number
      readonly minPerOrder?: number
      readonly maxPerOrderRate?: number
    }
  | { readonly type: 'tiered'; readonly tiers: readonly FeeTier[]; readonly windowDays?: number }
  | { readonly type: 'zero' }

/** Builds a fee model from its settings. */
export function makeFeeModel(spec: FeeSpec): FeeModel {
  switch (spec.type) {
    case 'percent':
      return new PercentFeeModel(spec.makerRate ?? spec.takerRate, spec.takerRate)
    case 'per-share':
      return new PerShareFeeModel(spec.perShare, spec.minPerOrder, spec.maxPerOrderRate)
    case 'tiered':
      return new TieredFeeModel(spec.tiers, (spec.windowDays ?? 30) * 86_400_000)
    case 'zero':
      return new ZeroFeeModel()
  }
}

/** The fee model of an instrument's own schedule (`Instrument.fees`), if it has one. */
export function feeModelFromSchedule(s: FeeSchedule | undefined): FeeModel | undefined {
  if (!s) return undefined
  if (s.perShare !== undefined) return new PerShareFeeModel(s.perShare, s.minPerOrder, s.maxPerOrderRate)
  if (s.takerRate !== undefined) return new PercentFeeModel(s.makerRate ?? s.takerRate, s.takerRate)
  return undefined
}
