/** Volume: OBV, Chaikin A/D and ADOSC, MFI, session-anchored VWAP. */
export * from './ad.ts'
export * from './mfi.ts'
export * from './obv.ts'
export * from './vwap.ts'
