/** Merges news from several requests (one per symbol, say): one item per source and id, oldest first. */
import type { NewsItem } from '../../core/index.ts'

/** Drains the iterables, keeps the first item of each `source`+`id`, and sorts by time (stable). */
export async function mergeNews(parts: readonly AsyncIterable<NewsItem>[]): Promise<NewsItem[]> {
  const seen = new Set<string>()
  const out: NewsItem[] = []
  for (const p of parts) {
    for await (const it of p) {
      const k = `${it.source}\u0000${it.id}`
      if (seen.has(k)) continue
      seen.add(k)
      out.push(it)
    }
  }
  return out.sort((a, b) => a.time - b.time)
}
