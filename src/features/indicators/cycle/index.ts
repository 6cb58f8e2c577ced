/** Ehlers' cycle indicators (HT_*), on TA-Lib's Hilbert transform. */
export * from './hilbert.ts'
export * from './ht.ts'
