/** VaR and expected shortfall: of a return series and of a whole book. */
export * from './var.ts'
export * from './book.ts'
