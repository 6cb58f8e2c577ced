/** Regimes: Gaussian HMM (Baum-Welch, Viterbi, online filter), volatility and trend labels, CUSUM events. */
export * from './hmm.ts'
export * from './regime-labels.ts'
export * from './cusum.ts'
