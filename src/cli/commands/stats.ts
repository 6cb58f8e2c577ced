import type { Command } from 'commander'

/** Registers `kestrel stats`. (Placeholder: filled in by the issue that builds it.) */
export function registerStats(_program: Command): void {}
