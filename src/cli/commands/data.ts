import type { Command } from 'commander'

/** Registers `kestrel data`. (Placeholder: filled in by the issue that builds it.) */
export function registerData(_program: Command): void {}
