/**
 * Lexicon sentiment with VADER (Valence Aware Dictionary and sEntiment Reasoner; Hutto & Gilbert, ICWSM
 * 2014). Each word of a ~7,500-entry lexicon carries a human-rated valence in [-4, 4]; rules then adjust it
 * for booster words ("very"), ALL-CAPS emphasis, exclamation marks, negation within three words ("not
 * good"), and contrast ("but" down-weights what comes before it and up-weights what follows). Emoticons and
 * slang are in the lexicon. The summed valence s is normalised to `compound = s / sqrt(s² + 15)` in (-1, 1);
 * `pos`, `neu`, `neg` are the shares of the text that are positive, neutral, negative. Common reading:
 * compound ≥ 0.05 positive, ≤ -0.05 negative, else neutral.
 *
 * The scorer is the `vader-sentiment` package (vaderSentiment-js, Apache-2.0, Comcast), a port of the
 * reference VADER (MIT); its lexicon ships with it. It is tuned on social-media text, so financial jargon
 * ("beats", "misses", "short") is scored by its general meaning or not at all.
 */
import { createRequire } from 'node:module'
import type { NewsItem } from '../../core/index.ts'

/** VADER's four scores of one text. */
export interface VaderScores {
  readonly neg: number
  readonly neu: number
  readonly pos: number
  /** Normalised sum of valences in (-1, 1). */
  readonly compound: number
}

interface VaderModule {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderScores }
}

let vader: VaderModule | undefined

/** VADER's scores of `text` (loaded on first use). */
export function vaderScores(text: string): VaderScores {
  vader ??= createRequire(import.meta.url)('vader-sentiment') as VaderModule
  const s = vader.SentimentIntensityAnalyzer.polarity_scores(text)
  return { neg: s.neg, neu: s.neu, pos: s.pos, compound: s.compound }
}

/** VADER's compound score of `text`, in (-1, 1); 0 for text without sentiment words. */
export function vaderCompound(text: string): number {
  return vaderScores(text).compound
}

/**
 * The sentiment of a news item: the score it carries when it has one (a provider's, or one computed
 * before), else VADER's compound of its headline (headlines are short and written to be read alone; bodies
 * are often HTML and boilerplate).
 */
export function newsSentiment(item: NewsItem): number {
  return item.sentiment !== undefined && Number.isFinite(item.sentiment) ? item.sentiment : vaderCompound(item.headline)
}
