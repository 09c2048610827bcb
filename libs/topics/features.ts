/**
 * Hashed sparse features: word n-grams and character n-grams inside words.
 *
 * Character n-grams are what makes one model work across languages and spellings: "bitcoin",
 * "биткоин" and "bitkoin" share nothing as words, but "bitco"/"itcoi" and the Cyrillic n-grams of
 * many posts do; and inflected forms (политика, политики, политике) share their stems. Hashing keeps
 * the model a fixed size whatever the vocabulary.
 */
import { tokenize } from './normalize';

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  hashBits: number;
  /** Character n-gram lengths inside words (with boundary marks), inclusive. */
  charMin: number;
  charMax: number;
  /** Word n-gram orders, 1 = unigrams, 2 = also bigrams. */
  wordNgrams: number;
  /** Relative weight of the word features against the character features. */
  wordWeight: number;
  /**
   * Length of the word-prefix features (0 or absent = none): the first N characters of each word, a
   * cheap stemmer for inflected languages (политика/политики/политике → "поли"). Own L2-normalised
   * group, weighted by `prefixWeight`.
   */
  prefixLength?: number;
  prefixWeight?: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  hashBits: 18,
  charMin: 2,
  charMax: 6,
  wordNgrams: 2,
  wordWeight: 0.7,
};

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca77;
const SEED_CHAR = 0xc2b2ae3d;
const SEED_SPECIAL = 0x27d4eb2f;
const SEED_PREFIX = 0x165667b1;
// Scripts written without spaces: their "words" are whole phrases, so they get single characters too.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** FNV-1a over UTF-16 code units, then an avalanche finaliser; seed distinguishes feature kinds. */
export function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function add(counts: Map<number, number>, bucket: number, weight: number): void {
  counts.set(bucket, (counts.get(bucket) ?? 0) + weight);
}

/**
 * The feature vector of one text: sublinear term frequency (1 + log tf), L2-normalised. Returns
 * an empty vector for a text with no tokens.
 */
export function extractFeatures(text: string, config: FeatureConfig): SparseVector {
  const mask = (1 << config.hashBits) - 1;
  const charCounts = new Map<number, number>();
  const wordCounts = new Map<number, number>();
  const prefixCounts = new Map<number, number>();
  const prefixLength = config.prefixLength ?? 0;
  const tokens = tokenize(text);
  let previous: string | null = null;
  for (const token of tokens) {
    if (token.kind !== 'word') {
      // Domains, emoji, numbers and symbols are whole tokens; they break word bigrams.
      add(wordCounts, hashString(token.text, SEED_SPECIAL) & mask, 1);
      previous = token.kind === 'number' ? token.text : null;
      continue;
    }
    const word = token.text;
    add(wordCounts, hashString(word, SEED_WORD) & mask, 1);
    if (config.wordNgrams >= 2 && previous !== null) {
      add(wordCounts, hashString(`${previous} ${word}`, SEED_BIGRAM) & mask, 1);
    }
    previous = word;
    const marked = `\u0002${word}\u0003`;
    const unspaced = UNSPACED_SCRIPT.test(word);
    if (prefixLength > 0 && !unspaced) {
      add(prefixCounts, hashString(word.length > prefixLength ? word.slice(0, prefixLength) : word, SEED_PREFIX) & mask, 1);
    }
    const minLength = unspaced ? 1 : config.charMin;
    for (let length = minLength; length <= config.charMax; length++) {
      for (let start = 0; start + length <= marked.length; start++) {
        const gram = marked.substring(start, start + length);
        if (length === 1 && (gram === '\u0002' || gram === '\u0003')) continue;
        add(charCounts, hashString(gram, SEED_CHAR) & mask, 1);
      }
    }
  }
  return combine(charCounts, wordCounts, config.wordWeight, prefixCounts, config.prefixWeight ?? 0);
}

function combine(
  charCounts: Map<number, number>,
  wordCounts: Map<number, number>,
  wordWeight: number,
  prefixCounts: Map<number, number>,
  prefixWeight: number,
): SparseVector {
  const merged = new Map<number, number>();
  let charNorm = 0;
  for (const count of charCounts.values()) charNorm += (1 + Math.log(count)) ** 2;
  let wordNorm = 0;
  for (const count of wordCounts.values()) wordNorm += (1 + Math.log(count)) ** 2;
  charNorm = charNorm > 0 ? 1 / Math.sqrt(charNorm) : 0;
  wordNorm = wordNorm > 0 ? wordWeight / Math.sqrt(wordNorm) : 0;
  for (const [bucket, count] of charCounts) add(merged, bucket, (1 + Math.log(count)) * charNorm);
  for (const [bucket, count] of wordCounts) add(merged, bucket, (1 + Math.log(count)) * wordNorm);
  if (prefixCounts.size > 0 && prefixWeight > 0) {
    let prefixNorm = 0;
    for (const count of prefixCounts.values()) prefixNorm += (1 + Math.log(count)) ** 2;
    prefixNorm = prefixWeight / Math.sqrt(prefixNorm);
    for (const [bucket, count] of prefixCounts) add(merged, bucket, (1 + Math.log(count)) * prefixNorm);
  }
  const indices = Int32Array.from([...merged.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (let i = 0; i < indices.length; i++) {
    const value = merged.get(indices[i]!)!;
    values[i] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { indices, values };
}
