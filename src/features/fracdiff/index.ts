/** Fractional differentiation (fixed width), the ADF test with MacKinnon p-values, and the min-d search. */
export * from './fracdiff.ts'
export * from './adf.ts'
export * from './min-d.ts'
