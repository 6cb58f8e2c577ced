// Module hooks for user code loaded by the CLI (`--strategy ./my-strategy.ts`):
// - `import ... from 'kestrel'` resolves to this package (`data.self`: dist/index.js, or src/index.ts when the
//   CLI runs from source), wherever the user's file lives, so it shares the CLI's module instances;
// - a user's .ts/.js file outside node_modules loads as an ES module even in a folder whose package.json
//   (or none) says CommonJS, so a strategy file works the same in any directory and on every Node version;
// - a user's TypeScript file, and the TypeScript files it imports, are compiled by tsx. With the compiled CLI
//   (`data.tsx` is 'on-demand') tsx is loaded on first use and sees nothing else, so the CLI's own modules load
//   as plain JavaScript; from source, tsx is registered for everything and these hooks run before it.
//   Relative imports from a user's TypeScript file resolve as TypeScript does: `./util.js` or `./util` finds
//   `util.ts`. (Node's own type stripping is not used: it refuses TypeScript-only syntax such as parameter
//   properties, which a strategy may well use.)
import { statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const TS_FILE = /\.[cm]?tsx?$/

let self = new URL('../src/index.ts', import.meta.url).href
let onDemand = false
let tsxHooks

export function initialize(data) {
  if (data?.self) self = data.self
  onDemand = data?.tsx === 'on-demand'
}

function isUserFile(url) {
  return typeof url === 'string' && url.startsWith('file:') && !url.includes('/node_modules/')
}

function isUserTs(url) {
  return isUserFile(url) && TS_FILE.test(new URL(url).pathname)
}

function isFile(url) {
  try {
    return statSync(fileURLToPath(url)).isFile()
  } catch {
    return false
  }
}

/** TypeScript's lookup for a relative import from a user's TypeScript file; undefined when nothing matches. */
function userTsCandidate(specifier, parentURL) {
  if (!/^(\.{1,2}\/|\/|file:)/.test(specifier)) return undefined
  const url = new URL(specifier, parentURL)
  if (url.search || url.hash) return undefined
  const path = url.pathname
  const tries = /\.[cm]?js$/.test(path)
    ? [path.replace(/js$/, 'ts'), path.replace(/\.js$/, '.tsx'), path]
    : TS_FILE.test(path)
      ? [path]
      : [path, `${path}.ts`, `${path}.tsx`, `${path}/index.ts`, `${path}.js`, `${path}/index.js`]
  for (const p of tries) {
    const u = new URL(url)
    u.pathname = p
    if (isFile(u)) return u.href
  }
  return undefined
}

export async function resolve(specifier, context, next) {
  if (specifier === 'kestrel') return { url: self, format: 'module', shortCircuit: true }
  if (isUserTs(context.parentURL)) {
    const url = userTsCandidate(specifier, context.parentURL)
    if (url && isUserFile(url)) return { url, format: 'module', shortCircuit: true }
  }
  const r = await next(specifier, context)
  if (!isUserFile(r.url)) return r
  if (isUserTs(r.url)) return { url: r.url.replace(/[?#].*$/, ''), format: 'module', shortCircuit: true }
  if (r.format === 'commonjs' && r.url.endsWith('.js')) return { ...r, format: 'module' }
  return r
}

export async function load(url, context, next) {
  if (!isUserTs(url)) return next(url, context)
  if (!onDemand) return next(url, { ...context, format: 'module' })
  tsxHooks ??= import('tsx/esm')
  return (await tsxHooks).load(url, { ...context, format: 'module' }, next)
}
