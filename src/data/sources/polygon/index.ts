/** Polygon.io: news, aggregates (bars) and upcoming market holidays. */
export * from './client.ts'
export * from './news.ts'
export * from './aggs.ts'
export * from './market-status.ts'
