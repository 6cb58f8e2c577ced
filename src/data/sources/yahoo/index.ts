/** Yahoo Finance fundamentals (quoteSummary); bars are in ../yahoo.ts. */
export * from './fundamentals.ts'
