import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from './classifier';
import { DEFAULT_FEATURE_CONFIG, FEATURE_SEEDS, extractFeatures, hashString, type FeatureConfig, type SparseVector } from './features';
import { tokenize } from './normalize';

/**
 * The featuriser as first written: every n-gram a substring hashed on its own, counts in Maps. The
 * library hashes n-grams incrementally into reused tables; the features must be the same bit for bit,
 * or every trained model (the shipped one included) would change.
 */
function reference(text: string, config: FeatureConfig): SparseVector {
  const mask = (1 << config.hashBits) - 1;
  const add = (counts: Map<number, number>, bucket: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  const chars = new Map<number, number>();
  const words = new Map<number, number>();
  const prefixes = new Map<number, number>();
  const prefixLength = config.prefixLength ?? 0;
  let previous: string | null = null;
  for (const token of tokenize(text)) {
    if (token.kind !== 'word') {
      add(words, hashString(token.text, FEATURE_SEEDS.special) & mask);
      previous = token.kind === 'number' ? token.text : null;
      continue;
    }
    const word = token.text;
    add(words, hashString(word, FEATURE_SEEDS.word) & mask);
    if (config.wordNgrams >= 2 && previous !== null) add(words, hashString(`${previous} ${word}`, FEATURE_SEEDS.bigram) & mask);
    previous = word;
    const marked = `\u0002${word}\u0003`;
    const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(word);
    if (prefixLength > 0 && !unspaced) add(prefixes, hashString(word.length > prefixLength ? word.slice(0, prefixLength) : word, FEATURE_SEEDS.prefix) & mask);
    for (let length = unspaced ? 1 : config.charMin; length <= config.charMax; length++) {
      for (let start = 0; start + length <= marked.length; start++) {
        const gram = marked.substring(start, start + length);
        if (length === 1 && (gram === '\u0002' || gram === '\u0003')) continue;
        add(chars, hashString(gram, FEATURE_SEEDS.char) & mask);
      }
    }
  }
  const merged = new Map<number, number>();
  const addAll = (counts: Map<number, number>, weight: number) => {
    let norm = 0;
    for (const count of counts.values()) norm += (1 + Math.log(count)) ** 2;
    if (norm === 0) return;
    for (const [bucket, count] of counts) merged.set(bucket, (merged.get(bucket) ?? 0) + (1 + Math.log(count)) * (weight / Math.sqrt(norm)));
  };
  addAll(chars, 1);
  addAll(words, config.wordWeight);
  if ((config.prefixWeight ?? 0) > 0) addAll(prefixes, config.prefixWeight!);
  const indices = Int32Array.from([...merged.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (bucket) => merged.get(bucket)!);
  let norm = 0;
  for (const bucket of indices) norm += merged.get(bucket)! ** 2;
  for (let i = 0; i < values.length; i++) values[i]! *= norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { indices, values };
}

const texts = [
  '',
  '🔥🔥🔥 👍',
  'https://binance.com/ref?x=1 #CryptoNews от @someone: BTC 104,500$ (+3.2%)',
  'Turkey is encircled by seas on three sides: the Aegean Sea to the west, the Black Sea to the north.',
  'Политика: выборы в Европарламент, явка 51%. Ёжик и йогурт.',
  '我喜欢足球。日本語のテキストとカタカナ。',
  'سلام دوستان، قیمت دلار امروز ۵۰ هزار تومان است',
  // Long enough for thousands of distinct n-grams (the tables grow).
  Array.from({ length: 600 }, (_, index) => `word${index.toString(36)}x${(index * 7919).toString(36)}`).join(' '),
];

describe('extractFeatures', () => {
  it.each([
    ['the default features', DEFAULT_FEATURE_CONFIG],
    ['the training features (2^20 buckets, prefixes)', DEFAULT_TRAIN_OPTIONS.features],
    ['single characters and short n-grams', { hashBits: 16, charMin: 1, charMax: 3, wordNgrams: 1, wordWeight: 0.5 }],
  ])('gives bit for bit the features of the reference featuriser: %s', (_name, config) => {
    for (const text of texts) {
      const expected = reference(text, config);
      const actual = extractFeatures(text, config);
      expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
      expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    }
  });

  it('leaves nothing behind from one text to the next', () => {
    const alone = extractFeatures('a recipe for tomato soup', DEFAULT_FEATURE_CONFIG);
    extractFeatures(texts.at(-1)!, DEFAULT_FEATURE_CONFIG);
    expect(extractFeatures('a recipe for tomato soup', DEFAULT_FEATURE_CONFIG)).toEqual(alone);
  });
});
