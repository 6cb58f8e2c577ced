/** Price transforms: AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE, BOP. */
export * from './price.ts'
