/**
 * How much the cross-validated figures owe to training on 80% of each file: k-fold cross-validation
 * of the library's classifier (`trainTopicClassifier`, as `topics eval` trains it) for k = 5, 10 and
 * 20, where each fold trains on (k-1)/k of the 701 sentences per language and the held-out test split
 * is scored after training on all of them. Folds by index_id (a sentence and its translations on the
 * same side), scored on eng/rus/ita/spa/deu. Dev and test are never read.
 *
 *   npx tsx scripts/topics/fold-count-lab.ts own      one language's own train split (3 fold partitions)
 *   npx tsx scripts/topics/fold-count-lab.ts all      all 23 train splits, the grouped model (1 partition)
 *   npx tsx scripts/topics/fold-count-lab.ts own 10 '{"nbAlpha": 0.02}'
 *                                                     k = 10 only, with train options other than the defaults
 *                                                     (`features` is merged into the default features)
 */
import { DEFAULT_TRAIN_OPTIONS, predictLabel, trainTopicClassifier, type TrainOptions, type TrainingGroup } from '../../libs/topics';
import { ALL, FOCUS, LABELS, foldsBySentence, load } from './sib-folds';

const mode = process.argv[2] === 'all' ? 'all' : 'own';
const seeds = mode === 'own' ? [12345, 777, 2024] : [12345];
const ks = process.argv[3] ? [Number(process.argv[3])] : mode === 'own' ? [5, 10, 20] : [5, 10];
const given = JSON.parse(process.argv[4] ?? '{}') as Partial<TrainOptions>;
const options: Partial<TrainOptions> = { ...given, ...(given.features ? { features: { ...DEFAULT_TRAIN_OPTIONS.features, ...given.features } } : {}) };
const side = (language: string, keep: (id: number) => boolean): TrainingGroup => ({
  name: language,
  examples: load(language).filter((row) => keep(row.id)).map((row) => ({ label: LABELS[row.y]!, text: row.text, id: String(row.id) })),
});

console.log(`${mode}${process.argv[4] ? ` ${process.argv[4]}` : ''}: k-fold CV accuracy %, mean of ${FOCUS.join(' ')}, per fold partition (seeds ${seeds.join(', ')})`);
for (const k of ks) {
  const means = seeds.map((seed) => {
    const foldOf = foldsBySentence(seed, k);
    const correct = new Map(FOCUS.map((language) => [language, 0]));
    for (let fold = 0; fold < k; fold++) {
      const inTraining = (id: number) => foldOf.get(id) !== fold;
      // one grouped model over all 23 languages serves every target; one model per language otherwise
      const shared = mode === 'all' ? trainTopicClassifier(ALL.map((language) => side(language, inTraining)), options) : null;
      for (const language of FOCUS) {
        const model = shared ?? trainTopicClassifier([side(language, inTraining)], options);
        for (const row of load(language)) if (!inTraining(row.id) && predictLabel(model, row.text) === LABELS[row.y]) correct.set(language, correct.get(language)! + 1);
      }
    }
    return FOCUS.reduce((sum, language) => sum + (100 * correct.get(language)!) / load(language).length, 0) / FOCUS.length;
  });
  const mean = means.reduce((a, b) => a + b) / means.length;
  console.log(`k=${String(k).padEnd(3)} trains on ${(((k - 1) / k) * 701).toFixed(0)} texts per language: ${means.map((m) => m.toFixed(2)).join(' / ')}  mean ${mean.toFixed(2)}`);
}
