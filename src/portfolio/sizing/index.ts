/** Position sizing and stop placement. */
export * from './kelly.ts'
export * from './fixed.ts'
export * from './vol-target.ts'
export * from './stops.ts'
export * from './optimal-f.ts'
