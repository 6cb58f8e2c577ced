/** Volatility and bands: ATR/NATR/TRANGE, Bollinger and acceleration bands, Keltner and Donchian channels. */
export * from './atr.ts'
export * from './bbands.ts'
export * from './donchian.ts'
export * from './keltner.ts'
export * from './accbands.ts'
