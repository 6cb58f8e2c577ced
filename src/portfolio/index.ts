/** Kestrel portfolio accounting: positions, P&L, cash and margin accounts, round-trip trades. */
export * from './position-tracker.ts'
export * from './reservations.ts'
export * from './portfolio.ts'
export * from './construction/index.ts'
export * from './sizing/index.ts'
