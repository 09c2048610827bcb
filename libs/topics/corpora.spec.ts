import { describe, expect, it } from 'vitest';
import type { LabelledText } from './classifier';
import { groupByLanguage } from './corpora';
import { mixesGroups, type TrainingGroup } from './grouped';
import type { LanguageIdentifier } from './language';
import { parseLabelledTsv } from './tsv';

const rows = (language: string, texts: [string, string][]): LabelledText[] => texts.map(([label, text], index) => ({ id: String(index), label, text, language }) as LabelledText);

const english = rows('en', [
  ['sports', 'the match ended two nil after a late goal'],
  ['sports', 'a great goal in the football match of the season'],
  ['sports', 'the team won the cup final in the evening'],
  ['sports', 'the tennis player wins the open for the third time'],
  ['food', 'bake the bread for forty minutes in the oven'],
  ['food', 'a recipe for tomato soup with fresh basil'],
  ['food', 'fry the onions and then add the garlic'],
  ['food', 'pasta with cheese and black pepper for dinner'],
]);
const italian = rows('it', [
  ['sports', 'la partita è finita due a zero dopo un gol nel finale'],
  ['sports', 'un gran gol nella partita di calcio della stagione'],
  ['sports', 'la squadra ha vinto la finale della coppa in serata'],
  ['sports', 'il tennista vince il torneo per la terza volta'],
  ['food', 'cuocere il pane per quaranta minuti nel forno'],
  ['food', 'una ricetta per la zuppa di pomodoro con basilico fresco'],
  ['food', 'soffriggere la cipolla e poi aggiungere aglio'],
  ['food', 'pasta con formaggio e pepe nero per la cena'],
]);
const spanish = rows('es', [
  ['sports', 'el partido terminó dos a cero tras un gol en el final'],
  ['sports', 'un gran gol en el partido de fútbol de la temporada'],
  ['sports', 'el equipo ganó la final de la copa por la noche'],
  ['sports', 'el tenista gana el torneo por tercera vez'],
  ['food', 'hornear el pan durante cuarenta minutos en el horno'],
  ['food', 'una receta de sopa de tomate con albahaca fresca'],
  ['food', 'freír la cebolla y después añadir el ajo'],
  ['food', 'pasta con queso y pimienta negra para la cena'],
]);
const languageOf = (example: LabelledText) => (example as LabelledText & { language: string }).language;

/** Names each text's language from the fixtures, except where `wrong` says otherwise (an identifier's mistakes). */
function identifierWith(wrong: Map<string, string> = new Map()): LanguageIdentifier {
  const all = [...english, ...italian, ...spanish];
  return {
    identify(text: string) {
      const language = wrong.get(text) ?? languageOf(all.find((example) => example.text === text)!);
      return { language, confidence: 0.9, likeliest: language };
    },
  };
}

const languagesIn = (group: TrainingGroup) => [...new Set(group.examples.map(languageOf))];

describe('groupByLanguage', () => {
  it('keeps one-language files as they are: the same groups, the same order, nothing split', () => {
    const files = [
      { name: 'en.tsv', examples: english },
      { name: 'it.tsv', examples: italian },
      { name: 'es.tsv', examples: spanish },
    ];
    // A few texts guessed wrong do not split a file whose language holds most of it.
    const { groups, splitFiles, moved } = groupByLanguage(files, identifierWith(new Map([[spanish[7]!.text, 'it']])));
    expect(splitFiles).toEqual([]);
    expect(moved).toBe(0);
    expect(groups.map((group) => group.name)).toEqual(['en (en.tsv)', 'it (it.tsv)', 'es (es.tsv)']);
    expect(groups.map((group) => group.examples)).toEqual([english, italian, spanish]);
    expect(mixesGroups(groups)).toBe(true);
  });

  it('splits a file of concatenated translations by language and places the texts the identifier got wrong by their words', () => {
    const wrong = new Map([
      [spanish[5]!.text, 'it'], // Spanish taken for Italian: a big group of the wrong language
      [spanish[2]!.text, 'it'],
      [english[3]!.text, 'nl'], // a language of its own for one text: too small to be a group
    ]);
    const { groups, splitFiles, moved } = groupByLanguage([{ name: 'all.tsv', examples: [...english, ...italian, ...spanish] }], identifierWith(wrong));
    expect(splitFiles).toEqual(['all.tsv']);
    expect(moved).toBe(3);
    expect(groups.map((group) => group.name)).toEqual(['en (all.tsv)', 'it (all.tsv)', 'es (all.tsv)']);
    expect(groups.map(languagesIn)).toEqual([['en'], ['it'], ['es']]);
    expect(groups.map((group) => group.examples.length)).toEqual([8, 8, 8]);
    expect(mixesGroups(groups)).toBe(true);
  });

  it('splits a shuffled concatenation the same way', () => {
    const shuffled = [...english, ...italian, ...spanish].map((example, index) => ({ example, key: (index * 7) % 24 })).sort((a, b) => a.key - b.key).map(({ example }) => example);
    const { groups } = groupByLanguage([{ name: 'all.tsv', examples: shuffled }], identifierWith(new Map([[italian[1]!.text, 'es']])));
    expect(groups.map(languagesIn).sort()).toEqual([['en'], ['es'], ['it']]);
  });

  it('finds a group for every text, even when many texts of dissolved languages share one id', () => {
    // Seven more translations of sentence 0, each in a language the identifier names only once:
    // every kept group already holds id 0, so none of them has a free group to go to.
    const extra = ['la partida acabó', 'o jogo terminou', 'het duel eindigde', 'le match a fini', 'das Spiel endete', 'mecz się skończył', 'maç bitti'];
    const rare = extra.map((text, index) => ({ id: '0', label: 'sports', text, language: `r${index}` }) as LabelledText);
    const identifier: LanguageIdentifier = {
      identify: (text) => {
        const language = languageOf([...english, ...italian, ...spanish, ...rare].find((example) => example.text === text)!);
        return { language, confidence: 0.9, likeliest: language };
      },
    };
    const { groups, splitFiles } = groupByLanguage([{ name: 'all.tsv', examples: [...english, ...italian, ...spanish, ...rare] }, { name: 'empty.tsv', examples: [] }], identifier);
    expect(splitFiles).toEqual(['all.tsv']);
    expect(groups.map((group) => group.name)).toEqual(['en (all.tsv)', 'it (all.tsv)', 'es (all.tsv)']);
    expect(groups.reduce((sum, group) => sum + group.examples.length, 0)).toBe(24 + rare.length);
  });

  it('keeps a one-language file whole when its ids repeat within that language (thread ids, say)', () => {
    const threads = english.map((example, index) => ({ ...example, id: `thread-${index % 2}` }));
    const { groups, splitFiles, moved } = groupByLanguage([{ name: 'en.tsv', examples: threads }, { name: 'it.tsv', examples: italian }], identifierWith());
    expect(splitFiles).toEqual([]);
    expect(moved).toBe(0);
    expect(groups.map((group) => [group.name, group.examples.length])).toEqual([['en (en.tsv)', 8], ['it (it.tsv)', 8]]);
  });

  it('keeps files the identifier cannot name apart from one another', () => {
    const unnamed: LanguageIdentifier = { identify: () => ({ language: null, confidence: 0 }) };
    const { groups } = groupByLanguage([{ name: 'a.tsv', examples: english }, { name: 'b.tsv', examples: italian }], unnamed);
    expect(groups.map((group) => group.name)).toEqual(['und (a.tsv)', 'und (b.tsv)']);
  });

  it("merges one language's files (train and dev) into one group, parallel to the other languages", () => {
    const split = (examples: LabelledText[]) => [examples.slice(0, 6), examples.slice(6)];
    const [englishTrain, englishDev] = split(english);
    const [italianTrain, italianDev] = split(italian);
    const files = [
      { name: 'en/train.tsv', examples: englishTrain! },
      { name: 'en/dev.tsv', examples: englishDev! },
      { name: 'it/train.tsv', examples: italianTrain! },
      { name: 'it/dev.tsv', examples: italianDev! },
    ];
    // By file, each dev file would be a group of its own, of two texts.
    const { groups } = groupByLanguage(files, identifierWith());
    expect(groups.map((group) => group.name)).toEqual(['en (en/train.tsv, en/dev.tsv)', 'it (it/train.tsv, it/dev.tsv)']);
    expect(groups.map((group) => group.examples.length)).toEqual([8, 8]);
    expect(mixesGroups(groups)).toBe(true);
  });
});

describe('parallel corpora', () => {
  it('with ids: parallel when each corpus shares most ids with another under the same label', () => {
    expect(mixesGroups([{ name: 'en', examples: english }, { name: 'it', examples: [...italian].reverse() }])).toBe(true);
    const otherIds = italian.map((example, index) => ({ ...example, id: `x${index}` }));
    expect(mixesGroups([{ name: 'en', examples: english }, { name: 'it', examples: otherIds }])).toBe(false);
    const otherLabels = italian.map((example) => ({ ...example, label: example.label === 'food' ? 'sports' : 'food' }));
    expect(mixesGroups([{ name: 'en', examples: english }, { name: 'it', examples: otherLabels }])).toBe(false);
  });

  it('with ids: corpora numbered 1…n with one common label are not parallel by chance', () => {
    // Both mostly "other": 60% of the ids carry the same label in both, by chance.
    const numbered = (rareAt: number) => Array.from({ length: 100 }, (_, index) => ({ id: String(index), label: index % 5 === rareAt ? 'rare' : 'other', text: `post ${index}` }));
    expect(mixesGroups([{ name: 'a', examples: numbered(0) }, { name: 'b', examples: numbered(1) }])).toBe(false);
    expect(mixesGroups([{ name: 'a', examples: numbered(0) }, { name: 'b', examples: numbered(0) }])).toBe(true);
  });
});

describe('parseLabelledTsv', () => {
  it('reads the id column and skips the header where files were concatenated', () => {
    const file = 'index_id\tcategory\ttext\n7\tsports\tgoal!\n';
    const examples = parseLabelledTsv(file + file);
    expect(examples).toEqual([
      { id: '7', label: 'sports', text: 'goal!' },
      { id: '7', label: 'sports', text: 'goal!' },
    ]);
    expect(parseLabelledTsv('category\ttext\nfood\tsoup\n')).toEqual([{ label: 'food', text: 'soup' }]);
    // The repeated header written with other case or spacing is still a header.
    expect(parseLabelledTsv('category\ttext\nfood\tsoup\nCategory \tText\r\nsports\tgoal\n')).toEqual([
      { label: 'food', text: 'soup' },
      { label: 'sports', text: 'goal' },
    ]);
  });
});
