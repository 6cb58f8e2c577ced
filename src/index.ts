/**
 * Kestrel's public API: what a user's strategy, script or notebook imports from `kestrel`.
 * Each layer exports a small surface through its own `index.ts`.
 */
export * from './core/index.ts'
export * from './research/index.ts'
export * from './strategy/index.ts'
export * from './engine/index.ts'
export * from './risk/index.ts'
