/** Resume checkpoints on disk: the {@link ResumeState} of a download, written atomically after each chunk. */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { KestrelError } from '../../core/index.ts'
import type { FetchRequest, ResumeState } from './types.ts'

/** Reads a checkpoint; `undefined` when the file does not exist. Throws DATA_BAD_FILE when it is not one. */
export function loadCheckpoint(path: string): ResumeState | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  let v: Partial<ResumeState>
  try {
    v = JSON.parse(text) as Partial<ResumeState>
  } catch {
    throw new KestrelError('DATA_BAD_FILE', `${path}: checkpoint is not JSON`, { path })
  }
  if (
    typeof v.provider !== 'string' ||
    typeof v.symbol !== 'string' ||
    typeof v.timeframe !== 'string' ||
    !Number.isFinite(v.nextFrom) ||
    !Number.isFinite(v.to) ||
    !Number.isFinite(v.barsFetched)
  ) {
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: checkpoint lacks provider, symbol, timeframe, nextFrom, to or barsFetched`,
      { path },
    )
  }
  return v as ResumeState
}

/** Writes a checkpoint atomically (temp file + rename), so an interrupted run never leaves half a file. */
export function saveCheckpoint(path: string, state: ResumeState): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(tmp, path)
}

/** Removes a checkpoint (after a download completed). */
export function clearCheckpoint(path: string): void {
  rmSync(path, { force: true })
}

/** True when `state` belongs to the same download as `req` (provider, symbol, timeframe). */
export function checkpointMatches(state: ResumeState, provider: string, req: FetchRequest): boolean {
  return state.provider === provider && state.symbol === req.symbol && state.timeframe === req.timeframe
}
