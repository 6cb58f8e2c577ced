/** Rolling statistics: SUM, VAR/STDDEV, AVGDEV, linear regression, CORREL, BETA, window extremes (MIN/MAX/MIDPOINT...). */
export * from './beta.ts'
export * from './correl.ts'
export * from './extreme.ts'
export * from './linearreg.ts'
export * from './minmax.ts'
export * from './sum.ts'
export * from './var.ts'
export * from './avgdev.ts'
