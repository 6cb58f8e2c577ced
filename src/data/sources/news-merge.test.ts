import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { NewsItem, NewsQuery, NewsSource } from '../../core/index.ts'
import { asCatalystSource } from './as-catalyst-source.ts'
import { mergeNews } from './news-merge.ts'

async function* of(items: NewsItem[]): AsyncIterable<NewsItem> {
  yield* items
}
const it_ = (id: string, time: number, source = 's'): NewsItem => ({ id, time, symbols: [], headline: id, source })

describe('merging news from several requests', () => {
  it('keeps the first of each source and id, sorted by time, stable among equal times', async () => {
    const got = await mergeNews([of([it_('b', 2), it_('a', 1)]), of([it_('a', 1), it_('c', 2), it_('a', 5, 'other')])])
    assert.deepEqual(
      got.map((i) => `${i.source}/${i.id}@${i.time}`),
      ['s/a@1', 's/b@2', 's/c@2', 'other/a@5'],
    )
  })

  it('a news source wraps as a named feed that passes the range and symbols on', async () => {
    const seen: NewsQuery[] = []
    const src: NewsSource = {
      news: (q) => {
        seen.push(q)
        return of([it_('x', q.from)])
      },
    }
    const feed = asCatalystSource(src, 'wire', ['AAPL'])
    const out: NewsItem[] = []
    for await (const i of feed.read(10, 20)) out.push(i)
    assert.equal(feed.name, 'wire')
    assert.deepEqual(seen, [{ from: 10, to: 20, symbols: ['AAPL'] }])
    assert.equal(out[0]!.id, 'x')
  })
})
