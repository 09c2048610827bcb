import { describe, expect, it } from 'vitest';
import { argmax, scoreVector, trainClassifier, type LabelledText } from './classifier';
import { extractFeatures } from './features';
import {
  closestGroup,
  isGroupedClassifier,
  mixesGroups,
  prepareMixtures,
  scoreGroupedVector,
  trainGroupedClassifier,
  trainTopicClassifier,
  type GroupedClassifier,
  type TrainingGroup,
} from './grouped';
import { deserializeTopicModel, encodeGroupedClassifier, serializeTopicModel } from './model-file';
import { predictLabel } from './topic-model';

const corpus = (sports: string[], food: string[]): LabelledText[] => [
  ...sports.map((text) => ({ label: 'sports', text })),
  ...food.map((text) => ({ label: 'food', text })),
];

const english = corpus(
  ['the match ended two nil', 'great goal in the football match', 'the team won the cup final', 'tennis player wins the open'],
  ['bake the bread for forty minutes', 'a recipe for tomato soup', 'fry the onions then add garlic', 'pasta with cheese and pepper'],
);
// Another English corpus: shares most of the first one's vocabulary.
const englishNews = corpus(
  ['the football team scored a late goal', 'the final match of the cup', 'a tennis player won the match', 'the team lost the final'],
  ['a soup recipe with garlic and pepper', 'bake the pasta with cheese', 'fry the bread in oil', 'the recipe needs onions and tomato'],
);
const russian = corpus(
  ['матч закончился со счётом два ноль', 'отличный гол в футбольном матче', 'команда выиграла финал кубка', 'теннисист выиграл турнир'],
  ['выпекайте хлеб сорок минут', 'рецепт томатного супа', 'обжарьте лук и добавьте чеснок', 'паста с сыром и перцем'],
);
const italian = corpus(
  ['la partita è finita due a zero', 'un gran gol nella partita di calcio', 'la squadra ha vinto la finale di coppa', 'il tennista vince il torneo'],
  ['cuocere il pane per quaranta minuti', 'una ricetta per la zuppa di pomodoro', 'soffriggere la cipolla e aggiungere aglio', 'pasta con formaggio e pepe'],
);
const spanish = corpus(
  ['el partido terminó dos a cero', 'un gran gol en el partido de fútbol', 'el equipo ganó la final de la copa', 'el tenista gana el torneo'],
  ['hornear el pan durante cuarenta minutos', 'una receta de sopa de tomate', 'freír la cebolla y añadir ajo', 'pasta con queso y pimienta'],
);

const groups: TrainingGroup[] = [
  { name: 'en.tsv', examples: english },
  { name: 'ru.tsv', examples: russian },
  { name: 'it.tsv', examples: italian },
  { name: 'es.tsv', examples: spanish },
  { name: 'en-news.tsv', examples: englishNews },
];

/** The same model with other neighbourhoods (weights per group), re-prepared. */
function withNeighbourhoods(model: GroupedClassifier, weights: (h: number) => number[]): GroupedClassifier {
  const copy: GroupedClassifier = {
    ...model,
    neighbourhoods: model.groups.map((_, h) =>
      weights(h)
        .map((weight, group) => ({ group, weight }))
        .filter((entry) => entry.weight > 0),
    ),
  };
  copy.mixtures = prepareMixtures(copy);
  return copy;
}

describe('grouped classifier', () => {
  it('is used for several parallel corpora; corpora with other content, split by label, or one corpus, are pooled', () => {
    expect(mixesGroups(groups)).toBe(true);
    expect(isGroupedClassifier(trainTopicClassifier(groups))).toBe(true);
    const byLabel: TrainingGroup[] = [
      { name: 'sports.tsv', examples: english.filter((example) => example.label === 'sports') },
      { name: 'food.tsv', examples: english.filter((example) => example.label === 'food') },
    ];
    expect(mixesGroups(byLabel)).toBe(false);
    const pooled = trainTopicClassifier(byLabel);
    expect(isGroupedClassifier(pooled)).toBe(false);
    expect(predictLabel(pooled, 'who won the football final?')).toBe('sports');
    expect(isGroupedClassifier(trainTopicClassifier([{ name: 'en.tsv', examples: english }]))).toBe(false);
    expect(() => trainGroupedClassifier(byLabel)).toThrow(/parallel/);
    // Every label in each, but not translations of one another (another order, or another length).
    const reordered = [...russian].reverse();
    expect(mixesGroups([{ name: 'en.tsv', examples: english }, { name: 'ru.tsv', examples: reordered }])).toBe(false);
    expect(mixesGroups([{ name: 'en.tsv', examples: english }, { name: 'ru.tsv', examples: russian.slice(1) }])).toBe(false);
    expect(isGroupedClassifier(trainTopicClassifier([{ name: 'en.tsv', examples: english }, { name: 'ru.tsv', examples: reordered }]))).toBe(false);
  });

  it("recognises a text's corpus and mixes in the corpora closest to it, not the unrelated ones", () => {
    const model = trainGroupedClassifier(groups);
    const group = (text: string) => model.groups[closestGroup(model, extractFeatures(text, model.features))]!.name;
    expect(group('who won the football final?')).toMatch(/^en/);
    expect(group('кто выиграл финал по футболу?')).toBe('ru.tsv');
    expect(group('chi ha vinto la finale di calcio?')).toBe('it.tsv');
    const english = model.neighbourhoods[0]!;
    expect(english[0]).toEqual({ group: 0, weight: 1 });
    // The other English corpus is the closest neighbour; Russian shares no vocabulary and is left out.
    expect(model.groups[english[1]!.group]!.name).toBe('en-news.tsv');
    expect(english.map((entry) => entry.group)).not.toContain(1);
    expect(english.length).toBeLessThanOrEqual(4);
    for (const [text, label] of [
      ['who won the football final?', 'sports'],
      ['кто выиграл финал по футболу?', 'sports'],
      ['рецепт супа с чесноком', 'food'],
      ['una ricetta con aglio e pomodoro', 'food'],
      ['el equipo ganó el partido', 'sports'],
    ] as const) {
      expect(predictLabel(model, text)).toBe(label);
    }
  });

  it("identifies a short text's corpus by how often each corpus uses its words, not only whether it has them", () => {
    const food = ['bake the bread for forty minutes', 'a recipe for tomato soup', 'fry the onions then add garlic', 'pasta with cheese and pepper'];
    const rarely = corpus(['football is on tonight', 'the match ended two nil', 'the team won the cup', 'tennis player wins the open'], food);
    const often = corpus(['football football match', 'a football cup final', 'the football team won', 'football player scores'], food);
    // Both corpora have every feature of "football"; the second uses them four times as often. The
    // first is listed first, so a tie would go to it.
    const model = trainGroupedClassifier([
      { name: 'rarely.tsv', examples: rarely },
      { name: 'often.tsv', examples: often },
    ]);
    const closest = (text: string) => model.groups[closestGroup(model, extractFeatures(text, model.features))]!.name;
    expect(closest('football')).toBe('often.tsv');
    expect(closest('football tennis')).toBe('rarely.tsv');
  });

  it('equals complement naive Bayes trained on the corpora it mixes', () => {
    const model = trainGroupedClassifier(groups);
    const texts = ['who won the football final?', 'soup with garlic', 'il tennista vince', 'обжарьте хлеб', 'pasta e pane'];
    // Own corpus only: the CNB of the text's corpus alone (the linear model is int8-quantised, hence the tolerance).
    const ownOnly = withNeighbourhoods(model, (h) => model.groups.map((_, g) => (g === h ? 1 : 0)));
    const alone = groups.map((group) => trainClassifier(group.examples));
    // Every corpus at weight 1: the CNB of everything pooled (same class proportions in every corpus).
    const everything = withNeighbourhoods(model, () => model.groups.map(() => 1));
    const pooled = trainClassifier(groups.flatMap((entry) => entry.examples));
    for (const text of texts) {
      const vector = extractFeatures(text, model.features);
      const own = closestGroup(model, vector);
      expect(own).toBeGreaterThanOrEqual(0);
      const expectedAlone = scoreVector(alone[own]!, vector);
      const actualAlone = scoreGroupedVector(ownOnly, vector);
      expect(argmax(actualAlone)).toBe(argmax(expectedAlone));
      for (let c = 0; c < expectedAlone.length; c++) expect(actualAlone[c]).toBeCloseTo(expectedAlone[c]!, 1);
      const expected = scoreVector(pooled, vector);
      const actual = scoreGroupedVector(everything, vector);
      expect(argmax(actual)).toBe(argmax(expected));
      for (let c = 0; c < expected.length; c++) expect(actual[c]).toBeCloseTo(expected[c]!, 1);
    }
  });

  it('round-trips through the model file, byte for byte on retraining', () => {
    const model = trainGroupedClassifier(groups);
    expect(encodeGroupedClassifier(trainGroupedClassifier(groups)).equals(encodeGroupedClassifier(model))).toBe(true);
    const restored = deserializeTopicModel(serializeTopicModel(model, { examples: 40 }));
    expect(restored.metadata).toEqual({ examples: 40 });
    expect(isGroupedClassifier(restored.model)).toBe(true);
    const loaded = restored.model as GroupedClassifier;
    expect(loaded.neighbourhoods).toEqual(model.neighbourhoods);
    for (const text of ['who won the football final?', 'рецепт супа', '⚽ 2:0']) {
      const vector = extractFeatures(text, model.features);
      expect(Array.from(scoreGroupedVector(loaded, vector))).toEqual(Array.from(scoreGroupedVector(model, vector)));
    }
  });

  it('gives no evidence for a text nothing in training covers', () => {
    const model = trainGroupedClassifier(groups);
    const vector = extractFeatures('日本語のテキスト', model.features);
    expect(closestGroup(model, vector)).toBe(-1);
    expect(Array.from(scoreGroupedVector(model, vector))).toEqual([0, 0]);
  });
});
