/**
 * Month bars through `data resample`, `import`, `export` and `validate`: spaced by calendar months (one bar a
 * month, a second one a duplicate, a month without a bar a gap), stamped at the month's first session or its close.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-months-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const ok = async (argv: string[]) => {
  const r = await runCliCaptured(argv)
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`)
  return r
}
/** `data validate`: exit status, the timeframe it read, and its findings. */
const validate = async (argv: string[]) => {
  const text = await runCliCaptured(['data', 'validate', ...argv])
  const r = await runCliCaptured(['data', 'validate', ...argv, '--json'])
  const j = JSON.parse(r.out) as { findings: { severity: string; reason: string; message: string }[] }
  const timeframe = /^\S+: \S+ (\S+),/.exec(text.out)?.[1]
  return { code: r.code, timeframe, findings: j.findings, reasons: j.findings.map((f) => f.reason) }
}

const daily = readFileSync('data/bundled/SPY_1d.csv', 'utf8').trim().split('\n')
/** SPY's daily rows of 1998-2001 picked one a month: the month's first (`first`) or last session. */
function pickMonthly(name: string, which: 'first' | 'last', edit: (rows: string[]) => string[] = (r) => r): string {
  const by = new Map<string, string>()
  for (const row of daily.slice(1).filter((r) => r < '2002'))
    if (which === 'last' || !by.has(row.slice(0, 7))) by.set(row.slice(0, 7), row)
  const f = join(dir, name)
  writeFileSync(f, [daily[0], ...edit([...by.values()])].join('\n') + '\n')
  return f
}

describe('month bars in data import and data validate', () => {
  it('round-trips: daily resampled to 1mo, imported, exported, imported again and validated clean', async () => {
    const mo = join(dir, 'SPY_1mo.csv')
    await ok(['data', 'resample', 'data/bundled/SPY_1d.csv', '--to', '1mo', '--out', mo])
    const db = join(dir, 'a.duckdb')
    const imp = JSON.parse((await ok(['data', 'import', mo, '--db', db, '--json'])).out)
    assert.deepEqual(
      [imp[0].timeframe, imp[0].rowsRead, imp[0].rowsAccepted, imp[0].rowsQuarantined],
      ['1mo', 279, 279, 0],
    )
    const out = join(dir, 'exported.csv')
    await ok(['data', 'export', 'SPY', '--timeframe', '1mo', '--db', db, '--out', out])
    // No timeframe in the name: inferred from the spacing.
    const v = await validate([out])
    assert.equal(v.code, 0)
    assert.equal(v.timeframe, '1mo')
    assert.deepEqual(v.findings, [])
    const db2 = join(dir, 'b.duckdb')
    const again = JSON.parse((await ok(['data', 'import', out, '--symbol', 'SPY', '--db', db2, '--json'])).out)
    assert.deepEqual([again[0].timeframe, again[0].rowsAccepted], ['1mo', 279])
    const out2 = join(dir, 'exported2.csv')
    await ok(['data', 'export', 'SPY', '--timeframe', '1mo', '--db', db2, '--out', out2])
    assert.equal(readFileSync(out2, 'utf8'), readFileSync(out, 'utf8'))
  })

  it("accepts bars stamped at the month's first session, or at its last with --stamped-at close", async () => {
    const first = await validate([pickMonthly('firsts.csv', 'first'), '--timeframe', '1mo'])
    assert.equal(first.code, 0)
    assert.deepEqual(first.findings, [])
    const inferred = await validate([pickMonthly('firsts.csv', 'first')])
    assert.equal(inferred.timeframe, '1mo')
    const last = await validate([pickMonthly('lasts.csv', 'last'), '--timeframe', '1mo', '--stamped-at', 'close'])
    assert.equal(last.code, 0)
    assert.deepEqual(last.findings, [])
    // Stamped at the close, a bar opens on the first of its month.
    const db = join(dir, 'c.duckdb')
    await ok(['data', 'import', join(dir, 'lasts.csv'), '--timeframe', '1mo', '--stamped-at', 'close', '--db', db])
    const out = join(dir, 'lasts-out.csv')
    await ok(['data', 'export', 'LASTS', '--timeframe', '1mo', '--db', db, '--out', out])
    const stamps = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(0, 20))
    assert.equal(stamps.length, 48)
    assert.deepEqual(stamps.slice(0, 2), ['1998-01-01T00:00:00Z', '1998-02-01T00:00:00Z'])
  })

  it('reports a second bar in a month as a duplicate and a month without a bar as a gap', async () => {
    const f = pickMonthly('holes.csv', 'first', (rows) => {
      const kept = rows.filter((r) => !r.startsWith('1999-05') && !r.startsWith('1999-06'))
      kept.splice(
        3,
        0,
        daily.find((r) => r.startsWith('1998-03-05'))!,
      )
      return kept
    })
    const v = await validate([f, '--timeframe', '1mo'])
    assert.equal(v.code, 1)
    assert.deepEqual(v.reasons.sort(), ['DUPLICATE_MONTH', 'GAP'])
    assert.match(
      v.findings.find((x) => x.reason === 'DUPLICATE_MONTH')!.message,
      /line 5: a second 1mo bar for 1998-03: line 4 \(1998-03-02T00:00:00Z\)/,
    )
    assert.match(v.findings.find((x) => x.reason === 'GAP')!.message, /2 missing 1mo bars from 1999-05 against NYSE/)
  })

  it('refuses --timeframe 1M, suggesting 1mo; a freqtrade file name -1M is a month', async () => {
    const r = await runCliCaptured(['data', 'validate', pickMonthly('m.csv', 'first'), '--timeframe', '1M'])
    assert.notEqual(r.code, 0)
    assert.match(r.err, /"1M" is ambiguous: write 1mo for months or 1m for minutes/)
    const rows = Array.from({ length: 12 }, (_, i) => [Date.UTC(2021, i, 1), 0.02, 0.021, 0.019, 0.0205, 100 + i])
    const ft = join(dir, 'ETH_BTC-1M.json')
    writeFileSync(ft, JSON.stringify(rows))
    const v = await validate([ft])
    assert.equal(v.code, 0)
    assert.equal(v.timeframe, '1mo')
    assert.deepEqual(v.findings, [])
  })
})
