/**
 * `kestrel config migrate`: rewrites a config of the older shape (strategies and the account inside
 * `backtest:`) to the current one (`strategies:` and `account:` top level, `backtest:` only what a backtest
 * needs). The YAML document is edited node by node, so comments, key order and styles stay; only the
 * indentation is the yaml package's own. A file already in the current shape comes back unchanged, byte for
 * byte; a file that is neither shape is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { isMap, isScalar, parseDocument, Pair, Scalar, YAMLMap, type Document } from 'yaml'
import { KestrelError, kestrelConfigSchema, loadConfigText } from '../core/index.ts'

/** What a migration did: the new text, whether it differs, and the key moves made (old → new key path). */
export interface ConfigMigration {
  readonly text: string
  readonly changed: boolean
  readonly moves: readonly { readonly from: string; readonly to: string }[]
}

/** The keys of the account that the older shape held in `backtest:` itself. */
const ACCOUNT_KEYS = ['cash', 'currency'] as const

/**
 * Migrates config text (`source` names it in errors). Throws CONFIG_INVALID when the text is not YAML, when a
 * moved key is also present at its new place, or when the result is not a valid config.
 */
export function migrateConfigText(text: string, source = 'config'): ConfigMigration {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: true })
  if (doc.errors.length) {
    // The loader's own parse gives the error with its line.
    validate(text, source)
    throw new KestrelError('CONFIG_INVALID', `${source}: not YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  }
  const root = doc.contents
  const moves: { from: string; to: string }[] = []
  const bt = isMap(root) ? root.get('backtest', true) : undefined
  if (isMap(root) && isMap(bt)) migrateBacktest(doc, root, bt, source, moves)
  if (moves.length === 0) {
    validate(text, source)
    return { text, changed: false, moves }
  }
  const out = doc.toString({ lineWidth: 0 })
  validate(out, source)
  return { text: out, changed: out !== text, moves }
}

/** Migrates the file at `path`; with `write` the file is rewritten in place when it changed. */
export function migrateConfigFile(path: string, opts: { write?: boolean } = {}): ConfigMigration {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new KestrelError(
      'FILE_NOT_FOUND',
      `${path}: cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      { path },
    )
  }
  const m = migrateConfigText(text, path)
  if (opts.write && m.changed) writeFileSync(path, m.text)
  return m
}

function migrateBacktest(
  doc: Document,
  root: YAMLMap,
  bt: YAMLMap,
  source: string,
  moves: { from: string; to: string }[],
): void {
  const btAt = root.items.findIndex((p) => keyOf(p) === 'backtest')
  const taken = (key: string, from: string) => {
    if (root.has(key))
      throw new KestrelError(
        'CONFIG_INVALID',
        `${source}: cannot migrate: ${from} and a top-level ${key}: are both present; keep one`,
        { source, path: from },
      )
  }
  // The account: cash and currency from backtest:, then the old backtest.account keys.
  const oldAccount = takePair(bt, 'account')
  const loose = ACCOUNT_KEYS.map((k) => takePair(bt, k)).filter((p): p is Pair => p !== undefined)
  let account: Pair | undefined
  if (oldAccount || loose.length > 0) {
    taken('account', oldAccount ? 'backtest.account' : `backtest.${String(keyOf(loose[0]!))}`)
    if (oldAccount && !isMap(oldAccount.value))
      throw new KestrelError('CONFIG_INVALID', `${source}: cannot migrate: backtest.account is not a mapping`, {
        source,
        path: 'backtest.account',
      })
    const map = oldAccount ? (oldAccount.value as YAMLMap) : new YAMLMap()
    for (const p of [...loose].reverse()) {
      if (map.has(keyOf(p)))
        throw new KestrelError(
          'CONFIG_INVALID',
          `${source}: cannot migrate: backtest.${String(keyOf(p))} and backtest.account.${String(keyOf(p))} are both present; keep one`,
          { source },
        )
      map.items.unshift(p)
    }
    if (map.flow && map.items.some((p) => commented(p as Pair))) map.flow = false
    for (const p of loose) moves.push({ from: `backtest.${String(keyOf(p))}`, to: `account.${String(keyOf(p))}` })
    if (oldAccount) moves.push({ from: 'backtest.account', to: 'account' })
    account = oldAccount ?? new Pair(doc.createNode('account'), map)
    if (!oldAccount && loose[0] && isScalar(loose[0].key) && loose[0].key.commentBefore) {
      // A comment above the first moved key described the account: it goes above account:.
      ;(account.key as Scalar).commentBefore = loose[0].key.commentBefore
      loose[0].key.commentBefore = undefined
    }
  }
  const strategies = takePair(bt, 'strategies')
  if (strategies) {
    taken('strategies', 'backtest.strategies')
    moves.unshift({ from: 'backtest.strategies', to: 'strategies' })
  }
  // New top-level keys go right before backtest:, in the order strategies, account.
  const ahead = [strategies, account].filter((p): p is Pair => p !== undefined)
  if (ahead.length === 0) return
  // The comment above a first backtest: is the file's header: it stays on top, above the first moved key.
  const btKey = root.items[btAt]!.key
  if (btAt === 0 && isScalar(btKey) && btKey.commentBefore && isScalar(ahead[0]!.key)) {
    const firstKey = ahead[0]!.key
    firstKey.commentBefore = [btKey.commentBefore, firstKey.commentBefore].filter(Boolean).join('\n')
    btKey.commentBefore = undefined
  }
  // The blank line above backtest: goes above the first moved key; backtest: then starts a paragraph of its own.
  if (isScalar(btKey) && isScalar(ahead[0]!.key)) {
    ahead[0]!.key.spaceBefore = btKey.spaceBefore
    btKey.spaceBefore = true
  }
  root.items.splice(btAt, 0, ...ahead)
}

/** Removes and returns the pair of `key` in `map`, with the comment above it. */
function takePair(map: YAMLMap, key: string): Pair | undefined {
  const i = map.items.findIndex((p) => keyOf(p) === key)
  if (i < 0) return undefined
  const pair = map.items.splice(i, 1)[0] as Pair
  // The comment above a map's first key is the map's own: it belongs to that key.
  if (i === 0 && map.commentBefore && isScalar(pair.key)) {
    pair.key.commentBefore = [map.commentBefore, pair.key.commentBefore].filter(Boolean).join('\n')
    map.commentBefore = undefined
  }
  return pair
}

/** Whether a pair carries a comment (a flow map cannot hold one well). */
function commented(p: Pair): boolean {
  const n = [p.key, p.value] as { comment?: string; commentBefore?: string }[]
  return n.some((x) => x !== null && typeof x === 'object' && Boolean(x.comment || x.commentBefore))
}

function keyOf(p: unknown): unknown {
  const k = (p as Pair).key
  return isScalar(k) ? k.value : k
}

/**
 * Validates migrated text as a config; `${ENV:...}` values need not be set to check the shape (each stands for a
 * placeholder that is also an http url, since urls such as `live.venue.url` are often given that way).
 */
function validate(text: string, source: string): void {
  const anyEnv = new Proxy({}, { get: () => 'http://env.invalid' }) as Record<string, string>
  try {
    loadConfigText(text, kestrelConfigSchema, anyEnv, source)
  } catch (e) {
    if (e instanceof KestrelError && e.code === 'CONFIG_INVALID')
      throw new KestrelError(
        'CONFIG_INVALID',
        `${e.message}\n(config migrate rewrites the older shape, strategies and account under backtest:, into the current one; this file is neither)`,
        e.details,
        { cause: e },
      )
    throw e
  }
}
