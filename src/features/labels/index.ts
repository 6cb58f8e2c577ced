/** Labels: triple barrier (with meta-labels), fixed horizon, and AFML sample weights. Labels look forward by design. */
export * from './triple-barrier.ts'
export * from './weights.ts'
