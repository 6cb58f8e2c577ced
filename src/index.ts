/**
 * Kestrel's public API: what a user's strategy, script or notebook imports from `kestrel`.
 * Each layer exports a small surface through its own `index.ts`.
 */
export * from './core/index.ts'
export * from './research/index.ts'
export * from './strategy/index.ts'
export * from './engine/index.ts'
export * from './data/index.ts'
export * from './features/index.ts'
export * from './portfolio/index.ts'
export * from './risk/index.ts'
export * from './execution/index.ts'

// Both core (sample variance) and the TA-Lib VAR kernel are named `variance`: the root exports core's.
export { variance } from './core/index.ts'

// Strategy parameters are zod schemas: re-exported so a strategy file needs no zod of its own.
export { z } from 'zod'
