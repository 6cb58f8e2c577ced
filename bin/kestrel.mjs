#!/usr/bin/env node
// Entry point of the `kestrel` command. It runs the compiled CLI in `dist/` (built by `npm run build`, which
// `npm ci` runs through `prepare`). Only where `dist/` is absent, or when KESTREL_FROM_SOURCE=1 asks for it (the
// test runner does, so tests always see the current source), it runs the TypeScript source through tsx.
// Either way a user's strategy written in TypeScript (`--strategy ./my.ts`) loads: see bin/kestrel-hooks.mjs.
import { existsSync, readFileSync } from 'node:fs'
import { register } from 'node:module'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${pkg.version}\n`)
  process.exit(0)
}

// A reader that stops early (`kestrel stats r.csv | head`) is not an error: exit quietly.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0)
  throw e
})

const dist = new URL('../dist/cli/main.js', import.meta.url)
const fromSource = process.env.KESTREL_FROM_SOURCE === '1' || !existsSync(dist)
let main
if (!fromSource) {
  // The hooks cost every module a round trip to their thread (about 0.5 s of CPU for the whole CLI), so they
  // are registered only when an argument names a file that may be or name user code: a strategy (.ts, .js) or
  // a config (.yaml, .json) whose strategies are loaded from files.
  if (argv.some((a) => /\.([cm]?[jt]sx?|ya?ml|json)$/i.test(a))) {
    // tsx compiles with inline source maps: a strategy's error then names its own file and line.
    process.setSourceMapsEnabled(true)
    register('./kestrel-hooks.mjs', import.meta.url, {
      data: { self: new URL('../dist/index.js', import.meta.url).href, tsx: 'on-demand' },
    })
  }
  ;({ main } = await import(dist.href))
} else {
  if (process.env.KESTREL_FROM_SOURCE !== '1')
    process.stderr.write('kestrel: dist/ is not built (npm run build); running the TypeScript source through tsx\n')
  const { register: registerTsx } = await import('tsx/esm/api')
  registerTsx()
  // Registered after tsx, so these run first.
  register('./kestrel-hooks.mjs', import.meta.url, {
    data: { self: new URL('../src/index.ts', import.meta.url).href },
  })
  ;({ main } = await import(new URL('../src/cli/main.ts', import.meta.url).href))
}
process.exitCode = await main(argv)
