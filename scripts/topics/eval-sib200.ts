/**
 * SIB-200 evaluation: for every language, accuracy and macro-F1 on dev when training (a) on that
 * language's train split and (b) on all 23 train splits together (one model, trained once).
 *
 *   npx tsx scripts/topics/eval-sib200.ts [--data ../shared/datasets/sib-200]
 *
 * The same code path as `topics eval` (trainTopicClassifier with one group per train file, predictLabel):
 * with all 23 files, each text is classified by the files closest to its language (libs/topics/grouped.ts).
 * For the five target languages it also trains on the language's own train split with the train splits
 * of a few hand-picked related languages (`topics eval --train own.tsv,related1.tsv,…`), for reference.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseLabelledTsv, predictLabel, scorePredictions, trainTopicClassifier, type LabelledText, type TopicClassifier, type TrainingGroup } from '../../libs/topics';

const flagIndex = process.argv.indexOf('--data');
const dataDir = resolve(flagIndex >= 0 ? process.argv[flagIndex + 1]! : join(__dirname, '../../../shared/datasets/sib-200'));
if (!existsSync(dataDir)) {
  console.error(`SIB-200 not found at ${dataDir} (pass --data DIR)`);
  process.exit(2);
}
const languages = readdirSync(dataDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(dataDir, entry.name, 'train.tsv')))
  .map((entry) => entry.name)
  .sort();
const load = (language: string, split: string): LabelledText[] =>
  parseLabelledTsv(readFileSync(join(dataDir, language, `${split}.tsv`), 'utf8'), `${language}/${split}`);

const group = (language: string): TrainingGroup => ({ name: `${language}/train.tsv`, examples: load(language, 'train') });

function evaluate(model: TopicClassifier, tests: LabelledText[]): { accuracy: number; macroF1: number; ms: number[] } {
  const ms: number[] = [];
  const predicted = tests.map((example) => {
    const start = process.hrtime.bigint();
    const label = predictLabel(model, example.text);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    return label;
  });
  const scores = scorePredictions(tests.map((example) => example.label), predicted);
  return { accuracy: scores.accuracy, macroF1: scores.macroF1, ms };
}

/** Related languages (shared vocabulary: cognates, loans, script), for the five target languages. */
export const RELATED: Record<string, string[]> = {
  eng_Latn: ['nld_Latn', 'deu_Latn'],
  deu_Latn: ['nld_Latn', 'eng_Latn'],
  ita_Latn: ['spa_Latn', 'por_Latn', 'fra_Latn'],
  spa_Latn: ['por_Latn', 'ita_Latn', 'fra_Latn'],
  rus_Cyrl: ['ukr_Cyrl', 'bel_Cyrl', 'kaz_Cyrl'],
};

const started = Date.now();
console.error(`training one model on all ${languages.length} train splits…`);
const joint = trainTopicClassifier(languages.map(group));
const rows: { language: string; single: { accuracy: number; macroF1: number }; joint: { accuracy: number; macroF1: number } }[] = [];
const timings: number[] = [];
const related: { language: string; accuracy: number; macroF1: number }[] = [];
for (const language of languages) {
  const dev = load(language, 'dev');
  const single = evaluate(trainTopicClassifier([group(language)]), dev);
  const all = evaluate(joint, dev);
  timings.push(...single.ms, ...all.ms);
  rows.push({ language, single, joint: all });
  if (RELATED[language]) {
    const pooled = evaluate(trainTopicClassifier([language, ...RELATED[language]!].map(group)), dev);
    related.push({ language, ...pooled });
  }
  console.error(`${language} done`);
}
const pct = (value: number) => (value * 100).toFixed(1);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log('| language | acc (own train) | macro-F1 (own train) | acc (all 23) | macro-F1 (all 23) |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  console.log(`| ${row.language} | ${pct(row.single.accuracy)} | ${pct(row.single.macroF1)} | ${pct(row.joint.accuracy)} | ${pct(row.joint.macroF1)} |`);
}
const focus = rows.filter((row) => ['eng_Latn', 'rus_Cyrl', 'ita_Latn', 'spa_Latn', 'deu_Latn'].includes(row.language));
for (const [name, subset] of [['mean, 23 languages', rows], ['mean, eng/rus/ita/spa/deu', focus]] as const) {
  console.log(
    `| **${name}** | ${pct(mean(subset.map((row) => row.single.accuracy)))} | ${pct(mean(subset.map((row) => row.single.macroF1)))} | ` +
      `${pct(mean(subset.map((row) => row.joint.accuracy)))} | ${pct(mean(subset.map((row) => row.joint.macroF1)))} |`,
  );
}
console.log('\n| language | related train splits | acc | macro-F1 |');
console.log('|---|---|---|---|');
for (const row of related) console.log(`| ${row.language} | ${RELATED[row.language]!.join(', ')} | ${pct(row.accuracy)} | ${pct(row.macroF1)} |`);
console.log(`| **mean** | | ${pct(mean(related.map((row) => row.accuracy)))} | ${pct(mean(related.map((row) => row.macroF1)))} |`);
timings.sort((a, b) => a - b);
console.log(`\nmedian ms per text: ${timings[Math.floor(timings.length / 2)]!.toFixed(3)}; total run ${((Date.now() - started) / 1000).toFixed(1)} s`);
