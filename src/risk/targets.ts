/**
 * Risk on targets (LEAN's ManageRisk): trims what the portfolio construction asks for before any order
 * exists. The per-order checks of the risk engine still see every order the execution model then sends; this
 * stage only makes the targets respect portfolio-level rules: a maximum position as a fraction of equity, a
 * maximum sector weight, a maximum number of concurrent positions per market, a minimum time in a position,
 * a cooldown after an exit, and de-risking in a drawdown. Every changed target says why in `reason`.
 */
import { KestrelError, roundQuantity, type EpochMs, type Instrument, type Target } from '../core/index.ts'

/** What a target risk model may read at the time it runs. */
export interface TargetRiskState {
  readonly time: EpochMs
  readonly equity: number
  /** Highest equity seen so far in the run. */
  readonly peakEquity: number
  instrument(instrumentId: string): Instrument
  price(instrumentId: string): number
  /** The framework's current position, signed. */
  quantity(instrumentId: string): number
  /** When the current position was opened from flat (undefined when flat). */
  openedAt(instrumentId: string): EpochMs | undefined
  /** When the position last went flat (undefined if never). */
  closedAt(instrumentId: string): EpochMs | undefined
}

/** Trims targets. A user's model implements the same interface. */
export interface TargetRiskModel {
  readonly name: string
  manageTargets(targets: readonly Target[], state: TargetRiskState): Target[]
}

/** Limits of {@link targetLimits}. Each is off unless given. */
export interface TargetLimits {
  /** |quantity × price × multiplier| ≤ this fraction of equity per instrument (e.g. 0.10). */
  readonly maxPositionFraction?: number
  /** Σ |weight| of one sector ≤ this fraction of equity (e.g. 0.30); needs `sectors`. */
  readonly maxSectorWeight?: number
  /** Sector of each instrument id (instruments without one are their own sector). */
  readonly sectors?: Readonly<Record<string, string>>
  /** At most this many non-zero positions per market (the instrument's venue); new entries past it are refused. */
  readonly maxPositionsPerMarket?: number
  /** A position is not reduced or closed until it has been held this long (ms). */
  readonly minHoldMs?: number
  /** No new entry from flat until this long after the last exit (ms). */
  readonly cooldownMs?: number
  /** In a drawdown from peak equity of at least `threshold` (0.1 = 10 %), every target is scaled by `scale`. */
  readonly drawdown?: { readonly threshold: number; readonly scale: number }
}

function checkLimits(l: TargetLimits): void {
  const frac = (k: 'maxPositionFraction' | 'maxSectorWeight') => {
    const v = l[k]
    if (v !== undefined && !(v > 0 && v <= 10))
      throw new KestrelError('CONFIG_INVALID', `risk targets: ${k} must be in (0, 10], got ${v}`, { key: k })
  }
  frac('maxPositionFraction')
  frac('maxSectorWeight')
  for (const k of ['minHoldMs', 'cooldownMs'] as const) {
    const v = l[k]
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new KestrelError('CONFIG_INVALID', `risk targets: ${k} must be ≥ 0 ms, got ${v}`, { key: k })
  }
  const m = l.maxPositionsPerMarket
  if (m !== undefined && !(Number.isInteger(m) && m >= 1))
    throw new KestrelError('CONFIG_INVALID', `risk targets: maxPositionsPerMarket must be an integer ≥ 1, got ${m}`)
  const d = l.drawdown
  if (d && !(d.threshold > 0 && d.threshold < 1 && d.scale >= 0 && d.scale <= 1))
    throw new KestrelError('CONFIG_INVALID', 'risk targets: drawdown needs threshold in (0, 1) and scale in [0, 1]')
}

/** The built-in target risk model. Rules apply in the order of {@link TargetLimits}' fields, drawdown first. */
export function targetLimits(limits: TargetLimits): TargetRiskModel {
  checkLimits(limits)
  return {
    name: 'limits',
    manageTargets(targets, state) {
      let out = targets.map((t) => ({ ...t }) as { -readonly [K in keyof Target]: Target[K] })
      const value = (t: Target) =>
        t.quantity * state.price(t.instrumentId) * state.instrument(t.instrumentId).multiplier
      const scaleTo = (t: (typeof out)[number], k: number, reason: string) => {
        const q = roundQuantity(state.instrument(t.instrumentId), t.quantity * k)
        if (q !== t.quantity) {
          t.quantity = q === 0 ? 0 : q
          if (t.weight !== undefined) t.weight *= k
          t.reason = reason
        }
      }
      const d = limits.drawdown
      if (d && state.peakEquity > 0 && state.equity <= state.peakEquity * (1 - d.threshold))
        for (const t of out) scaleTo(t, d.scale, 'drawdown')
      const f = limits.maxPositionFraction
      if (f !== undefined && state.equity > 0)
        for (const t of out) {
          const v = Math.abs(value(t))
          if (v > f * state.equity) scaleTo(t, (f * state.equity) / v, 'maxPosition')
        }
      const sw = limits.maxSectorWeight
      if (sw !== undefined && state.equity > 0) {
        const bySector = new Map<string, (typeof out)[number][]>()
        for (const t of out) {
          const s = limits.sectors?.[t.instrumentId] ?? t.instrumentId
          bySector.set(s, [...(bySector.get(s) ?? []), t])
        }
        for (const ts of bySector.values()) {
          const w = ts.reduce((a, t) => a + Math.abs(value(t)), 0) / state.equity
          if (w > sw) for (const t of ts) scaleTo(t, sw / w, 'maxSectorWeight')
        }
      }
      const now = state.time
      const hold = limits.minHoldMs
      const cool = limits.cooldownMs
      out = out.map((t) => {
        const cur = state.quantity(t.instrumentId)
        if (hold !== undefined && cur !== 0) {
          const opened = state.openedAt(t.instrumentId)
          const reduces = Math.sign(t.quantity) !== Math.sign(cur) || Math.abs(t.quantity) < Math.abs(cur)
          if (reduces && opened !== undefined && now - opened < hold)
            return { ...t, quantity: cur, reason: 'minHold', deferred: true }
        }
        if (cool !== undefined && cur === 0 && t.quantity !== 0) {
          const closed = state.closedAt(t.instrumentId)
          if (closed !== undefined && now - closed < cool)
            return { ...t, quantity: 0, reason: 'cooldown', deferred: true }
        }
        return t
      })
      const maxN = limits.maxPositionsPerMarket
      if (maxN !== undefined) {
        // Positions already open keep their places; new entries take what is left, largest first.
        const held = new Map<string, number>()
        const market = (id: string) => state.instrument(id).venue
        for (const t of out)
          if (t.quantity !== 0 && state.quantity(t.instrumentId) !== 0)
            held.set(market(t.instrumentId), (held.get(market(t.instrumentId)) ?? 0) + 1)
        const fresh = out
          .filter((t) => t.quantity !== 0 && state.quantity(t.instrumentId) === 0)
          .sort((a, b) => Math.abs(value(b)) - Math.abs(value(a)))
        for (const t of fresh) {
          const m = market(t.instrumentId)
          const n = held.get(m) ?? 0
          if (n >= maxN) {
            t.quantity = 0
            t.reason = 'maxPositions'
          } else held.set(m, n + 1)
        }
      }
      return out.map((t) => Object.freeze(t))
    },
  }
}
