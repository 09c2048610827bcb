/**
 * The SIB-200 train splits as the cross-validation labs use them (`cv-lab.ts`, `cv-views.ts`): rows
 * per language, and 5 folds by index_id, so a sentence and its translations are always on the same side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';

export const DATA = join(__dirname, '../../../shared/datasets/sib-200');
export const FOCUS = ['eng_Latn', 'rus_Cyrl', 'ita_Latn', 'spa_Latn', 'deu_Latn'];
export const ALL = [
  'arb_Arab', 'bel_Cyrl', 'deu_Latn', 'eng_Latn', 'fra_Latn', 'heb_Hebr', 'hin_Deva', 'ind_Latn', 'ita_Latn', 'jpn_Jpan', 'kaz_Cyrl', 'kor_Hang',
  'nld_Latn', 'pes_Arab', 'pol_Latn', 'por_Latn', 'rus_Cyrl', 'spa_Latn', 'tur_Latn', 'ukr_Cyrl', 'uzn_Latn', 'vie_Latn', 'zho_Hans',
];
export const LABELS = ['entertainment', 'geography', 'health', 'politics', 'science/technology', 'sports', 'travel'];
export const C = LABELS.length;

export interface Row { id: number; y: number; text: string }

const cache = new Map<string, Row[]>();

export function load(language: string): Row[] {
  let rows = cache.get(language);
  if (!rows) {
    rows = readFileSync(join(DATA, language, 'train.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
      const [id, label, text] = line.split('\t');
      return { id: Number(id), y: LABELS.indexOf(label!), text: text! };
    });
    cache.set(language, rows);
  }
  return rows;
}

/** index_id → fold, the same for every language (the splits are parallel). */
export function foldsBySentence(seed: number, folds = 5): Map<number, number> {
  const ids = [...new Set(load('eng_Latn').map((row) => row.id))].sort((a, b) => a - b);
  shuffleInPlace(ids, createRandom(seed));
  return new Map(ids.map((id, index) => [id, index % folds]));
}
