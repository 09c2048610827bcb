import { describe, expect, it } from 'vitest';
import { linkDomain, normalizeText, splitHashtag, tokenize } from './normalize';

describe('tokenize', () => {
  it('keeps a link as its domain only', () => {
    expect(tokenize('https://www.binance.com/en/trade?ref=123')).toEqual([{ kind: 'domain', text: 'binance.com' }]);
    expect(linkDomain('t.me/somechannel/42')).toBe('t.me');
  });

  it('drops @mentions and splits hashtags', () => {
    expect(normalizeText('Thanks @crypto_guru! #CryptoNews #travel_tips')).toBe('thanks crypto news travel tips');
    expect(splitHashtag('BTC2024')).toBe('BTC 2024');
  });

  it('keeps emoji as tokens and turns numbers into shapes', () => {
    const tokens = tokenize('⚽️ 3:1 for $70,000 👍🏽');
    expect(tokens.map((token) => token.text)).toEqual(['⚽', '<num1>', '<num1>', 'for', '$', '<num5>', '👍']);
  });

  it('folds case, diacritics and Arabic-script variants', () => {
    expect(normalizeText('Política ЁЛКА')).toBe('politica елка');
    expect(normalizeText('كيف')).toBe(normalizeText('کیف'));
  });

  it('copes with mixed scripts in one post', () => {
    const words = tokenize('Bitcoin и эфир: new ATH 🚀').filter((token) => token.kind === 'word');
    expect(words.map((token) => token.text)).toEqual(['bitcoin', 'и', 'эфир', 'new', 'ath']);
  });

  it('returns no tokens for an empty or whitespace post', () => {
    expect(tokenize('   \n ')).toEqual([]);
  });
});
