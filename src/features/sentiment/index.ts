/** News sentiment: VADER lexicon scores and the bar-aligned decayed-mean feature. */
export * from './vader.ts'
export * from './news-sentiment.ts'
