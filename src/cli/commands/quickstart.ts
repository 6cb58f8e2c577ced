import type { Command } from 'commander'

/** Registers `kestrel quickstart`. (Placeholder: filled in by the issue that builds it.) */
export function registerQuickstart(_program: Command): void {}
