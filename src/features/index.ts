/** Kestrel features: indicators (batch + streaming), price action, volatility, labels, pipeline. */
export * from './indicators/types.ts'
