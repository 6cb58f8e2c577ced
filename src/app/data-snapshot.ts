/**
 * `data snapshot`: stored series written to files beside a DVC pointer file (`.dvc`), so a project that versions
 * its data with DVC can track exactly the bars Kestrel read. The pointer has DVC 3's shape — one `outs` entry per
 * file with `md5`, `size`, `hash: md5` and `path` (relative to the pointer) — and Kestrel's data version under
 * `meta:` (which DVC keeps and ignores). The md5 is DVC 3's: the md5 of the file's bytes as they are (DVC 3
 * dropped the CRLF → LF normalisation of text files that DVC 2 applied; `hash: md5` marks a 3.x hash).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { KestrelError, parseTimeframe, type BarSeries } from '../core/index.ts'
import { BarHasher, dataVersionOf, inspectBarFile, seriesIngestionIds, writeBarsFile } from '../data/index.ts'
import type { ImportOptions } from '../data/index.ts'
import type { OutputFormat } from './data.ts'
import { openTiered, requireBars, resolveInstrument, type StoreSelection } from './store.ts'

/** One file of a snapshot: what DVC records of it, and which bars it holds. */
export interface SnapshotFile {
  /** Path relative to the pointer file's folder (`/`-separated), as written in `outs[].path`. */
  readonly path: string
  /** The file's absolute path. */
  readonly file: string
  /** md5 (hex) of the file's bytes: DVC 3's hash of a single file. */
  readonly md5: string
  /** Bytes. */
  readonly size: number
  readonly instrumentId: string
  readonly timeframe: string
  readonly bars: number
  /** The bars hash of the data version (see `dataVersion` in the data layer). */
  readonly barsHash: string
  readonly dataVersion: string
  /** The store ingestions the bars came from (none for a file given as is). */
  readonly ingestions: readonly string[]
}

/** What a snapshot wrote: the pointer file, its files, and the data version of all their bars together. */
export interface SnapshotReport {
  /** The `.dvc` file written. */
  readonly pointer: string
  /** The data version of every file's bars in the order listed and all their ingestion ids (one file: its own). */
  readonly dataVersion: string
  readonly files: readonly SnapshotFile[]
}

/** Which stored series a snapshot takes. */
export interface StoreSnapshotRequest {
  /** The pointer file to write (`data/spy.dvc`); the series' files go beside it. */
  readonly out: string
  /** Instrument ids or symbols (default: every stored series). */
  readonly symbols?: readonly string[]
  /** Only this timeframe (default: every stored timeframe of the chosen instruments). */
  readonly timeframe?: string
  /** Format of the series' files (default csv: the same bytes from every DuckDB version). */
  readonly format?: OutputFormat
}

/** md5 (hex) and size of a file's bytes, read in chunks: DVC 3's hash of a single file (no line-ending changes). */
export async function fileMd5(path: string): Promise<{ md5: string; size: number }> {
  const h = createHash('md5')
  let size = 0
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { md5: h.digest('hex'), size }
}

/** A YAML scalar: plain when it is safe as such, else a double-quoted (JSON) string, which YAML 1.2 reads alike. */
function yamlScalar(s: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(s) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(s) &&
    !/^[\d.]+$/.test(s)
    ? s
    : JSON.stringify(s)
}

/**
 * The text of a DVC 3 pointer file for `files`: `outs:` entries (`md5`, `size`, `hash: md5`, `path`) in the order
 * given, then `meta: kestrel:` with the data version and each file's series, bars and versions.
 */
export function dvcPointerText(files: readonly SnapshotFile[], dataVersion: string): string {
  const lines = ['outs:']
  for (const f of files)
    lines.push(`- md5: ${f.md5}`, `  size: ${f.size}`, '  hash: md5', `  path: ${yamlScalar(f.path)}`)
  lines.push('meta:', '  kestrel:', `    dataVersion: ${dataVersion}`, '    files:')
  for (const f of files) {
    lines.push(
      `    - path: ${yamlScalar(f.path)}`,
      `      instrumentId: ${yamlScalar(f.instrumentId)}`,
      `      timeframe: ${yamlScalar(f.timeframe)}`,
      `      bars: ${f.bars}`,
      `      barsHash: ${f.barsHash}`,
      `      dataVersion: ${f.dataVersion}`,
    )
    if (f.ingestions.length === 0) lines.push('      ingestions: []')
    else lines.push('      ingestions:', ...f.ingestions.map((i) => `      - ${yamlScalar(i)}`))
  }
  return `${lines.join('\n')}\n`
}

function pointerPath(out: string): string {
  if (!out.endsWith('.dvc'))
    throw new KestrelError('USAGE', `--out ${JSON.stringify(out)}: a DVC pointer file ends in .dvc`, { out })
  return resolve(out)
}

async function finish(pointer: string, files: SnapshotFile[], run: BarHasher): Promise<SnapshotReport> {
  // the bars of every file in order, as a backtest over the same series would hash them
  const version = dataVersionOf(
    run.digest(),
    files.flatMap((f) => f.ingestions),
  ).dataVersion
  await mkdir(dirname(pointer), { recursive: true })
  await writeFile(pointer, dvcPointerText(files, version))
  return { pointer, dataVersion: version, files }
}

const relPath = (pointer: string, file: string) => relative(dirname(pointer), file).split(sep).join('/')

/** A file name for a series: `SPY_1d.csv` (Kestrel's SYMBOL_TF, re-importable); the instrument id when symbols repeat. */
function seriesFileName(name: string, timeframe: string, format: OutputFormat): string {
  return `${name.replace(/[/:\\]/g, '-')}_${timeframe}.${format}`
}

/**
 * Writes the chosen stored series (both tiers) to files beside the pointer `req.out`, then the pointer: one
 * `outs` entry per series. A symbol that is not stored, or a selection with no bars, is an error.
 */
export async function snapshotStore(req: StoreSnapshotRequest, where: StoreSelection): Promise<SnapshotReport> {
  const pointer = pointerPath(req.out)
  const format = req.format ?? 'csv'
  const tf = req.timeframe === undefined ? undefined : parseTimeframe(req.timeframe).text
  const store = await openTiered(where)
  try {
    const ids = req.symbols ? await Promise.all(req.symbols.map((s) => resolveInstrument(store, s))) : undefined
    const series = (await store.summary()).filter(
      (s) =>
        s.rows > 0 && (ids === undefined || ids.includes(s.instrumentId)) && (tf === undefined || s.timeframe === tf),
    )
    if (series.length === 0)
      throw new KestrelError(
        'DATA_NOT_FOUND',
        `no stored series${tf ? ` of ${tf}` : ''} to snapshot; see kestrel data ls`,
        {
          symbols: req.symbols,
          timeframe: tf,
        },
      )
    if (ids) series.sort((a, b) => ids.indexOf(a.instrumentId) - ids.indexOf(b.instrumentId))
    const symbols = new Map<string, number>()
    for (const s of series)
      symbols.set(`${s.symbol}\u0000${s.timeframe}`, (symbols.get(`${s.symbol}\u0000${s.timeframe}`) ?? 0) + 1)
    const files: SnapshotFile[] = []
    const run = new BarHasher()
    for (const s of series) {
      const name = symbols.get(`${s.symbol}\u0000${s.timeframe}`) === 1 ? s.symbol : s.instrumentId
      const file = join(dirname(pointer), seriesFileName(name, s.timeframe, format))
      const hasher = new BarHasher()
      const tapped = async function* (bars: AsyncIterable<BarSeries>) {
        for await (const b of bars) {
          hasher.update(b)
          run.update(b)
          yield b
        }
      }
      const what = `${s.instrumentId} ${s.timeframe}`
      const bars = await writeBarsFile(
        tapped(requireBars(store.streamBars(s.instrumentId, s.timeframe), what)),
        file,
        format,
      )
      const ingestions = await seriesIngestionIds(store, s.instrumentId, s.timeframe)
      const v = dataVersionOf(hasher.digest(), ingestions)
      files.push({
        path: relPath(pointer, file),
        file,
        ...(await fileMd5(file)),
        instrumentId: s.instrumentId,
        timeframe: s.timeframe,
        bars,
        barsHash: v.barsHash,
        dataVersion: v.dataVersion,
        ingestions: v.ingestions,
      })
    }
    return await finish(pointer, files, run)
  } finally {
    await store.close()
  }
}

/**
 * The pointer for bar files as they are (like `dvc add`): each file's md5 and size, and the data version of the
 * bars it holds (read as `data import` reads it; rows it would quarantine are not part of it). The pointer
 * defaults to the first file's name plus `.dvc`.
 */
export async function snapshotFiles(
  paths: readonly string[],
  opts: ImportOptions & { readonly out?: string } = {},
): Promise<SnapshotReport> {
  if (paths.length === 0) throw new KestrelError('USAGE', 'data snapshot: give bar files or --db', {})
  const pointer = pointerPath(opts.out ?? `${paths[0]!}.dvc`)
  const files: SnapshotFile[] = []
  const run = new BarHasher()
  for (const p of paths) {
    const file = resolve(p)
    const ins = await inspectBarFile(file, opts)
    run.update(ins.accepted)
    const v = dataVersionOf(new BarHasher().update(ins.accepted).digest())
    files.push({
      path: relPath(pointer, file),
      file,
      ...(await fileMd5(file)),
      instrumentId: ins.instrument.id,
      timeframe: ins.accepted.timeframe,
      bars: ins.accepted.openTime.length,
      barsHash: v.barsHash,
      dataVersion: v.dataVersion,
      ingestions: [],
    })
  }
  if (files.some((f) => f.path.startsWith('../')))
    throw new KestrelError(
      'USAGE',
      `${basename(pointer)}: DVC tracks files beside or below the pointer; write it next to them`,
      {
        pointer,
      },
    )
  return await finish(pointer, files, run)
}
