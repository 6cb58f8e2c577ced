/**
 * Repeated risk rejections, aggregated in the log. Per reason code, on the run's clock (simulated in a
 * backtest): the first rejection is written at once; later ones are counted and written as one line, at the
 * earliest `windowMs` after the previous line of that code, when the next rejection or mark comes. So a code
 * gets at most one line per window, and the `count` fields of its lines add up to its rejections (the end of
 * the run writes what is still counted, marked `final`). Every rejection is still a bus event and a counter.
 */
import type { RiskRejection } from './limits-types.ts'

interface CodeState {
  lineAt: number
  pending: number
  first: RiskRejection | undefined
  last: RiskRejection | undefined
}

/** Aggregates rejections per reason code into at most one line per window of the run's clock. */
export class RejectionLog {
  private readonly byCode = new Map<string, CodeState>()
  /** Earliest time a pending count is due (Infinity when nothing is pending). */
  private due = Infinity

  constructor(
    private readonly write: (message: string, fields: Record<string, unknown>) => void,
    readonly windowMs = 10_000,
  ) {}

  /** Counts one rejection; writes a line when its code had none within the window. */
  note(ev: RiskRejection): void {
    let s = this.byCode.get(ev.code)
    if (s === undefined)
      this.byCode.set(ev.code, (s = { lineAt: -Infinity, pending: 0, first: undefined, last: undefined }))
    s.pending++
    s.first ??= ev
    s.last = ev
    if (ev.time >= s.lineAt + this.windowMs) this.line(ev.code, s, ev.time, false)
    else if (s.lineAt + this.windowMs < this.due) this.due = s.lineAt + this.windowMs
  }

  /** Writes the counts that are due at `time` (O(1) when none is). */
  tick(time: number): void {
    if (time < this.due) return
    this.due = Infinity
    for (const [code, s] of this.byCode) {
      if (s.pending === 0) continue
      if (time >= s.lineAt + this.windowMs) this.line(code, s, time, false)
      else if (s.lineAt + this.windowMs < this.due) this.due = s.lineAt + this.windowMs
    }
  }

  /** Writes every count still pending (end of the run). */
  flush(time: number): void {
    for (const [code, s] of this.byCode) if (s.pending > 0) this.line(code, s, time, true)
    this.due = Infinity
  }

  private line(code: string, s: CodeState, time: number, final: boolean): void {
    const first = s.first!
    const last = s.last!
    const count = s.pending
    const message =
      count === 1
        ? `risk rejected ${last.clientOrderId}: ${code}: ${last.reason}`
        : `risk rejected ${count} orders for ${code} since ${new Date(first.time).toISOString()} (${first.clientOrderId} … ${last.clientOrderId}); last: ${last.reason}`
    this.write(message, {
      ...last,
      time,
      count,
      firstTime: first.time,
      firstClientOrderId: first.clientOrderId,
      ...(final ? { final: true } : {}),
    })
    s.lineAt = time
    s.pending = 0
    s.first = undefined
    s.last = undefined
  }
}
