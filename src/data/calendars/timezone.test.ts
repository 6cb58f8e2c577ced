import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../core/index.ts'
import { assertTimeZone, dayIndexOf, localDayIndex, localToUtc, tzOffsetMs } from './timezone.ts'

const H = 3_600_000

/** The offset from the local wall time that Intl prints for `t` (whole seconds), the slow way. */
function wallClockOffset(tz: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(t)
  const get = (k: string) => Number(parts.find((p) => p.type === k)!.value)
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return local - Math.floor(t / 1000) * 1000
}

describe('timezone', () => {
  it('gives the offset of the wall time Intl prints, at any instant from 1850 to 2100, in zones with odd rules', () => {
    const zones = [
      'America/New_York',
      'Europe/London',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/St_Johns',
      'Europe/Amsterdam',
      'Asia/Kathmandu',
      'UTC',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (tz, t) => {
          // Whole seconds: Intl prints no milliseconds, and the reference reads the printed wall time.
          const s = Math.floor(t / 1000) * 1000
          assert.equal(tzOffsetMs(tz, s), wallClockOffset(tz, s), `${tz} at ${new Date(s).toISOString()}`)
        },
      ),
      { numRuns: 3000, seed: 20261202 },
    )
  })

  it('switches New York to EDT at 07:00Z on 2024-03-10 and back at 06:00Z on 2024-11-03', () => {
    assert.equal(tzOffsetMs('America/New_York', Date.parse('2024-03-10T06:59:00Z')), -5 * H)
    assert.equal(tzOffsetMs('America/New_York', Date.parse('2024-03-10T07:00:00Z')), -4 * H)
    assert.equal(tzOffsetMs('America/New_York', Date.parse('2024-11-03T05:59:00Z')), -4 * H)
    assert.equal(tzOffsetMs('America/New_York', Date.parse('2024-11-03T06:00:00Z')), -5 * H)
  })
  it('converts local wall time to UTC on both sides of a DST change', () => {
    const d = dayIndexOf(2024, 3, 10)
    assert.equal(localToUtc('America/New_York', d, 60), Date.parse('2024-03-10T06:00:00Z'))
    assert.equal(localToUtc('America/New_York', d, 180), Date.parse('2024-03-10T07:00:00Z'))
    assert.equal(localToUtc('America/New_York', d, 150), Date.parse('2024-03-10T07:30:00Z')) // gap → shifted
    assert.equal(localToUtc('America/New_York', dayIndexOf(2024, 11, 3), 90), Date.parse('2024-11-03T05:30:00Z'))
    assert.equal(localToUtc('Asia/Tokyo', dayIndexOf(2024, 1, 1), 540), Date.parse('2024-01-01T00:00:00Z'))
  })
  it('round-trips: the local day of localToUtc(day, minute) is that day, for any minute of the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_957, max: 22_000 }), fc.integer({ min: 180, max: 1439 }), (day, minute) => {
        for (const tz of ['America/New_York', 'Europe/London', 'Asia/Tokyo']) {
          assert.equal(localDayIndex(tz, localToUtc(tz, day, minute)), day)
        }
      }),
      { seed: 7, numRuns: 200 },
    )
  })
  it('rejects an unknown zone with TIMEZONE_UNKNOWN', () => {
    assert.throws(
      () => assertTimeZone('Mars/Olympus'),
      (e) => isKestrelError(e, 'TIMEZONE_UNKNOWN'),
    )
  })
})
