/**
 * The account events a `backtest:` config asks for: corporate actions from a file, funding and swap per
 * instrument. Keys name an instrument by symbol or id; a key that names none is an error (a typo would
 * otherwise leave a position unfunded in silence).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { KestrelError, MS, findInstrument, parseIso } from '../core/index.ts'
import type { AccountEventSource, Instrument } from '../core/index.ts'
import { getCalendar, readCorporateActions } from '../data/index.ts'
import { corporateActionEvents, fundingFromRates, fundingSchedule, swapSchedule } from './account-schedules.ts'

/** What {@link accountEventsFromConfig} reads. */
export interface AccountEventsConfig {
  readonly corporateActions?: string
  readonly funding: Readonly<
    Record<string, { rate: number; everyHours: number; offsetHours: number } | { file: string }>
  >
  readonly swap: Readonly<
    Record<
      string,
      {
        longAnnualRate: number
        shortAnnualRate: number
        rollover: string
        timeZone: string
        dayCount: number
        tripleDay: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'none'
      }
    >
  >
}

const WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5 } as const

/** The instrument a config key names (id, or a symbol of one instrument); CONFIG_INVALID naming the key path. */
function instrumentFor(key: string, instruments: readonly Instrument[], path: string): Instrument {
  return findInstrument(key, instruments, { where: path, among: 'this backtest', code: 'CONFIG_INVALID' })
}

/** Reads a funding history CSV `time,rate` (time ISO-8601 or epoch ms); a bad row is an error naming its line. */
export async function readFundingRates(path: string): Promise<{ time: number; rate: number }[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new KestrelError('FILE_NOT_FOUND', `${path}: no such file`, { path }, { cause: e })
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s/g, '')
  if (header !== 'time,rate')
    throw new KestrelError(
      'DATA_BAD_FILE',
      `${path}: header must be time,rate, found ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`,
    )
  const out: { time: number; rate: number }[] = []
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim()
    if (raw === '') continue
    const [t, r, ...rest] = raw.split(',').map((x) => x.trim())
    const bad = (what: string) =>
      new KestrelError('DATA_BAD_ROW', `${path} line ${i + 1}: ${what}`, { path, line: i + 1, raw: raw.slice(0, 200) })
    if (rest.length > 0 || r === undefined) throw bad('expected 2 columns: time,rate')
    let time: number
    try {
      time = /^-?\d+$/.test(t!) ? Number(t) : parseIso(t!)
    } catch {
      throw bad(`time ${JSON.stringify(t)} is neither ISO-8601 nor epoch ms`)
    }
    const rate = r === '' ? NaN : Number(r)
    if (!Number.isFinite(rate) || Math.abs(rate) >= 1)
      throw bad(`rate ${JSON.stringify(r)} must be a number with |rate| < 1`)
    out.push({ time, rate })
  }
  return out
}

/** The account event sources of a `backtest:` section (paths relative to `baseDir`). */
export async function accountEventsFromConfig(
  cfg: AccountEventsConfig,
  instruments: readonly Instrument[],
  baseDir = '.',
): Promise<AccountEventSource[]> {
  const out: AccountEventSource[] = []
  if (cfg.corporateActions !== undefined) {
    const file = await readCorporateActions(resolve(baseDir, cfg.corporateActions))
    // A file may list many symbols: the actions of this run's instruments apply, in their exchange's zone.
    for (const inst of instruments) {
      const mine = file.actions.filter((a) => a.symbol === inst.symbol.toUpperCase())
      if (mine.length === 0) continue
      const tz = getCalendar(inst.calendar).timezone
      out.push(
        corporateActionEvents(
          mine.map((a) => ({ instrumentId: inst.id, date: a.date, type: a.type, value: a.value })),
          tz,
        ),
      )
    }
  }
  for (const [key, f] of Object.entries(cfg.funding)) {
    const inst = instrumentFor(key, instruments, `backtest.funding.${key}`)
    out.push(
      'file' in f
        ? fundingFromRates(inst.id, await readFundingRates(resolve(baseDir, f.file)))
        : fundingSchedule({
            instrumentId: inst.id,
            rate: f.rate,
            intervalMs: f.everyHours * MS.hour,
            offsetMs: f.offsetHours * MS.hour,
          }),
    )
  }
  for (const [key, s] of Object.entries(cfg.swap)) {
    const inst = instrumentFor(key, instruments, `backtest.swap.${key}`)
    const [h, m] = s.rollover.split(':').map(Number) as [number, number]
    out.push(
      swapSchedule({
        instrumentId: inst.id,
        longAnnualRate: s.longAnnualRate,
        shortAnnualRate: s.shortAnnualRate,
        rolloverMinute: h * 60 + m,
        timeZone: s.timeZone,
        dayCount: s.dayCount,
        tripleDay: s.tripleDay === 'none' ? null : WEEKDAY[s.tripleDay],
      }),
    )
  }
  return out
}
