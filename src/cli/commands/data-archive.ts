/**
 * `kestrel data archive`: moves bars older than the hot window (`storage.hotWindowDays`, `--older-than-days`,
 * or `--before`) from the hot store into the Parquet lake, verified bar by bar before the hot copy goes.
 */
import { archiveBars } from '../../app/data-lake.ts'
import { KestrelError, isoUtc, parseAnyTimeframe, parseIso } from '../../core/index.ts'
import { numberFlag, storeSelection, type StoreFlags } from '../flags.ts'
import { seriesNames, type SeriesFlags } from '../series-flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface ArchiveFlags extends StoreFlags, SeriesFlags {
  olderThanDays?: string
  before?: string
  timeframe?: string
  json: boolean
}

export async function run(positional: string[], o: ArchiveFlags): Promise<void> {
  if (o.before !== undefined && o.olderThanDays !== undefined) {
    throw new KestrelError('USAGE', 'pass either --before or --older-than-days, not both')
  }
  const r = await archiveBars(
    {
      olderThanDays: numberFlag(o.olderThanDays, '--older-than-days', { min: 0 }),
      before: o.before === undefined ? undefined : parseIso(o.before),
      symbols: seriesNames(positional, o),
      timeframe: o.timeframe === undefined ? undefined : parseAnyTimeframe(o.timeframe).text,
    },
    storeSelection(o),
  )
  if (o.json) return printJson(r)
  stdout().write(`archiving bars that open before ${isoUtc(r.cutoff)} from ${r.hot} into ${r.lake}\n`)
  if (r.series.length === 0) stdout().write('nothing older than the hot window\n')
  else
    stdout().write(
      table(
        r.series.map((s) => ({
          instrument: s.instrumentId,
          timeframe: s.timeframe,
          moved: s.moved,
          'new in lake': s.newInLake,
        })),
      ),
    )
}
