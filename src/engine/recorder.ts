/**
 * What a run records as it goes: counts, fills, terminal orders, positions after each change, and the equity
 * and exposure curves (one sample per distinct event time, or per `curveIntervalMs`). What is kept follows the
 * record options, so long streamed runs keep counts and a coarse curve only.
 */
import type { EpochMs, Fill, Order, Position } from '../core/index.ts'
import { FloatColumn, type Curve, type PositionSnapshot, type RecordOptions } from './results.ts'

/** Collects a run's results. */
export class Recorder {
  readonly counts = { bars: 0, quotes: 0, trades: 0, orders: 0, fills: 0 }
  /** Σ |price × quantity × multiplier| over every fill. */
  notional = 0
  readonly fills: Fill[] = []
  readonly orders: Order[] = []
  // Positions after each fill, in columns (no object per fill while the run goes; built by `positionList`).
  private readonly posTime = new FloatColumn()
  private readonly posQty = new FloatColumn()
  private readonly posAvg = new FloatColumn()
  private readonly posPnl = new FloatColumn()
  private readonly posStrategy: string[] = []
  private readonly posInstrument: string[] = []
  private readonly t = new FloatColumn()
  private readonly eq = new FloatColumn()
  private readonly ex = new FloatColumn()

  constructor(readonly keep: Required<RecordOptions>) {}

  /** Records a fill and the position it left. */
  fill(f: Fill, multiplier: number, position: Readonly<Position>): void {
    this.counts.fills++
    this.notional += Math.abs(f.price * f.quantity * multiplier)
    if (this.keep.fills) this.fills.push(f)
    if (this.keep.positions) {
      this.posTime.push(f.time)
      this.posQty.push(position.quantity)
      this.posAvg.push(position.avgPrice)
      this.posPnl.push(position.realizedPnl)
      this.posStrategy.push(f.strategyId)
      this.posInstrument.push(f.instrumentId)
    }
  }

  /** Records a position changed by something other than a fill (a split) at `time`. */
  position(p: Readonly<Position>, time: EpochMs): void {
    if (!this.keep.positions) return
    this.posTime.push(time)
    this.posQty.push(p.quantity)
    this.posAvg.push(p.avgPrice)
    this.posPnl.push(p.realizedPnl)
    this.posStrategy.push(p.strategyId!)
    this.posInstrument.push(p.instrumentId)
  }

  /** The positions recorded after each fill, in fill order. */
  positionList(): PositionSnapshot[] {
    const n = this.posStrategy.length
    const [time, qty, avg, pnl] = [this.posTime, this.posQty, this.posAvg, this.posPnl].map((c) => c.toArray())
    const out: PositionSnapshot[] = new Array(n)
    for (let i = 0; i < n; i++)
      out[i] = {
        time: time![i]!,
        strategyId: this.posStrategy[i]!,
        instrumentId: this.posInstrument[i]!,
        quantity: qty![i]!,
        avgPrice: avg![i]!,
        realizedPnl: pnl![i]!,
      }
    return out
  }

  /** Records an order that reached a terminal state (it never changes again, so it is kept as is). */
  terminal(o: Order): void {
    if (this.keep.orders) this.orders.push(o)
  }

  /**
   * Whether a sample at `t` followed by the next at `next` would stay on the curve: always without an interval;
   * with one, when `t` starts an interval or is the last sample inside it (the others are overwritten, so the
   * caller need not value them).
   */
  keeps(t: EpochMs, next: EpochMs): boolean {
    const iv = this.keep.curveIntervalMs
    if (iv <= 0 || this.t.length === 0) return true
    const start = this.t.last()
    return t - start >= iv || next - start >= iv
  }

  /** Samples equity and gross exposure at `t`; inside one curve interval, the latest sample wins. */
  sample(t: EpochMs, equity: number, gross: number): void {
    const exposure = equity > 0 ? gross / equity : gross > 0 ? Infinity : 0
    const iv = this.keep.curveIntervalMs
    if (iv > 0 && this.t.length > 0 && t - this.t.last() < iv) {
      this.eq.setLast(equity)
      this.ex.setLast(exposure)
      return
    }
    this.t.push(t)
    this.eq.push(equity)
    this.ex.push(exposure)
  }

  /** The equity and exposure curves (copies). */
  curves(): { equity: Curve; exposure: Curve } {
    return {
      equity: { time: this.t.toArray(), value: this.eq.toArray() },
      exposure: { time: this.t.toArray(), value: this.ex.toArray() },
    }
  }
}
