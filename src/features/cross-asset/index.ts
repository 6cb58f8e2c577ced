/** Cross-asset features: rolling correlation, beta, relative strength, sector momentum. */
export * from './cross-asset.ts'
