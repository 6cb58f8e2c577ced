/** Stress tests: hypothetical shocks and historical replays on the current book. */
export * from './stress.ts'
