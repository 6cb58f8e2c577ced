#!/usr/bin/env node
// Entry point of the `kestrel` command. Kestrel ships TypeScript source and runs it through tsx,
// which also lets users load their own strategies written in TypeScript (`--strategy ./my.ts`).
import { register as registerHooks } from 'node:module'
import { register } from 'tsx/esm/api'

// A reader that stops early (`kestrel stats r.csv | head`) is not an error: exit quietly.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0)
  throw e
})

register()
// Registered after tsx, so these run first: see bin/kestrel-hooks.mjs.
registerHooks(new URL('./kestrel-hooks.mjs', import.meta.url))
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
