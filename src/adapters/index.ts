/** Venue adapters: one folder per venue, each with its data client, execution client and local server. */
export * from './alpaca/index.ts'
