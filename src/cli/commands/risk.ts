import type { Command } from 'commander'

/** Registers `kestrel risk`. (Placeholder: filled in by the issue that builds it.) */
export function registerRisk(_program: Command): void {}
