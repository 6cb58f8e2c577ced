/**
 * `kestrel data snapshot`: stored series (or bar files as they are) with a DVC pointer file, so DVC can track
 * the bars Kestrel read; prints each file with its md5 and the data version.
 */
import { snapshotFiles, snapshotStore } from '../../app/data-snapshot.ts'
import { outputFormat } from '../../app/data.ts'
import { KestrelError } from '../../core/index.ts'
import { storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames } from '../series-flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface SnapshotFlags extends StoreFlags {
  symbol?: string[]
  instrument?: string[]
  timeframe?: string
  format?: string
  out?: string
  venue?: string
  json: boolean
}

export async function run(args: string[], o: SnapshotFlags): Promise<void> {
  // With a store (--db or --config, or nothing positional) the positional names are stored series, as in every
  // data command; without one they are bar files.
  const fromStore = o.db !== undefined || o.config !== undefined || args.length === 0
  const files = fromStore ? [] : args
  if (fromStore && o.venue !== undefined)
    throw new KestrelError('USAGE', 'data snapshot: --venue names the instrument of bar files; give files', {})
  if (!fromStore && (o.symbol !== undefined || o.instrument !== undefined))
    throw new KestrelError('USAGE', 'data snapshot: give bar files or --db with --symbol, not both', {})
  const symbols = fromStore ? seriesNames(args, o) : []
  if (fromStore && o.out === undefined)
    throw new KestrelError('USAGE', 'data snapshot --db: give --out <file.dvc> (the series are written beside it)', {})
  const r = fromStore
    ? await snapshotStore(
        {
          out: o.out!,
          symbols: symbols.length > 0 ? symbols : undefined,
          timeframe: o.timeframe,
          format: o.format === undefined ? 'csv' : outputFormat('', o.format),
        },
        storeSelection(o),
      )
    : await snapshotFiles(files, { out: o.out, venue: o.venue })
  if (o.json) return printJson(r)
  stdout().write(
    table(
      r.files.map((f) => ({
        path: f.path,
        instrument: f.instrumentId,
        timeframe: f.timeframe,
        bars: f.bars,
        size: f.size,
        md5: f.md5,
        dataVersion: f.dataVersion.slice(0, 12),
      })),
    ),
  )
  stdout().write(`wrote ${r.pointer} (data version ${r.dataVersion})\n`)
}
