/**
 * Does the grouped model's language identification (the file whose vocabulary covers most of the text,
 * libs/topics/grouped.ts) hold up on short texts? SIB-200 sentences run ~20 words; channel posts can be
 * a handful. Trains once on all 23 train splits (grouped) and on each language's own split, then
 * classifies the dev sentences cut to their first k words (k characters × 2 for Japanese and Chinese,
 * which have no spaces) and reports, per k:
 *   - how often the closest file is the sentence's own language (over all 23 languages);
 *   - accuracy of the grouped model against the own-language model on the same cut texts
 *     (eng/rus/ita/spa/deu and all 23).
 *
 *   npx tsx scripts/topics/short-text-lab.ts [k,k,…]      (default 2,3,5,8,12,all)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closestGroup, extractFeatures, parseLabelledTsv, predictLabel, trainTopicClassifier, type GroupedClassifier, type LabelledText } from '../../libs/topics';
import { ALL, DATA, FOCUS } from './sib-folds';

const cuts = (process.argv[2] ?? '2,3,5,8,12,all').split(',').map((value) => (value === 'all' ? Infinity : Number(value)));
const read = (language: string, split: string): LabelledText[] =>
  parseLabelledTsv(readFileSync(join(DATA, language, `${split}.tsv`), 'utf8'), `${language}/${split}`);

const grouped = trainTopicClassifier(ALL.map((language) => ({ name: language, examples: read(language, 'train') }))) as GroupedClassifier;
const own = new Map(ALL.map((language) => [language, trainTopicClassifier([{ name: language, examples: read(language, 'train') }])]));
const dev = new Map(ALL.map((language) => [language, read(language, 'dev')]));

function cut(language: string, text: string, words: number): string {
  if (!Number.isFinite(words)) return text;
  if (language === 'jpn_Jpan' || language === 'zho_Hans') return [...text].slice(0, words * 2).join('');
  return text.split(/\s+/).slice(0, words).join(' ');
}

const pct = (part: number, whole: number) => ((100 * part) / whole).toFixed(1);
console.log('| words | language id right (23) | grouped (5) | own file (5) | grouped (23) | own file (23) |');
console.log('|---|---|---|---|---|---|');
for (const words of cuts) {
  let identified = 0;
  let texts = 0;
  const right = { grouped5: 0, own5: 0, grouped23: 0, own23: 0, texts5: 0 };
  const confusions = new Map<string, number>();
  ALL.forEach((language, index) => {
    const focus = FOCUS.includes(language);
    for (const example of dev.get(language)!) {
      const text = cut(language, example.text, words);
      texts++;
      const closest = closestGroup(grouped, extractFeatures(text, grouped.features));
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
    `| ${Number.isFinite(words) ? words : 'all'} | ${pct(identified, texts)} | ${pct(right.grouped5, right.texts5)} | ${pct(right.own5, right.texts5)} | ` +
      `${pct(right.grouped23, texts)} | ${pct(right.own23, texts)} |`,
  );
  const top = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 6);
  if (top.length > 0) console.error(`  k=${words}: most frequent misidentifications ${top.map(([pair, count]) => `${pair} ${count}`).join(', ')}`);
}
