/** Session-aligned resampling of bars: batch over typed arrays and a streaming twin sharing one bucket function. */
export { resample } from './resample.ts'
export type { ResampledSeries, ResampleOptions, ResampleInput } from './resample.ts'
export { StreamingResampler } from './streaming-resampler.ts'
export type { ResampledBar, StreamingResampleOptions } from './streaming-resampler.ts'
export { SessionBucketer } from './session-bucketer.ts'
export type { CalendarLike } from './session-bucketer.ts'
export { ChunkedResampler } from './chunked-resampler.ts'
