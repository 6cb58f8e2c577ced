/** File sources of catalyst items: JSON-lines news, options flow and insider transactions. */
export * from './jsonl-news.ts'
export * from './jsonl-records.ts'
export * from './options-flow.ts'
export * from './insider.ts'
