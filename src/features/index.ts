/** Kestrel features: indicators (batch + streaming), price action, volatility, labels, pipeline. */
export * from './indicators/index.ts'
export * from './volatility/index.ts'
export * from './price-action/index.ts'
export * from './fracdiff/index.ts'
export * from './labels/index.ts'
export * from './microstructure/index.ts'
export * from './levels/index.ts'
export * from './regimes/index.ts'
