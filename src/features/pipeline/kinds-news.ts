/**
 * Pipeline kinds over news: `sentiment(halfLifeHours)` reads the scored news of the instrument being
 * computed (`ComputeOptions.news`) and gives, per bar, the decayed mean score of items published up to the
 * bar's close, the items in the bar, and their decayed weight. No look-ahead: see NewsSentiment.
 */
import { KestrelError, MS } from '../../core/index.ts'
import { NewsSentiment } from '../sentiment/index.ts'
import { multiKind, type FeatureKind } from './kind.ts'

/** The news kinds, registered with the built-in kinds. */
export const NEWS_KINDS: readonly FeatureKind[] = [
  multiKind({
    name: 'sentiment',
    description:
      'news sentiment (VADER compound unless items carry a score): exponentially decayed mean of items published up to the bar close, items in the bar, decayed weight',
    bar: ['time', 'closeTime'],
    series: [],
    params: [{ name: 'halfLifeHours', default: 24, min: Number.MIN_VALUE }],
    outputs: ['score', 'count', 'weight'],
    make: (p, ctx) => {
      if (!ctx.news)
        throw new KestrelError(
          'SPEC_INVALID',
          'sentiment(): needs the news of the instrument (ComputeOptions.news); none was given',
          {},
        )
      const s = new NewsSentiment(ctx.news, p[0]! * MS.hour)
      return (x) => s.update(x[0]!, x[1]!)
    },
  }),
]
