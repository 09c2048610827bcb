/**
 * Does the grouped model's language identification (the file most likely to have produced the text,
 * `closestGroup` in libs/topics/grouped.ts) hold up on short texts? SIB-200 sentences run ~20 words; channel posts can be
 * a handful. Trains once on all 23 train splits (grouped) and on each language's own split, then
 * classifies the dev sentences cut to their first k words (k characters × 2 for Japanese and Chinese,
 * which have no spaces) and reports, per k:
 *   - how often the closest file is the sentence's own language (over all 23 languages), by the
 *     library's naive Bayes language id and by the vocabulary coverage it replaced;
 *   - accuracy of the grouped model against the own-language model on the same cut texts
 *     (eng/rus/ita/spa/deu and all 23).
 *
 *   npx tsx scripts/topics/short-text-lab.ts [k,k,…]      (default 1,2,3,5,8,12,all)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closestGroup, extractFeatures, type SparseVector, parseLabelledTsv, predictLabel, trainTopicClassifier, type GroupedClassifier, type LabelledText } from '../../libs/topics';
import { ALL, DATA, FOCUS } from './sib-folds';

const cuts = (process.argv[2] ?? '1,2,3,5,8,12,all').split(',').map((value) => (value === 'all' ? Infinity : Number(value)));
const read = (language: string, split: string): LabelledText[] =>
  parseLabelledTsv(readFileSync(join(DATA, language, `${split}.tsv`), 'utf8'), `${language}/${split}`);

const grouped = trainTopicClassifier(ALL.map((language) => ({ name: language, examples: read(language, 'train') }))) as GroupedClassifier;
const own = new Map(ALL.map((language) => [language, trainTopicClassifier([{ name: language, examples: read(language, 'train') }])]));
const dev = new Map(ALL.map((language) => [language, read(language, 'dev')]));

/** The language id before 2026-11-22: the file whose vocabulary covers most of the text's feature mass (ties to the first). */
function coverageGroup(model: GroupedClassifier, vector: SparseVector): number {
  const coverage = new Float64Array(model.groups.length);
  let any = false;
  for (let k = 0; k < vector.indices.length; k++) {
    const row = model.rowOf[vector.indices[k]!]!;
    if (row < 0) continue;
    any = true;
    for (let entry = model.rowStart[row]!; entry < model.rowStart[row + 1]!; entry++) coverage[model.entryGroup[entry]!]! += vector.values[k]!;
  }
  if (!any) return -1;
  let best = 0;
  for (let g = 1; g < coverage.length; g++) if (coverage[g]! > coverage[best]!) best = g;
  return best;
}

function cut(language: string, text: string, words: number): string {
  if (!Number.isFinite(words)) return text;
  if (language === 'jpn_Jpan' || language === 'zho_Hans') return [...text].slice(0, words * 2).join('');
  return text.split(/\s+/).slice(0, words).join(' ');
}

const pct = (part: number, whole: number) => ((100 * part) / whole).toFixed(1);
console.log('| words | right file, coverage | right file, naive Bayes | grouped (5) | own file (5) | grouped (23) | own file (23) |');
console.log('|---|---|---|---|---|---|---|');
for (const words of cuts) {
  let identified = 0;
  let covered = 0;
  let texts = 0;
  const right = { grouped5: 0, own5: 0, grouped23: 0, own23: 0, texts5: 0 };
  const confusions = new Map<string, number>();
  ALL.forEach((language, index) => {
    const focus = FOCUS.includes(language);
    for (const example of dev.get(language)!) {
      const text = cut(language, example.text, words);
      texts++;
      const vector = extractFeatures(text, grouped.features);
      const closest = closestGroup(grouped, vector);
      if (coverageGroup(grouped, vector) === index) covered++;
      if (closest === index) identified++;
      else {
        const pair = `${language}→${closest < 0 ? 'none' : ALL[closest]}`;
        confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
      }
      const groupedRight = predictLabel(grouped, text) === example.label;
      const ownRight = predictLabel(own.get(language)!, text) === example.label;
      right.grouped23 += Number(groupedRight);
      right.own23 += Number(ownRight);
      if (focus) {
        right.texts5++;
        right.grouped5 += Number(groupedRight);
        right.own5 += Number(ownRight);
      }
    }
  });
  console.log(
    `| ${Number.isFinite(words) ? words : 'all'} | ${pct(covered, texts)} | ${pct(identified, texts)} | ${pct(right.grouped5, right.texts5)} | ${pct(right.own5, right.texts5)} | ` +
      `${pct(right.grouped23, texts)} | ${pct(right.own23, texts)} |`,
  );
  const top = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 6);
  if (top.length > 0) console.error(`  k=${words}: most frequent misidentifications ${top.map(([pair, count]) => `${pair} ${count}`).join(', ')}`);
}
