/**
 * Watching the risk config file of a running backtest or node: when the file changes, its `risk:` section is
 * handed to the risk engine's `reload` as a whole new config (a change that drops a limit without an explicit
 * `null` is refused and the old limits stay; see the risk layer's `reload.ts`). The kill switch survives any
 * reload. A live node hears the file system; a backtest, whose loop does not yield, also polls the file's
 * size and time every so many events (`poll`), one `stat` each time.
 */
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { KestrelError, interpolateEnv, parseYaml } from '../core/index.ts'
import type { RiskEngine } from '../risk/index.ts'

/** A risk engine whose limits can be replaced while running. */
export interface ReloadableRisk {
  reload(raw: unknown): unknown
}

/** True when `risk` can reload its limits. */
export function isReloadable(risk: RiskEngine | undefined): risk is RiskEngine & ReloadableRisk {
  return risk !== undefined && typeof (risk as Partial<ReloadableRisk>).reload === 'function'
}

/** Options of {@link watchRiskFile}. */
export interface RiskFileOptions {
  /** Environment for `${VAR}` interpolation (the CLI passes its own). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Told of each applied reload. */
  readonly onReload?: (file: string) => void
  /** Told of each refused or unreadable change (the engine already logged a refused reload). */
  readonly onError?: (error: unknown, file: string) => void
}

/** A watch on one risk config file. */
export interface RiskFileWatch {
  /** Reloads now if the file changed since the last look; returns whether a reload was applied. */
  poll(): boolean
  close(): void
}

/** Watches `file` (a Kestrel config with a `risk:` section) and reloads `risk` from it on every change. */
export function watchRiskFile(file: string, risk: RiskEngine, opts: RiskFileOptions = {}): RiskFileWatch {
  if (!isReloadable(risk))
    throw new KestrelError('CONFIG_INVALID', `${file}: the risk engine ${risk.name} cannot reload its limits`)
  const path = resolve(file)
  const stamp = (): string => {
    try {
      const s = statSync(path)
      return `${s.mtimeMs}:${s.size}`
    } catch {
      return 'missing'
    }
  }
  let seen = stamp()
  let text = safeRead(path)
  const poll = (): boolean => {
    const now = stamp()
    if (now === seen) return false
    seen = now
    const next = safeRead(path)
    if (next === undefined || next === text) return false
    text = next
    try {
      const { value } = parseYaml(next, path)
      const raw = interpolateEnv(value, opts.env ?? {}, path).value as { risk?: unknown } | undefined
      if (raw?.risk === undefined)
        throw new KestrelError('CONFIG_INVALID', `${path}: no risk: section; the old limits stay`)
      risk.reload(raw.risk)
      opts.onReload?.(path)
      return true
    } catch (e) {
      opts.onError?.(e, path)
      return false
    }
  }
  let watcher: FSWatcher | undefined
  try {
    // The directory, not the file: editors that write a new file and rename it keep being heard.
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(path)) poll()
    })
  } catch {
    watcher = undefined // no file events here: poll() still works
  }
  return {
    poll,
    close: () => watcher?.close(),
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
