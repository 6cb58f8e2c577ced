/** Kestrel research: performance metrics, tearsheets, validation. Imports core (and engine types structurally). */
export * from './types.ts'
export * from './metrics/index.ts'
export * from './tearsheet/index.ts'
export * from './validation/index.ts'
