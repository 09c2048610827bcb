import { describe, expect, it } from 'vitest';
import { predict, trainClassifier, type LabelledText } from './classifier';
import { decodeClassifier, deserializeClassifier, encodeClassifier, serializeClassifier } from './model-file';
import { parseLabelledTsv } from './tsv';
import { scorePredictions } from './metrics';

const corpus: LabelledText[] = [
  ...['the match ended two nil', 'great goal in the football match', 'the team won the cup final', 'tennis player wins the open'].map((text) => ({ label: 'sports', text })),
  ...['bake the bread for forty minutes', 'a recipe for tomato soup', 'fry the onions then add garlic', 'pasta with cheese and pepper'].map((text) => ({ label: 'food', text })),
];

describe('trainClassifier', () => {
  it('learns a separable toy corpus with either learner', () => {
    for (const options of [{}, { lrWeight: 1, nbWeight: 0 }]) {
      const model = trainClassifier(corpus, options);
      expect(predict(model, 'who won the football final?').label).toBe('sports');
      expect(predict(model, 'soup recipe with garlic').label).toBe('food');
    }
  });

  it('is deterministic for a seed and round-trips through the model file', () => {
    const options = { lrWeight: 1, nbWeight: 0.5, seed: 7 };
    const first = encodeClassifier(trainClassifier(corpus, options));
    const second = encodeClassifier(trainClassifier(corpus, options));
    expect(first.equals(second)).toBe(true);
    const model = trainClassifier(corpus, options);
    const restored = deserializeClassifier(serializeClassifier(model)).model;
    expect(decodeClassifier(encodeClassifier(restored)).model.labels).toEqual(['food', 'sports']);
    expect(Array.from(predict(restored, 'a goal in the match').probabilities)).toEqual(
      Array.from(predict(model, 'a goal in the match').probabilities),
    );
  });

  it('keeps prefix features through the model file (the default) and offers both naive Bayes flavours', () => {
    const model = trainClassifier(corpus);
    expect(model.features.prefixLength).toBe(4);
    const restored = deserializeClassifier(serializeClassifier(model)).model;
    expect(restored.features).toEqual(model.features);
    expect(predict(restored, 'footballers scored goals').label).toBe('sports');
    expect(predict(trainClassifier(corpus, { nbVariant: 'multinomial' }), 'recipes with garlic').label).toBe('food');
  });

  it('gives a probability distribution', () => {
    const { probabilities } = predict(trainClassifier(corpus), 'anything at all');
    expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 10);
  });
});

describe('parseLabelledTsv and scorePredictions', () => {
  it('finds columns by header name and ignores extra ones', () => {
    const rows = parseLabelledTsv('index_id\tsource\tcategory\ttext\n1\tweb\tsports\tgoal!\n\n2\tweb\tfood\tsoup\n');
    expect(rows).toEqual([
      { id: '1', label: 'sports', text: 'goal!' },
      { id: '2', label: 'food', text: 'soup' },
    ]);
    expect(() => parseLabelledTsv('label\tbody\nx\ty')).toThrow(/category/);
  });

  it('computes accuracy and macro F1', () => {
    const scores = scorePredictions(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
    expect(scores.accuracy).toBe(0.75);
    expect(scores.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
  });
});
