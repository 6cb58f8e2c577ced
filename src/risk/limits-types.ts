/**
 * The vocabulary of the limits risk engine: its config, its options, what it publishes (rejections, re-arms)
 * and the status snapshot `kestrel risk status` shows.
 */
import { riskSection, validateConfig } from '../core/index.ts'
import type { EventBus, Instrument, Logger } from '../core/index.ts'
import { z } from 'zod'
import type { LimitUsage } from './checks/pre-trade.ts'
import type { ControlReadings } from './controls/real-time-controls.ts'
import type { Breach } from './controls/rule-state.ts'

/** The validated `risk:` config section. */
export type RiskConfig = z.output<typeof riskSection>

/** A rejected order as published on `risk.check.rejected`. */
export interface RiskRejection {
  readonly time: number
  readonly clientOrderId: string
  readonly strategyId: string
  readonly instrumentId: string
  readonly code: string
  readonly reason: string
}

/** A re-arm, recorded with who did it and why. */
export interface Rearm {
  readonly time: number
  readonly by: string
  readonly reason: string
  readonly cleared: readonly string[]
}

/** Options of {@link LimitsRiskEngine}. */
export interface LimitsRiskEngineOptions {
  /** Instruments known up front (the kernel's `attach` adds its own). */
  readonly instruments?: readonly Instrument[]
  /** A bus to publish on when the engine runs outside a kernel. */
  readonly bus?: EventBus
  /** Log lines (defaults to the kernel's logger once attached). */
  readonly log?: (level: 'info' | 'warn' | 'debug', message: string, fields: Record<string, unknown>) => void
  /** Publish `risk.check.accepted` for every accepted order (default true; off in the benchmark). */
  readonly publishAccepted?: boolean
  /** Repeated rejections of one reason share one log line per this much of the run's clock (default 10 s). */
  readonly rejectionLogWindowMs?: number
}

/** A snapshot of limits, usage and breaches (`kestrel risk status`). */
export interface RiskStatus {
  readonly name: string
  readonly time: number
  readonly killed: boolean
  readonly mode: 'normal' | 'reduce-only' | 'killed'
  readonly usage: readonly LimitUsage[]
  readonly readings: Readonly<ControlReadings>
  readonly active: readonly Breach[]
  readonly breaches: readonly Breach[]
  readonly rearms: readonly Rearm[]
  readonly counters: Readonly<Record<string, number>>
  readonly config: RiskConfig
}

const wrapped = z.strictObject({ risk: riskSection })

/** Validates a raw `risk:` section; CONFIG_INVALID names the key path (`risk.checks.maxOrderQuantity`). */
export function parseRiskConfig(raw: unknown, source = 'risk config'): RiskConfig {
  return validateConfig(wrapped, { risk: raw }, source).risk
}

/** A log function for {@link LimitsRiskEngineOptions.log} that writes through a pino logger. */
export function pinoRiskLog(logger: Logger): NonNullable<LimitsRiskEngineOptions['log']> {
  return (level, message, fields) => {
    // pino's own `time` is when the line was written; the event's time (simulated in a backtest) is `eventTime`.
    const { time, ...rest } = fields
    logger[level]({ component: 'risk', ...(time !== undefined ? { eventTime: time } : {}), ...rest }, message)
  }
}
