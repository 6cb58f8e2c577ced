import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { runCliCaptured } from '../testing.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-scan-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const example = resolve(new URL('../../../examples/scan.yaml', import.meta.url).pathname)
const bundled = resolve(new URL('../../../data/bundled', import.meta.url).pathname)
const run = (argv: string[]) => runCliCaptured(argv, { env: { ...process.env, CI: '1' } })

interface JsonAlert {
  time: string
  instrumentId: string
  scanner: string
  score: number
  details: Record<string, unknown>
}

describe('kestrel scan', () => {
  it('--json: the alerts of each layer of the example, sorted by time then score', async () => {
    const r = await run(['scan', '--config', example, '--json'])
    assert.equal(r.code, 0, r.err)
    const { catalystQuarantine, ...j } = JSON.parse(r.out) as Record<string, JsonAlert[]>
    assert.deepEqual(Object.keys(j), ['layer1', 'layer1_5', 'layer2'])
    assert.deepEqual(catalystQuarantine, [])
    for (const [layer, list] of Object.entries(j)) {
      assert.ok(list.length > 0, `${layer} is empty`)
      for (const a of list) {
        assert.deepEqual(Object.keys(a), ['time', 'instrumentId', 'scanner', 'score', 'details'])
        assert.match(a.time, /^2013-10-\d\dT\d\d:\d\d:\d\dZ$/)
        assert.ok(a.score >= 0 && a.score <= 1, `${layer} score ${a.score}`)
        assert.ok(['SPY.SIM', 'BAC.SIM', 'IBM.SIM'].includes(a.instrumentId))
      }
      for (let i = 1; i < list.length; i++) {
        const [p, q] = [list[i - 1]!, list[i]!]
        assert.ok(p.time < q.time || (p.time === q.time && p.score >= q.score), `${layer} out of order at ${i}`)
      }
    }
    const names = (l: JsonAlert[]) => [...new Set(l.map((a) => a.scanner))].sort()
    assert.deepEqual(names(j.layer1!), ['breakout', 'momentum-shift', 'unusual-volume'])
    assert.deepEqual(names(j.layer1_5!), ['universe'])
    assert.deepEqual(names(j.layer2!), [
      'correlation-break',
      'insider-cluster',
      'news',
      'options-flow',
      'sector-rotation',
    ])
    // the bundled prints: IBM's 420k call sweep (5200 / 2100 open interest, all of IBM's premium that day) and
    // BAC's 250k call block; the bundled filings: three BAC insiders buying 837,500 within ten days
    assert.deepEqual(
      j
        .layer2!.filter((a) => a.scanner === 'options-flow' || a.scanner === 'insider-cluster')
        .map((a) => [a.time, a.instrumentId, a.scanner, Number(a.score.toFixed(4))]),
      [
        ['2013-10-07T21:30:00Z', 'BAC.SIM', 'insider-cluster', 0.5641],
        ['2013-10-09T14:20:00Z', 'IBM.SIM', 'options-flow', 0.6952],
        ['2013-10-10T13:50:00Z', 'BAC.SIM', 'options-flow', 0.6425],
      ],
    )
    // one shortlist per UTC day boundary and at the end, ranked 1..n each
    const byTime = new Map<string, number[]>()
    for (const e of j.layer1_5!) byTime.set(e.time, [...(byTime.get(e.time) ?? []), e.details.rank as number])
    for (const ranks of byTime.values())
      assert.deepEqual(
        ranks,
        ranks.map((_, i) => i + 1),
      )
    assert.ok(byTime.has('2013-10-08T00:00:00Z'))
    // five items name six (item, instrument) pairs; the last item's sentiment 0.1 is below minAbsSentiment 0.2.
    // A news alert is never stamped before its item was published.
    const news = j.layer2!.filter((a) => a.scanner === 'news')
    assert.deepEqual(
      news.map((a) => [a.instrumentId, a.details.publishedAt]),
      [
        ['SPY.SIM', '2013-10-07T13:45:00Z'],
        ['BAC.SIM', '2013-10-08T14:00:00Z'],
        ['IBM.SIM', '2013-10-09T15:30:00Z'],
        ['SPY.SIM', '2013-10-10T13:35:00Z'],
        ['BAC.SIM', '2013-10-10T13:35:00Z'],
      ],
    )
    for (const a of news) assert.ok(a.time >= (a.details.publishedAt as string))
  })

  it('prints a table per layer for people', async () => {
    const r = await run(['scan', '--config', example])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^layer 1: bar scanners \(\d+ alerts\)\ntime +instrument +scanner +score +details\n/)
    assert.match(r.out, /\nlayer 1\.5: shortlist \(\d+ alerts\)\n/)
    assert.match(r.out, /\nlayer 2: catalysts and inter-market \(\d+ alerts\)\n/)
  })

  it('a config without scan:, a misspelt key or a bad catalyst line is an input error saying where', async () => {
    const none = join(dir, 'none.yaml')
    writeFileSync(none, 'logging: { level: info }\n')
    const r1 = await run(['scan', '--config', none])
    assert.equal(r1.code, 1)
    assert.match(r1.err, /no scan: section/)
    const typo = join(dir, 'typo.yaml')
    writeFileSync(typo, `scan:\n  data: [{ file: ${bundled}/SPY_1m.csv }]\n  layer1: { breakout: { lookbak: 5 } }\n`)
    const r2 = await run(['scan', '--config', typo])
    assert.equal(r2.code, 1)
    assert.match(r2.err, /scan\.layer1\.breakout/)
    const news = join(dir, 'bad.jsonl')
    writeFileSync(news, '{"time":"2013-10-07T14:00:00Z","symbols":["SPY"],"headline":"ok"}\n{"time":"2013-10-07"}\n')
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, `scan:\n  data: [{ file: ${bundled}/SPY_1m.csv }]\n  layer2: { catalysts: bad.jsonl }\n`)
    const r3 = await run(['scan', '--config', bad])
    assert.equal(r3.code, 1)
    assert.match(r3.err, /bad\.jsonl line 2: symbols/)
    const skew = join(dir, 'skew.yaml')
    writeFileSync(
      skew,
      `scan:\n  data: [{ file: ${bundled}/SPY_1m.csv }]\n  layer2: { optionsFlow: { file: f.jsonl, minSkew: 3 } }\n`,
    )
    const r4 = await run(['scan', '--config', skew])
    assert.equal(r4.code, 1)
    assert.match(r4.err, /scan\.layer2\.optionsFlow\.minSkew/)
    const missing = join(dir, 'missing.yaml')
    writeFileSync(
      missing,
      `scan:\n  data: [{ file: ${bundled}/IBM_1m.csv }]\n  layer2:\n    sectorRotation: { benchmark: SPY, sectors: { tech: [IBM] } }\n`,
    )
    const r5 = await run(['scan', '--config', missing])
    assert.equal(r5.code, 1)
    assert.match(
      r5.err,
      /error \[CONFIG_INVALID\]: scan\.layer2\.sectorRotation\.benchmark: no series for SPY in scan\.data; the universe has IBM\.SIM/,
    )
  })

  it('quarantines bad options-flow and insider lines, says so, and still scans the good ones', async () => {
    writeFileSync(
      join(dir, 'flow.jsonl'),
      [
        '{"time":"2013-10-09T14:20:00Z","symbol":"SPY","right":"call","strike":170,"expiry":"2013-10-19","premium":500000,"volume":900,"openInterest":300,"side":"sweep"}',
        '{"time":"2013-10-09T14:21:00Z","symbol":"SPY","right":"call","strike":170,"expiry":"2013-10-19","premium":"lots","volume":900,"openInterest":300,"side":"sweep"}',
      ].join('\n'),
    )
    writeFileSync(join(dir, 'ins.jsonl'), '{"time":"2013-10-08T21:00:00Z","symbol":"SPY","insider":"X"}\n')
    const cfg = join(dir, 'flow.yaml')
    writeFileSync(
      cfg,
      `scan:\n  data: [{ file: ${bundled}/SPY_1m.csv }]\n  layer2:\n    optionsFlow: { file: flow.jsonl }\n    insider: { file: ins.jsonl }\n`,
    )
    const r = await run(['scan', '--config', cfg, '--json'])
    assert.equal(r.code, 0, r.err)
    assert.match(r.err, /2 rows quarantined \(not used\): BAD_FIELD 2/)
    assert.match(r.err, /flow\.jsonl line 2: premium: expected a number ≥ 0, got "lots"/)
    assert.match(r.err, /ins\.jsonl line 1: role: expected a non-empty string/)
    const j = JSON.parse(r.out) as { layer2: JsonAlert[]; catalystQuarantine: { line: number; field: string }[] }
    assert.deepEqual(
      j.catalystQuarantine.map((q) => [q.line, q.field]),
      [
        [2, 'premium'],
        [1, 'role'],
      ],
    )
    assert.deepEqual(
      j.layer2.map((a) => [a.time, a.scanner, a.details.record]),
      [['2013-10-09T14:20:00Z', 'options-flow', 'flow.jsonl:1']],
    )
  })
})
