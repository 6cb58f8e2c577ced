/** Kestrel strategy layer: the Strategy API, the order factory and the built-in strategies. */
export * from './types.ts'
export * from './define.ts'
export * from './params-info.ts'
export * from './order-factory.ts'
export * from './builtin/index.ts'
export * from './scanners/index.ts'
