/** Support and resistance: fractal pivots, KDE levels, distance to the nearest level, level heat map. */
export * from './pivots.ts'
export * from './kde.ts'
export * from './support-resistance.ts'
