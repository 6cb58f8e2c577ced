/** File sources of catalyst items: JSON-lines news. */
export * from './jsonl-news.ts'
