#!/usr/bin/env node
// Entry point of the `kestrel` command. Kestrel ships TypeScript source and runs it through tsx,
// which also lets users load their own strategies written in TypeScript (`--strategy ./my.ts`).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
