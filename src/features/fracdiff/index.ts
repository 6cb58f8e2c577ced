/** Fractional differentiation (fixed width), the ADF test (constant or none) with MacKinnon p-values and critical values, and the min-d search. */
export * from './fracdiff.ts'
export * from './adf.ts'
export * from './mackinnon.ts'
export * from './min-d.ts'
