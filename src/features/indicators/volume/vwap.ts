/**
 * Session-anchored VWAP: Σ(typical price·volume)/Σvolume over the bars of the current session, typical price
 * (H+L+C)/3, restarting at the first bar of each session. The session of a bar comes from its open `time`
 * (epoch ms): by default the UTC day, shifted by `offset_minutes` (e.g. 810 anchors at 13:30 UTC), or any
 * function of the time passed to {@link vwap}/{@link Vwap} (e.g. an exchange calendar's session id). Times must
 * not go back; a bar whose time is NaN is an error. While the session's volume sum is 0, VWAP is NaN (there is
 * no volume-weighted price yet). Lookback 0. NaN in prices or volume propagates until the session ends.
 */
import { KestrelError } from '../../../core/index.ts'
import type { IndicatorDef } from '../types.ts'
import { checkInputs, outArray, pReal, realParam } from '../checks.ts'
import { defineIndicator, Stepper } from '../define.ts'

const DAY_MS = 86_400_000

/** Maps a bar's open time (epoch ms) to a session key; a new key starts a new VWAP. */
export type SessionOf = (time: number) => number

/** The UTC-day session, its boundary moved `offsetMinutes` after midnight UTC. */
export function utcDaySession(offsetMinutes = 0): SessionOf {
  const off = offsetMinutes * 60_000
  return (t) => Math.floor((t - off) / DAY_MS)
}

/** Recurrence of VWAP. */
export class VwapState {
  session = NaN
  lastTime = -Infinity
  /** Bars fed so far (names the bad bar in errors). */
  n = 0
  pv = 0
  vol = 0
  value = NaN

  constructor(private readonly sessionOf: SessionOf) {}

  /** Feeds one bar; returns the session VWAP so far. */
  step(h: number, l: number, c: number, v: number, time: number): number {
    if (!(time >= this.lastTime)) {
      const what = Number.isNaN(time) ? 'is NaN' : `${time} is before the previous bar's ${this.lastTime}`
      throw new KestrelError('DATA_BAD_ROW', `vwap: bar ${this.n} time ${what}`, {
        bar: this.n,
        time,
        previous: this.lastTime,
      })
    }
    this.n++
    this.lastTime = time
    const s = this.sessionOf(time)
    if (s !== this.session) {
      this.session = s
      this.pv = 0
      this.vol = 0
    }
    this.pv += ((h + l + c) / 3) * v
    this.vol += v
    return (this.value = this.vol === 0 ? NaN : this.pv / this.vol)
  }
}

/** Session VWAP of every bar; `session` is the UTC day unless given. */
export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  time: Float64Array,
  session: SessionOf = utcDaySession(),
  out?: Float64Array,
): Float64Array {
  const n = checkInputs('vwap', ['high', high], ['low', low], ['close', close], ['volume', volume], ['time', time])
  const o = outArray('vwap', n, out)
  const s = new VwapState(session)
  for (let i = 0; i < n; i++) o[i] = s.step(high[i]!, low[i]!, close[i]!, volume[i]!, time[i]!)
  return o
}

/** Streaming twin of {@link vwap}. */
export class Vwap extends Stepper<
  VwapState,
  { high: number; low: number; close: number; volume: number; time: number },
  number
> {
  constructor(session: SessionOf = utcDaySession()) {
    super(
      () => new VwapState(session),
      0,
      (s, b) => s.step(b.high, b.low, b.close, b.volume, b.time),
      (s) => s.value,
    )
  }
}

function sessionParam(m: number): SessionOf {
  realParam('vwap', 'offset_minutes', m, 0)
  return utcDaySession(m)
}

/** Registry entry of VWAP (the spec `vwap(810)` anchors sessions at 13:30 UTC). */
export const vwapDef: IndicatorDef = defineIndicator({
  name: 'vwap',
  description: 'Session-anchored volume-weighted average price (UTC day, optionally offset)',
  inputs: ['high', 'low', 'close', 'volume', 'time'],
  params: [pReal('offset_minutes', 0, 0, 1440)],
  outputs: ['real'],
  lookback: () => 0,
  make: ([m]) => new VwapState(sessionParam(m!)),
  feed: (s, b) => s.step(b.high, b.low, b.close, b.volume, b.time),
  read: (s) => [s.value],
  compute: ([high, low, close, volume, time], [m]) => [vwap(high, low, close, volume, time, sessionParam(m!))],
})
