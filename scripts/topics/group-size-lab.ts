/**
 * When do several training files gain from being mixed per text (libs/topics/grouped.ts) rather than
 * pooled? A learning curve on the SIB-200 train splits: 5 folds by index_id; the training side keeps
 * `k` examples per label per language (the same sentences in every language), the grouped model and
 * the pooled CNB are trained on all 23 languages, and both are scored on eng/rus/ita/spa/deu's rows in
 * the held-out fold.
 *
 *   npx tsx scripts/topics/group-size-lab.ts [k,k,…]      (default 5,10,20,40,all)
 *
 * Outcome: BENCHMARKS.md, Topics ("how many examples a file needs").
 */
import { predictLabel, trainClassifier, trainGroupedClassifier, type LabelledText } from '../../libs/topics';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';
import { ALL, FOCUS, LABELS, foldsBySentence, load } from './sib-folds';

const sizes = (process.argv[2] ?? '5,10,20,40,all').split(',').map((value) => (value === 'all' ? Infinity : Number(value)));
const foldOf = foldsBySentence(12345);
const example = (language: string, index: number): LabelledText => {
  const row = load(language)[index]!;
  return { label: LABELS[row.y]!, text: row.text };
};

for (const perLabel of sizes) {
  let pooled = 0;
  let grouped = 0;
  let tested = 0;
  for (let fold = 0; fold < 5; fold++) {
    // The same sentences in every language (the splits are parallel): k per label from the training side.
    const rows = load('eng_Latn');
    const order = shuffleInPlace(rows.map((_, index) => index).filter((index) => foldOf.get(rows[index]!.id) !== fold), createRandom(fold + 1));
    const taken = new Map<number, number>();
    const keep = new Set(order.filter((index) => {
      const count = taken.get(rows[index]!.y) ?? 0;
      taken.set(rows[index]!.y, count + 1);
      return count < perLabel;
    }).map((index) => rows[index]!.id));
    const groups = ALL.map((language) => ({
      name: language,
      examples: load(language).flatMap((row, index) => (keep.has(row.id) ? [example(language, index)] : [])),
    }));
    const pooledModel = trainClassifier(groups.flatMap((group) => group.examples));
    const groupedModel = trainGroupedClassifier(groups);
    for (const language of FOCUS) {
      load(language).forEach((row, index) => {
        if (foldOf.get(row.id) !== fold) return;
        const { label, text } = example(language, index);
        tested++;
        if (predictLabel(pooledModel, text) === label) pooled++;
        if (predictLabel(groupedModel, text) === label) grouped++;
      });
    }
  }
  const name = Number.isFinite(perLabel) ? `${perLabel} per label` : 'all (~80 per label)';
  console.log(`${name.padEnd(20)} pooled ${((100 * pooled) / tested).toFixed(1)}  grouped ${((100 * grouped) / tested).toFixed(1)}`);
}
