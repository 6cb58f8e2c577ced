/** The feature pipeline: YAML spec → dependency graph → batch or streaming computation → Parquet cache. */
export * from './expr.ts'
export * from './kind.ts'
export * from './spec.ts'
export * from './graph.ts'
export * from './compute.ts'
export * from './cache.ts'
