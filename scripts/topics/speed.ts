/**
 * Where the time of classifying one text goes, per model: featurisation (tokenise, fold, hash),
 * scoring the feature vector, and the whole of `classifyText` (features, scores, softmax, the
 * script-based language guess). Median over SIB-200's English dev sentences, 5 rounds after 3 warm-up
 * rounds, one core.
 *
 *   npx tsx scripts/topics/speed.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyText, extractFeatures, loadTopicModel, parseLabelledTsv, scoreTopicVector, trainTopicClassifier, type TopicClassifier } from '../../libs/topics';
import { tokenize } from '../../libs/topics/normalize';
import { SHIPPED_MODEL_PATH } from '../../libs/topics/shipped';
import { ALL, DATA } from './sib-folds';

const read = (language: string, split: 'train' | 'dev') => parseLabelledTsv(readFileSync(join(DATA, language, `${split}.tsv`), 'utf8'));
const texts = read('eng_Latn', 'dev').map((example) => example.text);

function medianMs(run: (text: string) => unknown): number {
  for (let round = 0; round < 3; round++) texts.forEach(run);
  const timings: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      run(text);
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return timings.sort((a, b) => a - b)[timings.length >> 1]!;
}

const models: [string, TopicClassifier][] = [
  ['own file (eng)', trainTopicClassifier([{ name: 'eng', examples: read('eng_Latn', 'train') }])],
  ['all 23 files (grouped)', trainTopicClassifier(ALL.map((language) => ({ name: language, examples: read(language, 'train') })))],
  ['shipped', loadTopicModel(SHIPPED_MODEL_PATH)],
];
console.log(`tokenize: ${medianMs((text) => tokenize(text)).toFixed(3)} ms`);
for (const [name, model] of models) {
  const vectors = new Map(texts.map((text) => [text, extractFeatures(text, model.features)]));
  const features = medianMs((text) => extractFeatures(text, model.features));
  const score = medianMs((text) => scoreTopicVector(model, vectors.get(text)!));
  const whole = medianMs((text) => classifyText(model, text));
  console.log(`${name.padEnd(24)} features ${features.toFixed(3)} ms, score ${score.toFixed(3)} ms, classifyText ${whole.toFixed(3)} ms`);
}
