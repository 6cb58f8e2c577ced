import type { Command } from 'commander'

/** Registers `kestrel indicators`. (Placeholder: filled in by the issue that builds it.) */
export function registerIndicators(_program: Command): void {}
