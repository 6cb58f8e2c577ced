import type { Command } from 'commander'

/** Registers `kestrel data fetch` on the `data` command. (Placeholder: filled in by the issue that builds it.) */
export function registerDataFetch(_data: Command): void {}
