/**
 * How the training groups come out of the ways one might hand SIB-200's 23 train splits to
 * `topics train|eval` (libs/topics/corpora.ts), and what each gives on dev:
 *
 *   files         the 23 train files as a comma list (each file one group, as before corpora.ts)
 *   concatenated  one file: the 23 files one after the other, headers repeated (as `cat` gives)
 *   shuffled      one file: all 16,123 rows in random order, one header
 *   train+dev     46 files: each language's train and dev (grouping only: dev cannot be scored)
 *   five files    only eng/rus/ita/spa/deu's train files (its 23-language mean scores languages it never saw)
 *
 * Purity is the share of a group's texts whose source language is the group's commonest one.
 *
 *   npx tsx scripts/topics/grouping-lab.ts [seed]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  groupByLanguage,
  loadLanguageIdentifier,
  mixesGroups,
  parseLabelledTsv,
  predictLabel,
  trainTopicClassifier,
  type LabelledText,
  type LanguageIdentifier,
  type TrainingGroup,
} from '../../libs/topics';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';
import { ALL, DATA, FOCUS } from './sib-folds';

const seed = Number(process.argv[2] ?? 12345);
const sourceOf = new Map<LabelledText, string>();
const read = (language: string, split: 'train' | 'dev'): string => readFileSync(join(DATA, language, `${split}.tsv`), 'utf8');
const parse = (language: string, split: 'train' | 'dev', content = read(language, split)): LabelledText[] => {
  const examples = parseLabelledTsv(content, `${language}/${split}`);
  for (const example of examples) sourceOf.set(example, language);
  return examples;
};
const dev = new Map(ALL.map((language) => [language, parse(language, 'dev')]));

function scenario(name: string, identifier: LanguageIdentifier, files: TrainingGroup[], score: boolean): void {
  const started = Date.now();
  const { groups, splitFiles, moved } = groupByLanguage(files, identifier);
  const grouping = Date.now() - started;
  let pure = 0;
  let texts = 0;
  const impure: string[] = [];
  for (const group of groups) {
    const counts = new Map<string, number>();
    for (const example of group.examples) counts.set(sourceOf.get(example)!, (counts.get(sourceOf.get(example)!) ?? 0) + 1);
    const top = Math.max(...counts.values());
    pure += top;
    texts += group.examples.length;
    if (top < group.examples.length) impure.push(`${group.name.split(' ')[0]} ${group.examples.length - top}`);
  }
  const parallel = mixesGroups(groups);
  let accuracy = '';
  if (score) {
    const model = trainTopicClassifier(groups);
    const perLanguage = new Map(ALL.map((language) => {
      const examples = dev.get(language)!;
      return [language, examples.filter((example) => predictLabel(model, example.text) === example.label).length / examples.length];
    }));
    const mean = (languages: string[]) => (100 * languages.reduce((sum, language) => sum + perLanguage.get(language)!, 0)) / languages.length;
    accuracy = ` | dev ${mean(FOCUS).toFixed(1)} (5 languages) ${mean(ALL).toFixed(1)} (23)`;
  }
  console.log(
    `${name.padEnd(13)} ${groups.length} groups, ${parallel ? 'parallel' : 'pooled'}, split ${splitFiles.length} file(s), ${moved} moved, ` +
      `purity ${((100 * pure) / texts).toFixed(2)}% [${impure.join(', ') || 'all pure'}], grouping ${grouping} ms${accuracy}`,
  );
}

void (async () => {
  const identifier = await loadLanguageIdentifier();
  const trainFiles = ALL.map((language) => ({ name: `${language}/train.tsv`, examples: parse(language, 'train') }));
  scenario('files', identifier, trainFiles, true);

  const concatenated = ALL.map((language) => read(language, 'train')).join('');
  const catExamples = parseLabelledTsv(concatenated, 'concatenated');
  const flat = trainFiles.flatMap((file) => file.examples);
  catExamples.forEach((example, index) => sourceOf.set(example, sourceOf.get(flat[index]!)!));
  scenario('concatenated', identifier, [{ name: 'all.tsv', examples: catExamples }], true);

  const shuffled = [...flat];
  shuffleInPlace(shuffled, createRandom(seed));
  scenario('shuffled', identifier, [{ name: 'shuffled.tsv', examples: shuffled }], true);

  const withDev = ALL.flatMap((language) => [
    { name: `${language}/train.tsv`, examples: parse(language, 'train') },
    { name: `${language}/dev.tsv`, examples: dev.get(language)! },
  ]);
  scenario('train+dev', identifier, withDev, false);

  scenario('five files', identifier, trainFiles.filter((file) => FOCUS.some((language) => file.name.startsWith(language))), true);
})();
