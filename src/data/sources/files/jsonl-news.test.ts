import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { isKestrelError } from '../../../core/index.ts'
import type { NewsItem } from '../../../core/index.ts'
import { JsonlNewsSource, NewsFileError, parseNewsLines } from './index.ts'

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const dir = mkdtempSync(join(tmpdir(), 'kestrel-news-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const GOOD = [
  '{"id":"a","time":"2024-05-03T14:00:00Z","symbols":["msft","AAPL"],"headline":"Tech rally","sentiment":0.4}',
  '',
  '{"id":"b","time":1714681800000,"symbols":["AAPL"],"headline":"Apple beats","body":"EPS 1.53","url":"https://example.invalid/b","source":"wire"}',
  '{"id":"c","time":"2024-05-06T09:15:00+02:00","symbols":[],"headline":"Markets open mixed"}',
].join('\n')

describe('JSON-lines news files', () => {
  it('reads every item, upper-cases symbols, fills the source from the file name, and yields oldest first', async () => {
    const p = join(dir, 'good.jsonl')
    writeFileSync(p, GOOD)
    const items = await drain(new JsonlNewsSource(p).news({ from: 0, to: Date.UTC(2030, 0, 1) }))
    assert.deepEqual(items, [
      {
        id: 'b',
        time: 1714681800000,
        symbols: ['AAPL'],
        headline: 'Apple beats',
        body: 'EPS 1.53',
        url: 'https://example.invalid/b',
        source: 'wire',
      },
      {
        id: 'a',
        time: Date.parse('2024-05-03T14:00:00Z'),
        symbols: ['MSFT', 'AAPL'],
        headline: 'Tech rally',
        source: 'good.jsonl',
        sentiment: 0.4,
      },
      {
        id: 'c',
        time: Date.parse('2024-05-06T07:15:00Z'),
        symbols: [],
        headline: 'Markets open mixed',
        source: 'good.jsonl',
      },
    ] satisfies NewsItem[])
  })

  it('filters by symbol and by [from, to)', async () => {
    const p = join(dir, 'good2.jsonl')
    writeFileSync(p, GOOD)
    const src = new JsonlNewsSource(p)
    const msft = await drain(src.news({ symbols: ['msft'], from: 0, to: Date.UTC(2030, 0, 1) }))
    assert.deepEqual(
      msft.map((i) => i.id),
      ['a'],
    )
    const cut = await drain(src.news({ from: 1714681800000, to: Date.parse('2024-05-03T14:00:00Z') }))
    assert.deepEqual(
      cut.map((i) => i.id),
      ['b'],
    )
  })

  const bad: [string, RegExp][] = [
    ['{"id":"x","time":1,"symbols":[],"headline":"h"', /not JSON/],
    ['[1,2]', /expected a JSON object/],
    ['{"id":"x","time":1,"symbols":[],"headline":"h","extra":1}', /unknown key "extra"/],
    [
      '{"id":"x","time":"2024-05-03 14:00","symbols":[],"headline":"h"}',
      /time must be epoch ms, an ISO-8601 time with a zone or a date/,
    ],
    ['{"id":"x","time":"2024-05-03T14:00:00","symbols":[],"headline":"h"}', /time must be/],
    ['{"id":"x","time":1.5,"symbols":[],"headline":"h"}', /time must be/],
    ['{"id":"x","time":1,"symbols":"AAPL","headline":"h"}', /symbols must be an array/],
    ['{"id":"x","time":1,"symbols":[""],"headline":"h"}', /symbols must be an array of non-empty strings/],
    ['{"id":"","time":1,"symbols":[],"headline":"h"}', /id must be a non-empty string/],
    ['{"id":"x","time":1,"symbols":[]}', /headline must be a non-empty string/],
    ['{"id":"x","time":1,"symbols":[],"headline":"h","sentiment":2}', /sentiment must be a number in \[-1, 1\]/],
    ['{"time":"2024-02-30","symbols":[],"headline":"h"}', /time must be/],
    ['{"id":7,"time":1,"symbols":[],"headline":"h"}', /id must be a non-empty string/],
  ]
  for (const [line, why] of bad) {
    it(`rejects ${line.slice(0, 60)} with the file and line`, () => {
      assert.throws(
        () => parseNewsLines(`${GOOD}\n${line}\n`, 'feed.jsonl'),
        (e) => {
          assert.ok(e instanceof NewsFileError)
          assert.ok(isKestrelError(e, 'DATA_BAD_ROW'))
          assert.equal(e.file, 'feed.jsonl')
          assert.equal(e.line, 5)
          assert.match(e.message, /^feed\.jsonl line 5: /)
          assert.match(e.message, why)
          return true
        },
      )
    })
  }

  it('reads a file without ids as a catalyst source: comments skipped, ids from file name and line, by time', async () => {
    const f = join(dir, 'news.jsonl')
    writeFileSync(
      f,
      [
        '{"time":"2024-01-02T15:00:00Z","symbols":["AAA"],"headline":"later","sentiment":0.2}',
        '# a comment',
        '',
        '{"time":"2024-01-02T14:40:00Z","symbols":["BBB"],"headline":"earlier","source":"wire"}',
        '{"id":"own","time":"2024-01-02","symbols":["CCC"],"headline":"midnight"}',
      ].join('\n'),
    )
    const src = new JsonlNewsSource(f)
    assert.equal(src.name, f)
    const got: NewsItem[] = []
    const t0 = Date.UTC(2024, 0, 2, 14, 30)
    for await (const i of src.read(t0, t0 + 3_600_000)) got.push(i)
    assert.deepEqual(
      got.map((i) => [i.id, i.headline, i.source, i.sentiment]),
      [
        ['news.jsonl:4', 'earlier', 'wire', undefined],
        ['news.jsonl:1', 'later', 'news.jsonl', 0.2],
      ],
    )
    const all = await drain(src.read(0, Date.UTC(2030, 0, 1)))
    assert.deepEqual(
      all.map((i) => [i.id, i.time]),
      [
        ['own', Date.UTC(2024, 0, 2)],
        ['news.jsonl:4', Date.UTC(2024, 0, 2, 14, 40)],
        ['news.jsonl:1', Date.UTC(2024, 0, 2, 15)],
      ],
    )
  })

  it('gives a line without an id the same id wherever the file is read from', () => {
    const line = '{"time":1,"symbols":["A"],"headline":"h"}'
    assert.equal(parseNewsLines(`\n${line}`, '/a/b/feed.jsonl')[0]!.id, 'feed.jsonl:2')
    assert.equal(parseNewsLines(`\n${line}`, 'feed.jsonl')[0]!.id, 'feed.jsonl:2')
  })

  it('names the line of a bad time and of a sentiment out of range', () => {
    assert.throws(
      () =>
        parseNewsLines('{"time":"2024-01-02","symbols":["A"],"headline":"h"}\n{"time":"x","symbols":[]}', 'n.jsonl'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && /^n\.jsonl line 2: time/.test(e.message),
    )
    assert.throws(
      () => parseNewsLines('{"time":"2024-01-02","symbols":["A"],"headline":"h","sentiment":3}', 'n.jsonl'),
      (e) => isKestrelError(e, 'DATA_BAD_ROW') && /line 1: sentiment/.test(e.message),
    )
  })

  it('rejects an explicit id that repeats a derived one', () => {
    assert.throws(
      () =>
        parseNewsLines(
          '{"time":1,"symbols":[],"headline":"h"}\n{"id":"f.jsonl:1","time":2,"symbols":[],"headline":"h"}',
          'f.jsonl',
        ),
      /f\.jsonl line 2: duplicate id "f\.jsonl:1" \(first on line 1\)/,
    )
  })

  it('rejects a duplicate id naming both lines', () => {
    assert.throws(
      () => parseNewsLines(`${GOOD}\n${GOOD.split('\n')[0]}`, 'f.jsonl'),
      /f\.jsonl line 5: duplicate id "a" \(first on line 1\)/,
    )
  })

  it('hands out nothing from a file with a bad line, even items before it', async () => {
    const p = join(dir, 'bad.jsonl')
    writeFileSync(p, `${GOOD}\nnot json\n`)
    const got: NewsItem[] = []
    await assert.rejects(async () => {
      for await (const it of new JsonlNewsSource(p).news({ from: 0, to: Date.UTC(2030, 0, 1) })) got.push(it)
    }, NewsFileError)
    assert.equal(got.length, 0)
  })

  it('says FILE_NOT_FOUND for a missing file', async () => {
    await assert.rejects(drain(new JsonlNewsSource(join(dir, 'none.jsonl')).news({ from: 0, to: 1 })), (e) =>
      isKestrelError(e, 'FILE_NOT_FOUND'),
    )
  })

  it('round-trips any valid item written as a line (property)', () => {
    const item = fc.record({
      id: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      time: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      symbols: fc.array(fc.stringMatching(/^[A-Z]{1,5}$/), { maxLength: 3 }),
      headline: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      source: fc.constantFrom('wire', 'desk'),
      sentiment: fc.double({ min: -1, max: 1, noNaN: true }).map((x) => (x === 0 ? 0 : x)), // JSON has no -0
    })
    fc.assert(
      fc.property(fc.uniqueArray(item, { selector: (i) => `${i.source}/${i.id}`, maxLength: 8 }), (items) => {
        const text = items.map((i) => JSON.stringify(i)).join('\n')
        assert.deepEqual(
          parseNewsLines(text, 'p.jsonl'),
          items.map((i) => ({ ...i })),
        )
      }),
      { seed: 20261203, numRuns: 200 },
    )
  })
})
