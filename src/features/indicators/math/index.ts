/** Math transforms and operators (TA-Lib's math groups). */
export * from './math.ts'
