import type { Command } from 'commander'

/** Registers `kestrel backtest`. (Placeholder: filled in by the issue that builds it.) */
export function registerBacktest(_program: Command): void {}
