/** Benzinga: news, analyst ratings, the economic calendar, and blackout windows around releases. */
export * from './client.ts'
export * from './news.ts'
export * from './ratings.ts'
export * from './economics.ts'
export * from './blackout.ts'
