import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { mutateCsv, renderDoc, rng } from '../../../test/fuzz/mutate.ts'
import { BAR_BASES, REPO } from '../../../test/fuzz/targets.ts'
import { allocBarSeries, makeInstrument } from '../../core/index.ts'
import type { BarSeries } from '../../core/index.ts'
import { DuckDbStore } from '../store/duckdb/index.ts'
import type { BarStore } from '../store/types.ts'
import { importCsvFile, inspectCsvFile, storeInspection, type ImportOptions } from './index.ts'

/** Everything an import leaves behind and reports, with every float as its bytes. */
async function outcome(store: BarStore, run: () => Promise<unknown>, id: string, tf: string): Promise<unknown> {
  let report: unknown
  try {
    const r = (await run()) as Record<string, unknown>
    const { timings: _t, ...rest } = r
    report = rest
  } catch (e) {
    return { error: (e as Error).message }
  }
  const bars = await store.readBars(id, tf)
  const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
  const cols = ['openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'] as const
  const q = (await store.quarantine({ instrumentId: id })).map(
    ({ source, line, field, reason, message, raw, timestamp }) => ({
      source: source.replace(/.*\//, ''),
      line,
      field,
      reason,
      message: message.replace(/\S*\/(?=\S+\.csv)/g, ''),
      raw,
      timestamp,
    }),
  )
  const log = (await store.ingestions())
    .filter((x) => x.instrumentId === id)
    .map(({ importedAt: _i, source: _s, ...x }) => x)
  const r = report as { source?: string; findings?: { message: string }[] }
  return {
    report: {
      ...r,
      source: r.source?.replace(/.*\//, ''),
      findings: r.findings?.map((f) => ({ ...f, message: f.message.replace(/\S*\/(?=\S+\.csv)/g, '') })),
    },
    bars: Object.fromEntries(cols.map((k) => [k, bits(bars[k])])),
    rows: bars.openTime.length,
    quarantine: q,
    log,
  }
}

describe('an import staged while it is validated', () => {
  let dir: string
  let files: DuckDbStore[]
  let mem: DuckDbStore[]
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kestrel-staged-'))
    files = [new DuckDbStore(join(dir, 'staged.duckdb')), new DuckDbStore(join(dir, 'plain.duckdb'))]
    mem = [new DuckDbStore(':memory:'), new DuckDbStore(':memory:')]
    for (const s of [...files, ...mem]) await s.init()
  })
  after(async () => {
    for (const s of [...files, ...mem]) await s.close()
    await rm(dir, { recursive: true, force: true })
  })

  /**
   * Imports `path` into both stores (staged, and validated first then committed) and requires the same outcome;
   * `memory` uses a pair of in-memory stores instead (no file sync per commit, for the long corpus).
   */
  async function same(path: string, opts: ImportOptions, tf: string, memory = false): Promise<unknown> {
    const [staged, plain] = memory ? mem : files
    const id = makeInstrument({ symbol: opts.symbol!, venue: opts.venue ?? 'CSV', assetClass: 'equity' }).id
    const a = await outcome(staged, () => importCsvFile(staged, path, opts), id, tf)
    const b = await outcome(plain, async () => storeInspection(plain, await inspectCsvFile(path, opts)), id, tf)
    assert.deepStrictEqual(a, b, path)
    return a
  }

  it('stores every bundled file as validating first does: bars bit for bit, quarantine, log, report', async () => {
    const files = (await readdir(join(REPO, 'data', 'bundled'))).filter((f) => /_1[dm]\.csv$/.test(f))
    assert.ok(files.length >= 8)
    let quarantined = 0
    for (const f of files) {
      const tf = f.includes('_1d') ? '1d' : '1m'
      const o = (await same(join(REPO, 'data', 'bundled', f), { symbol: `B${f.replace(/\W/g, '')}` }, tf)) as {
        quarantine: unknown[]
      }
      quarantined += o.quarantine.length
    }
    assert.equal(quarantined, 4) // AAPL 1d and 1m: rejected rows staged, then deleted at commit
  })

  it('stores 200 fuzzed files of the bad-input corpus and its stored regressions as validating first does', async () => {
    let withRejects = 0
    for (let seed = 1; seed <= 200; seed++) {
      const base = BAR_BASES[seed % BAR_BASES.length]!
      const { doc } = mutateCsv(base.text, rng(seed))
      const path = join(dir, `${seed}_${base.name}`)
      await writeFile(path, renderDoc(doc))
      const tf = base.name.includes('_1d') ? '1d' : '1m'
      const o = (await same(path, { symbol: `F${seed}`, timeframe: tf }, tf, true)) as { quarantine?: unknown[] }
      if (o.quarantine?.length) withRejects++
    }
    assert.ok(withRejects > 50, `${withRejects} files with quarantined rows`)
    const reg = join(REPO, 'test', 'fuzz', 'corpus', 'regressions')
    for (const f of (await readdir(reg)).filter((x) => x.endsWith('.csv')))
      await same(join(reg, f), { symbol: `R${f.replace(/\W/g, '')}`, timeframe: '1d' }, '1d', true)
  })

  it('stores an overlapping file, a re-import and a file appended to itself as validating first does', async () => {
    const text = await readFile(join(REPO, 'data', 'bundled', 'SPY_1d.csv'), 'utf8')
    const lines = text.trimEnd().split('\n')
    const first = join(dir, 'SPY_1d.csv')
    const second = join(dir, 'SPY2_1d.csv')
    const twice = join(dir, 'SPY3_1d.csv')
    await writeFile(first, `${lines.slice(0, 3000).join('\n')}\n`)
    await writeFile(second, `${[lines[0], ...lines.slice(2000, 4000)].join('\n')}\n`)
    await writeFile(twice, `${text}${lines.slice(1).join('\n')}\n`)
    for (const f of [first, second, first, twice]) await same(f, { symbol: 'OVL' }, '1d')
  })

  it('deletes only the rejected rows it staged: a commit naming a row it did not stage writes nothing', async () => {
    const store = new DuckDbStore(':memory:')
    await store.init()
    try {
      const inst = makeInstrument({ symbol: 'X', venue: 'T', assetClass: 'crypto' })
      const bars = series(inst.id, [0, 60_000, 120_000])
      const record = { source: 'x', fileHash: 'h', instrumentId: inst.id, timeframe: '1m', importedAt: 0 }
      const counts = { rowsRead: 3, rowsAccepted: 2, rowsQuarantined: 1 }
      const s = await store.stageImport(inst, bars, 'h')
      await assert.rejects(
        s.commit(
          { instrument: inst, bars: series(inst.id, [0, 60_000]), quarantine: [], record: { ...record, ...counts } },
          series(inst.id, [999_000]),
        ),
        (e: Error & { code?: string }) => e.code === 'INTERNAL' && /0 of 1 rejected rows deleted/.test(e.message),
      )
      assert.equal((await store.readBars(inst.id, '1m')).openTime.length, 0)
      assert.equal((await store.ingestions()).length, 0)
      const t = await store.stageImport(inst, bars, 'h')
      const done = await t.commit(
        { instrument: inst, bars: series(inst.id, [0, 120_000]), quarantine: [], record: { ...record, ...counts } },
        series(inst.id, [60_000]),
      )
      assert.deepEqual(done, { skipped: false, inserted: 2, dataVersion: 1 })
      assert.deepEqual([...(await store.readBars(inst.id, '1m')).openTime], [0, 120_000])
      const u = await store.stageImport(inst, series(inst.id, [180_000]), 'h2')
      await u.abort()
      assert.deepEqual([...(await store.readBars(inst.id, '1m')).openTime], [0, 120_000])
      assert.equal(await store.writeBars(series(inst.id, [240_000])), 1) // the write queue was released
    } finally {
      await store.close()
    }
  })
})

function series(id: string, times: number[]): BarSeries {
  const s = allocBarSeries(id, '1m', times.length)
  times.forEach((t, i) => {
    s.openTime[i] = t
    s.closeTime[i] = t + 60_000
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = 10 + i
    s.volume[i] = 5
  })
  return s
}
