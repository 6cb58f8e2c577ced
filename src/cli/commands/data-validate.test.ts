/** `kestrel data validate` and `data import` on files with one bad row, run in this process. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-validate-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the CLI in this process, capturing the text it writes. */
async function kestrel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCliCaptured(args, { env: { ...process.env, CI: '1' } })
  return { code: r.code, stdout: r.out, stderr: r.err }
}

const HEADER = 'timestamp,open,high,low,close,volume'
/** `n` daily rows from 1998-01-02, a gentle zigzag near 100; `edit` may change the cells of row i. */
function dailyFile(name: string, n: number, edit: (i: number, cells: string[]) => void = () => {}): string {
  const rows = [HEADER]
  for (let i = 0; i < n; i++) {
    const p = 100 + ((i * 7) % 11) * 0.1
    const cells = [
      new Date(Date.UTC(1998, 0, 2) + i * 86_400_000).toISOString().replace('.000', ''),
      p,
      p + 1,
      p - 1,
      p + 0.2,
      1000,
    ].map(String)
    edit(i, cells)
    rows.push(cells.join(','))
  }
  const f = join(dir, name)
  writeFileSync(f, rows.join('\n') + '\n')
  return f
}

describe('kestrel data validate', () => {
  it('reports the malformed row of a tiny file, with its line, besides the timeframe it cannot infer', async () => {
    const f = join(dir, 'TINY.csv')
    writeFileSync(f, `${HEADER}\n2024-01-02T14:30:00Z,1,2,0.5,1,10\n2024-01-02T14:31:00Z,1,2\n`)
    const r = await kestrel(['data', 'validate', f])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /cannot infer the timeframe/)
    assert.match(r.stderr, /line 3: expected 6 columns, found 3/)
  })

  it('quarantines only a mistyped year and names its line and what was expected', async () => {
    const f = dailyFile('MISTYPED_1d.csv', 300, (i, c) => {
      if (i === 150) c[0] = c[0]!.replace(/^1998/, '2998')
    })
    const r = await kestrel(['data', 'validate', f])
    assert.equal(r.code, 1)
    assert.match(r.stdout, /rows: 300 read, 299 valid, 1 rejected; 1998-01-02T00:00:00Z → 1998-10-28T00:00:00Z/)
    assert.match(r.stdout, /errors: +TIMESTAMP_OUTLIER 1\n/)
    assert.match(
      r.stdout,
      /line 152: timestamp 2998-06-01T00:00:00Z is .* line 151 \(1998-05-31T00:00:00Z\) and line 153 \(1998-06-02T00:00:00Z\).*expected a time between them/,
    )
    assert.doesNotMatch(r.stdout, /OUT_OF_ORDER/)
  })

  it('names both lines of a duplicate timestamp', async () => {
    const f = dailyFile('DUP_1d.csv', 30, (i, c) => {
      if (i === 10) c[0] = new Date(Date.UTC(1998, 0, 11)).toISOString().replace('.000', '')
    })
    const r = await kestrel(['data', 'validate', f, '--json'])
    assert.equal(r.code, 1)
    const dup = JSON.parse(r.stdout).findings.filter((x: { reason: string }) => x.reason === 'DUPLICATE_TIMESTAMP')
    assert.equal(dup.length, 1)
    assert.equal(dup[0].line, 12)
    assert.match(
      dup[0].message,
      /line 12: duplicate timestamp 1998-01-11T00:00:00Z, already on line 11 with other values/,
    )
  })

  it('calls a bar 10⁶× its neighbours an error, and prints returns as simple percentages', async () => {
    const f = dailyFile('ABSURD_1d.csv', 60, (i, c) => {
      if (i === 30) for (let k = 1; k <= 4; k++) c[k] = String(Number(c[k]) * 1e6)
    })
    const r = await kestrel(['data', 'validate', f, '--json'])
    assert.equal(r.code, 1)
    const j = JSON.parse(r.stdout)
    const bad = j.findings.filter((x: { severity: string }) => x.severity === 'error')
    assert.deepEqual(
      bad.map((x: { reason: string; line: number }) => [x.reason, x.line]),
      [['OUTLIER_PRICE', 32]],
    )
    assert.match(
      bad[0].message,
      /line 32: absurd price: close 100300000 is 996,000× its neighbours: close 100\.7 on line 31 /,
    )
    assert.ok(Math.abs(bad[0].details.ratio / 1e6 - 1) < 0.01)
    for (const x of j.findings) if (x.reason === 'OUTLIER_RETURN') assert.match(x.message, /return [+-]\d+\.\d+% /)
  })
})

describe('kestrel data import', () => {
  it('stores every good row of a file with one mistyped year and quarantines that one', async () => {
    const f = dailyFile('MISTYPED_1d.csv', 300, (i, c) => {
      if (i === 150) c[0] = c[0]!.replace(/^1998/, '2998')
    })
    const r = await kestrel(['data', 'import', f, '--db', join(dir, 'k.duckdb'), '--json'])
    assert.equal(r.code, 0, r.stderr)
    const [rep] = JSON.parse(r.stdout)
    assert.deepEqual([rep.rowsRead, rep.rowsInserted, rep.rowsQuarantined], [300, 299, 1])
    assert.deepEqual(rep.errorsByReason, { TIMESTAMP_OUTLIER: 1 })
  })
})
