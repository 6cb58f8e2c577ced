/**
 * Stage 1, on ingest: types and OHLC consistency, positive prices, volume, timestamp outliers (a mistyped year),
 * duplicate and out-of-order timestamps, absurd prices (a bar far above or below both neighbours), bad ticks
 * (robust z-score of the high/low range), outlier returns (robust z-score of close-to-close log returns),
 * suspected unadjusted splits, zero-volume bars and gaps against the trading calendar. Month bars are spaced by
 * calendar months: one bar a month, a second in the same month a duplicate, a month without a bar a gap.
 *
 * Cost is O(n log n) in the rows whatever their content: every pass is linear or sorts once, and the calendar
 * walk of the gap check is bounded by {@link GAP_WALK_DAYS} plus {@link GAP_WALK_DAYS_PER_ROW} per row.
 */
import { isoUtc, parseAnyTimeframe } from '../../core/index.ts'
import type { AnyTimeframe, BarSeries } from '../../core/index.ts'
import type { TradingCalendar } from '../calendars/index.ts'
import { formatRatio, formatReturn, formatSpan } from './format.ts'
import { describeGap, scanGaps, type GapRun } from './gaps.ts'
import { findPriceSpikes } from './price-spikes.ts'
import { monthDuplicates, monthGaps } from './months.ts'
import { median, robustScale, sampleStride } from './robust.ts'
import { matchSplitRatio } from './splits.ts'
import { checkTimestamps, OUTLIER_SPACINGS, type TimeIssue } from './timestamps.ts'
import { makeReport, type Finding, type ValidationReport } from './types.ts'

/** Settings of the ingest checks. */
export interface IngestCheckOptions {
  /** File or provider name for messages. */
  readonly source?: string
  /** 1-based file line of each row (from the CSV parser). */
  readonly lines?: Int32Array
  /** Calendar to check gaps against; no gap check without one. */
  readonly calendar?: TradingCalendar
  /** Robust z-score of a close-to-close log return above which it is reported (warning). Default 12. */
  readonly outlierZ?: number
  /** Robust z-score of a bar's log(high/low) above which the bar is a bad tick (error). Default 100. */
  readonly rangeZ?: number
  /** Log tolerance for a jump to count as a split ratio. Default 0.035. */
  readonly splitTolerance?: number
  /** A bar whose whole range is more than this factor above or below both neighbours is rejected. Default 10. */
  readonly priceSpikeFactor?: number
  /**
   * Only what a feed can check chunk by chunk, carrying the last kept row: each row on its own, and its time
   * against the latest kept time (equal: a duplicate, earlier: out of order). No timestamp outliers, absurd
   * prices, robust statistics or gaps: those need the whole series, and the import runs them.
   */
  readonly rowChecksOnly?: boolean
  /** Without `lines`: the number that names each row in messages (its place in a whole feed). Default its index. */
  readonly rowNumbers?: ArrayLike<number>
}

/** The ingest report, with the gap runs found. */
export interface IngestReport extends ValidationReport {
  readonly gaps: GapRun[]
}

/** The gap check walks the calendar over at most this many days, plus {@link GAP_WALK_DAYS_PER_ROW} per row. */
export const GAP_WALK_DAYS = 366
/** Daily bars need about 1.45 calendar days per row (weekends, holidays); 2 leaves room for missing weeks. */
export const GAP_WALK_DAYS_PER_ROW = 2

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const
const DAY = 86_400_000

/** Runs every ingest check over `s` (rows in file order). */
export function validateIngest(s: BarSeries, opts: IngestCheckOptions = {}): IngestReport {
  const n = s.openTime.length
  const src = opts.source ?? s.instrumentId
  const findings: Finding[] = []
  const rejected = new Uint8Array(n)
  const { open: O, high: H, low: L, close: C, volume: V, openTime: T } = s
  const lines = opts.lines
  const rowNo = (i: number) => opts.rowNumbers?.[i] ?? i
  const when = (i: number) => (Number.isFinite(T[i]!) ? isoUtc(T[i]!) : String(T[i]))
  const where = (i: number) =>
    lines ? `${src} line ${lines[i]}` : `${src} ${Number.isFinite(T[i]!) ? isoUtc(T[i]!) : `row ${rowNo(i)}`}`
  /** Another row, named in a message: `line 12 (2024-01-02T14:30:00Z)`. */
  const ref = (i: number) => `${lines ? `line ${lines[i]}` : `row ${rowNo(i)}`} (${when(i)})`
  const add = (
    i: number,
    severity: Finding['severity'],
    reason: string,
    field: string | undefined,
    msg: string,
    details?: Record<string, unknown>,
  ) => {
    findings.push({
      stage: 'ingest',
      severity,
      reason,
      message: `${where(i)}: ${msg}`,
      index: i,
      line: lines?.[i],
      timestamp: Number.isFinite(T[i]!) ? T[i] : undefined,
      field,
      details,
    })
    if (severity === 'error') rejected[i] = 1
  }

  // Pass 1: each row on its own.
  for (let i = 0; i < n; i++) {
    const t = T[i]!
    const o = O[i]!
    const h = H[i]!
    const l = L[i]!
    const c = C[i]!
    const v = V[i]!
    if (!Number.isFinite(t)) add(i, 'error', 'BAD_TIMESTAMP', 'timestamp', `timestamp ${t} is not finite`)
    if (!Number.isFinite(o + h + l + c + v)) {
      for (const f of FIELDS) {
        const x = s[f][i]!
        if (!Number.isFinite(x)) add(i, 'error', 'NON_FINITE', f, `${f} ${x} is not finite`)
      }
      continue
    }
    if (!(o > 0 && h > 0 && l > 0 && c > 0)) {
      for (const f of FIELDS.slice(0, 4)) {
        const x = s[f][i]!
        if (!(x > 0)) add(i, 'error', 'NON_POSITIVE_PRICE', f, `${f} ${x} is not > 0`)
      }
    }
    if (v < 0) add(i, 'error', 'NEGATIVE_VOLUME', 'volume', `volume ${v} < 0`)
    if (h < l) add(i, 'error', 'HIGH_BELOW_LOW', 'high', `high ${h} < low ${l}`)
    if (h < o || h < c)
      add(i, 'error', 'HIGH_BELOW_OPEN_CLOSE', 'high', `high ${h} < ${h < o ? `open ${o}` : `close ${c}`}`)
    if (l > o || l > c)
      add(i, 'error', 'LOW_ABOVE_OPEN_CLOSE', 'low', `low ${l} > ${l > o ? `open ${o}` : `close ${c}`}`)
    if (v === 0 && !rejected[i]) add(i, 'warning', 'ZERO_VOLUME', 'volume', 'zero volume')
  }

  // Pass 2: times of the rows that passed (so a good row may replace a rejected one with the same time).
  // Their findings are merged into pass 1's in row order.
  const rowFindings = findings.splice(0)
  const same = (i: number, j: number) =>
    O[i] === O[j] && H[i] === H[j] && L[i] === L[j] && C[i] === C[j] && V[i] === V[j]
  const tf = safeTimeframe(s.timeframe)
  // A month bar's length varies; its longest (31 days a month) caps the spacing of the timestamp checks.
  const months = tf?.unit === 'mo' ? tf.count : 0
  const tfMs = months > 0 ? months * 31 * DAY : tf?.ms
  for (const x of checkTimestamps(T, rejected, same, tfMs, { latestOnly: opts.rowChecksOnly })) addTimeIssue(x)
  if (months > 0) {
    for (const d of monthDuplicates(T, rejected, months)) {
      add(
        d.index,
        'error',
        'DUPLICATE_MONTH',
        'timestamp',
        `a second ${s.timeframe} bar for ${d.month}: ${ref(d.first)} is already that month's bar (one bar per calendar month)`,
        { firstIndex: d.first, firstLine: lines?.[d.first] },
      )
    }
  }
  const timeFindings = findings.splice(0).sort((a, b) => a.index! - b.index!)
  for (let a = 0, b = 0; a < rowFindings.length || b < timeFindings.length;) {
    if (b >= timeFindings.length || (a < rowFindings.length && rowFindings[a]!.index! <= timeFindings[b]!.index!))
      findings.push(rowFindings[a++]!)
    else findings.push(timeFindings[b++]!)
  }

  if (opts.rowChecksOnly) return { ...makeReport('ingest', n, findings, rejected), gaps: [] }

  // Pass 3: absurd prices, a bar wholly above or below both neighbours by a large factor.
  const factor = opts.priceSpikeFactor ?? 10
  for (const p of findPriceSpikes(s, rejected, factor)) {
    const r = p.ratio >= 1 ? `${formatRatio(p.ratio)}×` : `1/${formatRatio(1 / p.ratio)} of`
    add(
      p.index,
      'error',
      'OUTLIER_PRICE',
      'close',
      `absurd price: close ${C[p.index]} is ${r} its neighbours: close ${C[p.a]} on ${ref(p.a)}, ${C[p.b]} on ${ref(p.b)}; ` +
        `the whole bar lies more than ${factor}× beyond both`,
      { ratio: p.ratio, neighbours: [p.a, p.b] },
    )
  }

  // Pass 4: bad ticks, a bar whose high/low range is far outside the file's typical range. The median and scale
  // look at every `stride`-th row only, so only those ranges are computed for them; a row's own log range is
  // computed only when its high/low ratio could score above the limit (see `atMost`).
  const stride = sampleStride(n)
  const range = new Float64Array(Math.ceil(n / stride))
  for (let i = 0, k = 0; i < n; i += stride) range[k++] = rejected[i] ? NaN : Math.log(H[i]! / L[i]!)
  const rMed = median(range)
  const rScale = robustScale(range, rMed)
  const rangeZ = opts.rangeZ ?? 100
  if (rScale > 0) {
    const low = atMost(rMed + rangeZ * rScale)
    for (let i = 0; i < n; i++) {
      if (rejected[i]) continue
      const r = H[i]! / L[i]!
      if (r <= low) continue
      const z = (Math.log(r) - rMed) / rScale
      if (z > rangeZ) {
        add(
          i,
          'error',
          'OUTLIER_RANGE',
          H[i]! / O[i]! > O[i]! / L[i]! ? 'high' : 'low',
          `bad tick: range high ${H[i]} / low ${L[i]} is ${z.toFixed(0)} robust σ from typical (limit ${rangeZ})`,
          { z },
        )
      }
    }
  }

  // Pass 5: over the rows kept, split-sized jumps between sessions and outlier returns. As in pass 4, the log
  // returns are computed for the sampled rows and for the rows whose price ratio could be an outlier.
  const ret = new Float64Array(range.length)
  let prev = -1
  for (let i = 0, k = 0; i < n; i++) {
    const sampled = i % stride === 0
    if (rejected[i]) {
      if (sampled) ret[k++] = NaN
      continue
    }
    if (sampled) ret[k++] = prev >= 0 ? Math.log(C[i]! / C[prev]!) : NaN
    prev = i
  }
  /**
   * A session's first intraday bar that opens at the old price and closes at the new one (a pre-market print
   * before the split reached the feed): a split-sized close-to-close jump, the open near the previous close, and
   * the next kept bar opening near this close. (A daily bar that falls that far is a crash, not a split.)
   */
  const intraday = tfMs !== undefined && tfMs < 86_400_000
  const splitInsideBar = (i: number, p: number) => {
    let next = i + 1
    while (next < n && rejected[next]) next++
    if (next >= n) return undefined
    const r = matchSplitRatio(C[i]! / C[p]!, opts.splitTolerance)
    if (!r) return undefined
    const quarter = Math.abs(Math.log(r.factor)) / 4
    const openStays = Math.abs(Math.log(O[i]! / C[p]!)) < quarter
    const nextStays = Math.abs(Math.log(O[next]! / C[i]!)) < quarter
    return openStays && nextStays ? r : undefined
  }
  const mMed = median(ret)
  const mScale = robustScale(ret, mMed)
  const outlierZ = opts.outlierZ ?? 12
  const calmLo = atLeast(mMed - outlierZ * mScale)
  const calmHi = atMost(mMed + outlierZ * mScale)
  prev = -1
  for (let i = 0; i < n; i++) {
    if (rejected[i]) continue
    const p = prev
    prev = i
    if (p < 0) continue
    const newSession = tfMs === undefined || tfMs >= 86_400_000 || T[i]! - T[p]! > tfMs
    const split = newSession ? matchSplitRatio(O[i]! / C[p]!, opts.splitTolerance) : undefined
    if (split && Math.abs(Math.log(C[i]! / O[i]!)) < Math.abs(Math.log(split.factor)) / 4) {
      add(
        i,
        'warning',
        'SUSPECTED_UNADJUSTED_SPLIT',
        'open',
        `open ${O[i]} after close ${C[p]} is a ${split.label} jump and stays there: suspected unadjusted split`,
        { ratio: split.label, factor: O[i]! / C[p]! },
      )
      continue
    }
    const inBar = newSession && !split && intraday ? splitInsideBar(i, p) : undefined
    if (inBar) {
      add(
        i,
        'warning',
        'SUSPECTED_UNADJUSTED_SPLIT',
        'close',
        `close ${C[i]} after close ${C[p]} is a ${inBar.label} jump inside the session's first bar (open ${O[i]} still at the old price) and stays there: suspected unadjusted split`,
        { ratio: inBar.label, factor: C[i]! / C[p]! },
      )
      continue
    }
    const q = C[i]! / C[p]!
    if (q >= calmLo && q <= calmHi) continue
    const lr = Math.log(q)
    const z = Math.abs(lr - mMed) / mScale
    if (z > outlierZ) {
      add(
        i,
        'warning',
        'OUTLIER_RETURN',
        'close',
        `return ${formatReturn(lr)} (close ${C[i]} after ${C[p]}) is ${z.toFixed(1)} robust σ (limit ${outlierZ})`,
        { z, logReturn: lr },
      )
    }
  }

  // Gaps against the calendar, as runs (intraday and daily bars; weekly and longer bars span several sessions).
  let gaps: GapRun[] = []
  if (opts.calendar && months > 0) {
    gaps = monthGaps(T, rejected, months, opts.calendar)
    for (const g of gaps) {
      findings.push({
        stage: 'ingest',
        severity: 'warning',
        reason: 'GAP',
        message: `${src}: ${g.count} missing ${s.timeframe} bar${g.count === 1 ? '' : 's'} from ${g.session} against ${opts.calendar.id}`,
        timestamp: g.from,
        count: g.count,
        details: { month: g.session, calendar: opts.calendar.id },
      })
    }
  } else if (opts.calendar && tfMs !== undefined && tfMs <= 86_400_000) {
    let kept = 0
    for (let i = 0; i < n; i++) kept += rejected[i] ? 0 : 1
    const scan = scanGaps(T, tfMs, opts.calendar, rejected, (GAP_WALK_DAYS + GAP_WALK_DAYS_PER_ROW * kept) * DAY)
    gaps = scan.runs
    for (const g of gaps) {
      findings.push({
        stage: 'ingest',
        severity: 'warning',
        reason: 'GAP',
        message: `${src}: ${describeGap(g, s.timeframe)} against ${opts.calendar.id}`,
        timestamp: g.from,
        count: g.count,
        details: { session: g.session, calendar: opts.calendar.id },
      })
    }
    for (const g of scan.long) {
      add(
        g.beforeIndex,
        'warning',
        'LONG_GAP',
        'timestamp',
        `no bars for ${formatSpan(g.to - g.from)} since ${ref(g.afterIndex)}; too long a stretch to count the missing bars against ${opts.calendar.id}`,
        { from: g.from, to: g.to, calendar: opts.calendar.id },
      )
    }
  }
  return { ...makeReport('ingest', n, findings, rejected), gaps }

  function addTimeIssue(x: TimeIssue): void {
    const i = x.index
    if (x.reason === 'DUPLICATE_TIMESTAMP') {
      const msg = x.exact
        ? `duplicate of ${lines ? `line ${lines[x.first]}` : `row ${rowNo(x.first)}`} (same timestamp ${when(i)} and values)`
        : `duplicate timestamp ${when(i)}, already on ${lines ? `line ${lines[x.first]}` : `row ${rowNo(x.first)}`} with other values`
      add(i, 'error', 'DUPLICATE_TIMESTAMP', 'timestamp', msg, {
        firstIndex: x.first,
        firstLine: lines?.[x.first],
        exact: x.exact,
      })
    } else if (x.reason === 'OUT_OF_ORDER' && x.ahead) {
      const [a, b] = x.ahead
      const before = x.latest >= 0 ? `, and after ${ref(x.latest)}` : ''
      add(
        i,
        'error',
        'OUT_OF_ORDER',
        'timestamp',
        `timestamp ${when(i)} is after the two rows that follow it, ${ref(a)} and ${ref(b)}, which are in order${before}; expected a time before theirs`,
        {
          aheadOf: [a, b],
          aheadOfLines: lines ? [lines[a], lines[b]] : undefined,
          latestIndex: x.latest >= 0 ? x.latest : undefined,
        },
      )
    } else if (x.reason === 'OUT_OF_ORDER') {
      add(
        i,
        'error',
        'OUT_OF_ORDER',
        'timestamp',
        `timestamp ${when(i)} is before ${when(x.latest)} on ${lines ? `line ${lines[x.latest]}` : `row ${rowNo(x.latest)}`}, the latest time so far`,
        { latestIndex: x.latest, latestLine: lines?.[x.latest] },
      )
    } else {
      const t = T[i]!
      const [a, b] = [T[x.a]!, T[x.b]!]
      const off = formatSpan(Math.min(Math.abs(t - a), Math.abs(t - b)))
      const apart = formatSpan(b - a)
      const msg =
        x.at === 'middle'
          ? `timestamp ${when(i)} is ${off} from its neighbours ${ref(x.a)} and ${ref(x.b)}, which are ${apart} apart; expected a time between them`
          : x.at === 'first'
            ? `timestamp ${when(i)} is ${off} from the next rows ${ref(x.a)} and ${ref(x.b)}, which are ${apart} apart; expected a time shortly before them`
            : `timestamp ${when(i)} is ${off} from the rows before it ${ref(x.a)} and ${ref(x.b)}, which are ${apart} apart; expected a time shortly after them`
      add(
        i,
        'error',
        'TIMESTAMP_OUTLIER',
        'timestamp',
        `${msg} (more than ${OUTLIER_SPACINGS}× the median spacing: a mistyped date?)`,
        { neighbours: [x.a, x.b], neighbourLines: lines ? [lines[x.a], lines[x.b]] : undefined },
      )
    }
  }
}

/**
 * A ratio at most which a log cannot exceed `t`: `log(x) <= t` for every `x <= atMost(t)`, with a margin (1e-9
 * relative) far above the rounding of exp and log, so a row skipped by it would not have passed the limit. -1
 * (no ratio is skipped) when exp(t) is not a finite positive number or `t` is NaN.
 */
function atMost(t: number): number {
  const x = Math.exp(t) * (1 - 1e-9)
  return x > 0 && Number.isFinite(x) ? x : -1
}

/** The mirror of {@link atMost}: `log(x) >= t` for every `x >= atLeast(t)`; Infinity when not usable. */
function atLeast(t: number): number {
  const x = Math.exp(t) * (1 + 1e-9)
  return x > 0 && Number.isFinite(x) ? x : Infinity
}

function safeTimeframe(tf: string): AnyTimeframe | undefined {
  try {
    return parseAnyTimeframe(tf)
  } catch {
    return undefined
  }
}
