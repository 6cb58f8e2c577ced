// `node --import ./test/cli/module-log.mjs`: records the modules a run loads into $KESTREL_MODULE_LOG, one
// URL or path a line: what the ESM loader resolves (hooks), and at exit every CommonJS module in the cache
// (a package required on demand does not pass the ESM hooks).
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'

const file = process.env.KESTREL_MODULE_LOG
if (file) {
  register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { file } })
  const require = createRequire(import.meta.url)
  process.on('exit', () => appendFileSync(file, Object.keys(require.cache).join('\n') + '\n'))
}
