import type { Command } from 'commander'

/** Registers `kestrel features`. (Placeholder: filled in by the issue that builds it.) */
export function registerFeatures(_program: Command): void {}
