/**
 * Scanners in three layers: layer 1 over each instrument's bars (unusual volume, breakout, momentum shift),
 * layer 1.5 the universe filter that ranks the flagged instruments into a shortlist, layer 2 the catalyst
 * orchestrator (news, sector rotation, correlation breaks) publishing on `alert.scanner.<name>`; and the bridge
 * from alerts to batched feature requests.
 */
export * from './types.ts'
export * from './unusual-volume.ts'
export * from './breakout.ts'
export * from './momentum-shift.ts'
export * from './universe-filter.ts'
export * from './catalyst.ts'
export * from './intermarket.ts'
export * from './feature-queue.ts'
export * from './positioning.ts'
