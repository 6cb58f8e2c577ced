/** Microstructure from bars: Kyle's lambda, Amihud, Roll spread, Corwin-Schultz spread, VPIN (BVC). */
export * from './liquidity.ts'
export * from './corwin-schultz.ts'
export * from './vpin.ts'
