/** Volatility estimators: close-to-close, EWMA, Parkinson, Garman-Klass, Rogers-Satchell, Yang-Zhang. */
export * from './estimators.ts'
export * from './ewma.ts'
