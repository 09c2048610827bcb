/**
 * Hashed sparse features: word n-grams and character n-grams inside words.
 *
 * Character n-grams are what makes one model work across languages and spellings: "bitcoin",
 * "биткоин" and "bitkoin" share nothing as words, but "bitco"/"itcoi" and the Cyrillic n-grams of
 * many posts do; and inflected forms (политика, политики, политике) share their stems. Hashing keeps
 * the model a fixed size whatever the vocabulary.
 */
import { tokenize, type Token } from './normalize';

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

/** Hash seeds per kind of feature (exported for the featuriser's reference test). */
export const FEATURE_SEEDS = { word: 0x9e3779b1, bigram: 0x85ebca77, char: 0xc2b2ae3d, special: 0x27d4eb2f, prefix: 0x165667b1 } as const;
const { word: SEED_WORD, bigram: SEED_BIGRAM, char: SEED_CHAR, special: SEED_SPECIAL, prefix: SEED_PREFIX } = FEATURE_SEEDS;
// Scripts written without spaces: their "words" are whole phrases, so they get single characters too.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** FNV-1a over UTF-16 code units, then an avalanche finaliser; seed distinguishes feature kinds. */
export function hashString(text: string, seed: number): number {
  let hash = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return finalise(hash);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The avalanche finaliser of `hashString`, applied to an FNV-1a state. */
function finalise(state: number): number {
  let hash = state;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Counts per bucket for one kind of feature: a small open-addressing table reused from text to text
 * (only the used slots are reset), which stays in the CPU cache where a table as large as the hash
 * space would miss on nearly every feature. The buckets are kept in first-touch order, the order the
 * sums below run in, so the features are bit for bit those of a Map.
 */
class BucketCounts {
  private keys = new Int32Array(1024).fill(-1);
  private counts = new Float64Array(1024);
  readonly touched: number[] = [];
  private slots: number[] = [];

  add(bucket: number, weight: number): void {
    let slot = this.slotOf(bucket);
    if (this.keys[slot] !== bucket) {
      if (2 * (this.touched.length + 1) > this.keys.length) {
        this.grow();
        slot = this.slotOf(bucket);
      }
      this.keys[slot] = bucket;
      this.touched.push(bucket);
      this.slots.push(slot);
    }
    this.counts[slot]! += weight;
  }

  get(bucket: number): number {
    const slot = this.slotOf(bucket);
    return this.keys[slot] === bucket ? this.counts[slot]! : 0;
  }

  clear(): void {
    for (const slot of this.slots) {
      this.keys[slot] = -1;
      this.counts[slot] = 0;
    }
    this.touched.length = 0;
    this.slots.length = 0;
  }

  /** The bucket's slot, or the empty slot where it would go (linear probing; buckets are hashes already). */
  private slotOf(bucket: number): number {
    const mask = this.keys.length - 1;
    let slot = bucket & mask;
    while (this.keys[slot] !== -1 && this.keys[slot] !== bucket) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const entries = this.touched.map((bucket) => [bucket, this.get(bucket)] as const);
    this.keys = new Int32Array(this.keys.length * 2).fill(-1);
    this.counts = new Float64Array(this.keys.length);
    this.slots = entries.map(([bucket, count]) => {
      const slot = this.slotOf(bucket);
      this.keys[slot] = bucket;
      this.counts[slot] = count;
      return slot;
    });
  }
}

interface Scratch {
  chars: BucketCounts;
  words: BucketCounts;
  prefixes: BucketCounts;
  merged: BucketCounts;
}

/** Reused by every call: featurisation is synchronous, and each call leaves the tables empty. */
const scratch: Scratch = { chars: new BucketCounts(), words: new BucketCounts(), prefixes: new BucketCounts(), merged: new BucketCounts() };

/**
 * The feature vector of one text: sublinear term frequency (1 + log tf), L2-normalised. Returns
 * an empty vector for a text with no tokens.
 */
export function extractFeatures(text: string, config: FeatureConfig): SparseVector {
  return featuresOfTokens(tokenize(text), config);
}

/** `extractFeatures` for a text already tokenised. */
export function featuresOfTokens(tokens: readonly Token[], config: FeatureConfig): SparseVector {
  const mask = (1 << config.hashBits) - 1;
  const { chars, words, prefixes } = scratch;
  const prefixLength = config.prefixLength ?? 0;
  let previous: string | null = null;
  try {
    for (const token of tokens) {
      if (token.kind !== 'word') {
        // Domains, emoji, numbers and symbols are whole tokens; they break word bigrams.
        words.add(hashString(token.text, SEED_SPECIAL) & mask, 1);
        previous = token.kind === 'number' ? token.text : null;
        continue;
      }
      const word = token.text;
      words.add(hashString(word, SEED_WORD) & mask, 1);
      if (config.wordNgrams >= 2 && previous !== null) {
        words.add(hashString(`${previous} ${word}`, SEED_BIGRAM) & mask, 1);
      }
      previous = word;
      const unspaced = UNSPACED_SCRIPT.test(word);
      if (prefixLength > 0 && !unspaced) {
        prefixes.add(hashString(word.length > prefixLength ? word.slice(0, prefixLength) : word, SEED_PREFIX) & mask, 1);
      }
      addCharGrams(chars, word, unspaced ? 1 : config.charMin, config.charMax, mask);
    }
    return combine(scratch, config.wordWeight, config.prefixWeight ?? 0);
  } finally {
    chars.clear();
    words.clear();
    prefixes.clear();
    scratch.merged.clear();
  }
}

/** FNV-1a states of the n-grams being extended, one per start position (reused, grown as needed). */
let gramStates = new Uint32Array(64);

/**
 * The character n-grams of \u0002word\u0003 with lengths minLength…maxLength (single boundary marks
 * left out), hashed as `hashString(gram, SEED_CHAR)` would hash each substring, but incrementally:
 * FNV-1a reads one code unit at a time, so each start position keeps its state and every pass over
 * the word extends all of them by one character. Shortest grams first, left to right within a length:
 * the order the n-grams were always counted in, which fixes the order of the sums in `addNormalised`
 * and so the features' last bits.
 */
function addCharGrams(counts: BucketCounts, word: string, minLength: number, maxLength: number, mask: number): void {
  const length = word.length + 2;
  if (gramStates.length < length) gramStates = new Uint32Array(2 * length);
  gramStates.fill((FNV_OFFSET ^ SEED_CHAR) >>> 0, 0, length);
  for (let gramLength = 1; gramLength <= maxLength; gramLength++) {
    for (let start = 0; start + gramLength <= length; start++) {
      const index = start + gramLength - 1;
      const unit = index === 0 ? 0x02 : index === length - 1 ? 0x03 : word.charCodeAt(index - 1);
      gramStates[start] = Math.imul(gramStates[start]! ^ unit, FNV_PRIME);
      if (gramLength < minLength || (gramLength === 1 && (index === 0 || index === length - 1))) continue;
      counts.add(finalise(gramStates[start]!) & mask, 1);
    }
  }
}

/** Adds one kind's sublinear term frequencies (1 + log tf), L2-normalised to `weight`, to `merged`. */
function addNormalised(merged: BucketCounts, counts: BucketCounts, weight: number): void {
  const frequencies = counts.touched.map((bucket) => 1 + Math.log(counts.get(bucket)));
  let norm = 0;
  for (const frequency of frequencies) norm += frequency ** 2;
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  counts.touched.forEach((bucket, index) => merged.add(bucket, frequencies[index]! * scale));
}

function combine(scratch: Scratch, wordWeight: number, prefixWeight: number): SparseVector {
  const { chars, words, prefixes, merged } = scratch;
  addNormalised(merged, chars, 1);
  addNormalised(merged, words, wordWeight);
  if (prefixWeight > 0) addNormalised(merged, prefixes, prefixWeight);
  const indices = new Int32Array(merged.touched).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (let i = 0; i < indices.length; i++) {
    const value = merged.get(indices[i]!);
    values[i] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { indices, values };
}
