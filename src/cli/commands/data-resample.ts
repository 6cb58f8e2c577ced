import type { Command } from 'commander'

/** Registers `kestrel data resample` on the `data` command. (Placeholder: filled in by the issue that builds it.) */
export function registerDataResample(_data: Command): void {}
