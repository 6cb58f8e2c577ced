import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newsSentiment, vaderCompound, vaderScores } from './index.ts'

// Reference values: the examples and scores published in the VADER README (cjhutto/vaderSentiment).
describe('VADER lexicon sentiment', () => {
  it('scores the canonical example exactly', () => {
    assert.deepEqual(vaderScores('VADER is smart, handsome, and funny.'), {
      neg: 0,
      neu: 0.254,
      pos: 0.746,
      compound: 0.8316,
    })
  })

  const published: [string, string, number][] = [
    ['punctuation emphasis', 'VADER is smart, handsome, and funny!', 0.8439],
    ['capitals and a booster', 'VADER is VERY SMART, handsome, and FUNNY.', 0.9227],
    ['negation', 'VADER is not smart, handsome, nor funny.', -0.7424],
    [
      '"but" shifts the weight to what follows',
      'The plot was good, but the characters are uncompelling and the dialog is not great.',
      -0.7042,
    ],
    ['slang with capitals', 'Today SUX!', -0.5461],
    ['emoticons', 'Make sure you :) or :D today!', 0.8633],
  ]
  for (const [what, text, compound] of published) {
    it(`${what}: ${JSON.stringify(text)} → ${compound}`, () => {
      assert.equal(vaderCompound(text), compound)
    })
  }

  it('gives 0 to text without sentiment words', () => {
    assert.equal(vaderCompound('The company files its quarterly report.'), 0)
  })

  it('scores a news item by its own score when it has one, else by its headline', () => {
    const base = { id: '1', time: 0, symbols: [], source: 't' }
    assert.equal(newsSentiment({ ...base, headline: 'VADER is smart, handsome, and funny.' }), 0.8316)
    assert.equal(newsSentiment({ ...base, headline: 'VADER is smart, handsome, and funny.', sentiment: -0.2 }), -0.2)
  })
})
