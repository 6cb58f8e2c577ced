import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKestrelError } from '../../../core/index.ts'
import type { InsiderTransaction, OptionsFlowRecord } from '../../../core/index.ts'
import { JsonlInsiderSource, JsonlOptionsFlowSource, parseInsiderLines, parseOptionsFlowLines } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'kestrel-flow-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const flow = (o: Record<string, unknown>) =>
  JSON.stringify({
    time: '2024-03-01T15:00:00Z',
    symbol: 'ibm',
    right: 'call',
    strike: 190,
    expiry: '2024-03-15',
    premium: 412000,
    volume: 2400,
    openInterest: 800,
    side: 'sweep',
    ...o,
  })

describe('options-flow files', () => {
  it('reads good lines in time order, quarantines each bad one with its file, line, field and raw text', () => {
    const text = [
      '# prints',
      flow({ time: '2024-03-01T15:30:00Z' }),
      flow({ id: 'own', time: 1709305200000, right: 'put', side: 'block' }),
      flow({ right: 'C' }),
      flow({ strike: 0 }),
      flow({ expiry: '2024-02-30' }),
      flow({ volume: 1.5 }),
      flow({ premium: -1 }),
      flow({ side: 'split' }),
      flow({ extra: 1 }),
      '{"time": ',
      '[1]',
      flow({ id: 'own' }),
      '',
    ].join('\n')
    const f = parseOptionsFlowLines(text, 'flow.jsonl')
    assert.deepEqual(f.records, [
      {
        id: 'own',
        time: Date.UTC(2024, 2, 1, 15),
        symbol: 'IBM',
        right: 'put',
        strike: 190,
        expiry: Date.UTC(2024, 2, 15),
        premium: 412000,
        volume: 2400,
        openInterest: 800,
        side: 'block',
      },
      {
        id: 'flow.jsonl:2',
        time: Date.UTC(2024, 2, 1, 15, 30),
        symbol: 'IBM',
        right: 'call',
        strike: 190,
        expiry: Date.UTC(2024, 2, 15),
        premium: 412000,
        volume: 2400,
        openInterest: 800,
        side: 'sweep',
      },
    ] satisfies OptionsFlowRecord[])
    assert.deepEqual(
      f.quarantine.map((q) => [q.line, q.reason, q.field ?? null]),
      [
        [4, 'BAD_FIELD', 'right'],
        [5, 'BAD_FIELD', 'strike'],
        [6, 'BAD_FIELD', 'expiry'],
        [7, 'BAD_FIELD', 'volume'],
        [8, 'BAD_FIELD', 'premium'],
        [9, 'BAD_FIELD', 'side'],
        [10, 'UNKNOWN_KEY', 'extra'],
        [11, 'NOT_JSON', null],
        [12, 'NOT_OBJECT', null],
        [13, 'DUPLICATE_ID', 'id'],
      ],
    )
    for (const q of f.quarantine) {
      assert.equal(q.source, 'flow.jsonl')
      assert.match(q.message, new RegExp(`^flow\\.jsonl line ${q.line}: `))
      assert.equal(q.raw, text.split('\n')[q.line! - 1])
    }
    assert.match(f.quarantine[0]!.message, /right: expected one of call, put, got "C"/)
    assert.match(f.quarantine[9]!.message, /duplicate id "own" \(first on line 3\)/)
  })

  it('a source yields [from, to) and exposes the quarantine after the read; a missing file is FILE_NOT_FOUND', async () => {
    const p = join(dir, 'f.jsonl')
    writeFileSync(p, [flow({ time: 1000 }), flow({ time: 2000 }), flow({ time: 3000 }), 'nope'].join('\n'))
    const src = new JsonlOptionsFlowSource(p)
    assert.equal(src.name, 'f.jsonl')
    const got: number[] = []
    for await (const r of src.read(2000, 3000)) got.push(r.time)
    assert.deepEqual(got, [2000])
    assert.deepEqual(
      src.quarantine.map((q) => [q.source, q.line, q.reason]),
      [[p, 4, 'NOT_JSON']],
    )
    await assert.rejects(
      async () => {
        for await (const _ of new JsonlOptionsFlowSource(join(dir, 'none.jsonl')).read(0, 1));
      },
      (e) => isKestrelError(e, 'FILE_NOT_FOUND'),
    )
  })
})

describe('insider-transaction files', () => {
  it('reads Form-4-like lines and quarantines a bad code, a non-positive share count and a missing insider', async () => {
    const line = (o: Record<string, unknown>) =>
      JSON.stringify({
        time: '2024-03-04T21:15:00Z',
        symbol: 'bac',
        insider: 'Jane Roe',
        role: 'Director',
        code: 'P',
        shares: 10000,
        price: 29.1,
        ...o,
      })
    const p = join(dir, 'ins.jsonl')
    writeFileSync(p, [line({}), line({ code: 'A' }), line({ shares: 0 }), line({ insider: ' ' })].join('\n'))
    const src = new JsonlInsiderSource(p)
    const got: InsiderTransaction[] = []
    for await (const r of src.read(0, Date.UTC(2030, 0, 1))) got.push(r)
    assert.deepEqual(got, [
      {
        id: 'ins.jsonl:1',
        time: Date.UTC(2024, 2, 4, 21, 15),
        symbol: 'BAC',
        insider: 'Jane Roe',
        role: 'Director',
        code: 'P',
        shares: 10000,
        price: 29.1,
      },
    ])
    assert.deepEqual(
      src.quarantine.map((q) => [q.line, q.field]),
      [
        [2, 'code'],
        [3, 'shares'],
        [4, 'insider'],
      ],
    )
    assert.deepEqual(parseInsiderLines('', 'e.jsonl'), { records: [], quarantine: [] })
  })
})
