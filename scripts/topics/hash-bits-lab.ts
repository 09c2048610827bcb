/**
 * How much do hash collisions cost one pooled complement NB over all 23 SIB-200 train files (what the
 * CLI trains when the files are not parallel, e.g. a single file holding every language)? Dev accuracy,
 * eng/rus/ita/spa/deu mean and 23-language mean, for 2^18 … 2^23 buckets.
 *
 *   npx tsx scripts/topics/hash-bits-lab.ts        (~1 min)
 *
 * Outcome (2026-11-22): 2^18 71.7 / 69.9, 2^20 (the default) 73.3 / 71.9, 2^22 74.5 / 72.8,
 * 2^23 74.1 / 72.8. So collisions cost a pooled model of 23 languages about a point at 2^20; one
 * language's file alone gains nothing (eng/rus/ita/spa/deu own-file dev: 73.9 at 2^20, 73.7 at 2^22).
 * The grouped model of the same 23 files scores 76.4 / 74.6 at 2^20 and gains nothing from 2^22
 * (BENCHMARKS.md). The default stays 2^20: training keeps dense buckets × classes float64 arrays
 * (2^22 × 7 classes is 235 MB each, × 33 product labels 1.1 GB), for about a point on a set-up that
 * parallel files already cover better.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FEATURES, parseLabelledTsv, predictLabel, trainClassifier, type LabelledText } from '../../libs/topics';
import { ALL, DATA, FOCUS } from './sib-folds';

const read = (language: string, split: string): LabelledText[] =>
  parseLabelledTsv(readFileSync(join(DATA, language, `${split}.tsv`), 'utf8'), `${language}/${split}`);
const pooled = ALL.flatMap((language) => read(language, 'train'));
for (const hashBits of [18, 20, 22, 23]) {
  const model = trainClassifier(pooled, { features: { ...DEFAULT_FEATURES, hashBits } });
  let right = 0, texts = 0, rightFocus = 0, textsFocus = 0;
  for (const language of ALL) {
    for (const example of read(language, 'dev')) {
      const ok = Number(predictLabel(model, example.text) === example.label);
      right += ok;
      texts++;
      if (FOCUS.includes(language)) {
        rightFocus += ok;
        textsFocus++;
      }
    }
  }
  console.log(`2^${hashBits}: eng/rus/ita/spa/deu ${((100 * rightFocus) / textsFocus).toFixed(1)}, 23 languages ${((100 * right) / texts).toFixed(1)}`);
}
