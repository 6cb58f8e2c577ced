/** Alpaca: news and tradable assets (bars are in ../alpaca.ts). */
export * from './auth.ts'
export * from './news.ts'
export * from './assets.ts'
