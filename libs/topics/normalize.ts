/**
 * Turns a raw channel post into tokens for the classifier.
 *
 * Telegram posts are noisy: emoji, links, hashtags, @mentions, prices and mixed scripts. The rules:
 * - links keep only their domain as one token (`binance.com`; `www.` dropped) because the rest of a
 *   URL is tracking noise, but the domain says a lot about the topic;
 * - @mentions are dropped (they name people or channels, not topics);
 * - hashtags are split: `#CryptoNews` → `crypto news`, `#travel_tips` → `travel tips`;
 * - emoji stay, one token each, without skin tones or variation selectors (⚽, 🍝, 💰 are topical);
 * - numbers become a shape token (`<num2>` for two digits …) so prices and years generalise;
 * - letters are case-folded, Latin/Cyrillic diacritics folded (política → politica, ё → е), and
 *   Arabic-script variants unified (ي/ى → ی, ك → ک) so Arabic and Persian spellings meet.
 */

export type TokenKind = 'word' | 'domain' | 'emoji' | 'number' | 'symbol';

export interface Token {
  kind: TokenKind;
  text: string;
}

const URL_PATTERN =
  /\b(?:https?:\/\/|www\.)[^\s<>"']+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|ru|ua|me|ai|app|dev|co|uk|de|it|es|fr|ir|uz|br|pt|info|biz|xyz|tv|gg|ly|su|kz|by)(?:\/[^\s<>"']*)?/giu;
const MENTION_PATTERN = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]{2,}/gu;
const HASHTAG_PATTERN = /#([\p{L}\p{N}_]+)/gu;
const EMOJI_PATTERN = /\p{Extended_Pictographic}/u;
// Splits letters/marks/digits runs, emoji and a few topical symbols; everything else separates.
const TOKEN_PATTERN = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|\p{N}+(?:[.,]\p{N}+)*|\p{Extended_Pictographic}|[$€£₽₴¥₿%+]/gu;
// Variation selectors, zero-width joiners and skin tones: an emoji is the same emoji without them.
const EMOJI_MODIFIERS = /[\ufe0e\ufe0f\u200d\u{1f3fb}-\u{1f3ff}]/gu;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
const ARABIC_DIACRITICS = /[\u064b-\u065f\u0670\u0640]/g;

/** The host of a link, lower-cased, without `www.`; null when the text is not a link. */
export function linkDomain(link: string): string | null {
  const withoutScheme = link.replace(/^[a-z]+:\/\//i, '');
  const host = withoutScheme.split(/[/?#:]/, 1)[0]?.toLowerCase().replace(/^www\./, '') ?? '';
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
}

/** Splits `CryptoNews2024` into `Crypto News 2024` and `travel_tips` into `travel tips`. */
export function splitHashtag(tag: string): string {
  return tag
    .replace(/_/g, ' ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
}

/** Case, diacritics and script-variant folding for one word. */
export function foldWord(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_DIACRITICS, '')
    .normalize('NFC')
    .replace(ARABIC_DIACRITICS, '')
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[أإآ]/g, 'ا')
    .replace(/’/g, "'");
}

function numberShape(digits: string): string {
  const length = digits.replace(/[.,]/g, '').length;
  return `<num${Math.min(length, 5)}>`;
}

/**
 * Tokenises a post. Deterministic and total: any string (empty, emoji-only, link-only) gives a
 * (possibly empty) token list.
 */
export function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  let text = raw.normalize('NFKC').replace(EMOJI_MODIFIERS, '');
  text = text.replace(URL_PATTERN, (link) => {
    const domain = linkDomain(link);
    if (domain) tokens.push({ kind: 'domain', text: domain });
    return ' ';
  });
  text = text.replace(MENTION_PATTERN, '$1 ');
  text = text.replace(HASHTAG_PATTERN, (_match, tag: string) => ` ${splitHashtag(tag)} `);
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const piece = match[0];
    if (EMOJI_PATTERN.test(piece)) tokens.push({ kind: 'emoji', text: piece });
    else if (/^\p{N}/u.test(piece)) tokens.push({ kind: 'number', text: numberShape(piece) });
    else if (/^[\p{L}\p{M}]/u.test(piece)) tokens.push({ kind: 'word', text: foldWord(piece) });
    else tokens.push({ kind: 'symbol', text: piece });
  }
  return tokens;
}

/** The post as plain normalised text (words, domains, emoji), e.g. for language identification. */
export function normalizeText(raw: string): string {
  return tokenize(raw)
    .map((token) => token.text)
    .join(' ');
}

/** Only the words, with original letters, for language identification (no emoji, links, numbers). */
export function languageText(raw: string): string {
  let text = raw.normalize('NFKC').replace(URL_PATTERN, ' ').replace(MENTION_PATTERN, '$1 ');
  text = text.replace(HASHTAG_PATTERN, (_match, tag: string) => ` ${splitHashtag(tag)} `);
  const words = text.match(/[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu) ?? [];
  return words.join(' ');
}
