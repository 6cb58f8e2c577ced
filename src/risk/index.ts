/** Kestrel risk layer: the RiskEngine seam and its implementations. */
export * from './types.ts'
export * from './pass-through.ts'
