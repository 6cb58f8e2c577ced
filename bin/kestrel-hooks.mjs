// Module hooks for user code loaded by the CLI (`--strategy ./my-strategy.ts`):
// - `import ... from 'kestrel'` resolves to this package, wherever the user's file lives;
// - a user's .ts/.js file outside node_modules loads as an ES module even in a folder whose package.json
//   (or none) says CommonJS, so a strategy file works the same in any directory.
const SELF = new URL('../src/index.ts', import.meta.url).href

export async function resolve(specifier, context, next) {
  if (specifier === 'kestrel') return { url: SELF, format: 'module', shortCircuit: true }
  const r = await next(specifier, context)
  if (
    r.format === 'commonjs' &&
    r.url.startsWith('file:') &&
    !r.url.includes('/node_modules/') &&
    /\.(ts|js)$/.test(r.url)
  ) {
    return { ...r, format: 'module' }
  }
  return r
}
