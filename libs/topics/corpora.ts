/**
 * Training files → training groups, one per language.
 *
 * The grouped classifier (grouped.ts) wants one group per language of a parallel corpus. Files are
 * the natural groups when each file holds one language, which is how SIB-200 ships. But the same
 * data also arrives as one file that concatenates every language (with the header repeated or not,
 * in order or shuffled), or as a train file and a dev file per language. Grouping by file pooled the
 * first (SIB-200 dev, eng/rus/ita/spa/deu: 73.3% against 76.4% grouped) and split the second into
 * groups that are not parallel to one another. So:
 *
 * 1. every text gets its likeliest language from the language identifier (one that names Latin-script
 *    languages: fastText's lid.176 in the CLI, not the script-based fallback);
 * 2. a file is kept whole, as one unit of its commonest language, unless no language holds half its
 *    texts, or the ids that repeat in it mostly repeat across languages (translations of one corpus
 *    concatenated; an id repeated within one language, a thread or source id, does not count);
 *    otherwise its texts are split into units by language;
 * 3. units of one language, from any file, become one group, in order of first appearance (files
 *    whose commonest guess is "no language" stay groups of their own);
 * 4. a group made only of split texts and smaller than a quarter of a full group is dissolved (a
 *    language the identifier guessed for a few texts: Malay for Indonesian, say); with ids a full
 *    group holds every id of the split texts once, without ids it is the median group;
 * 5. split texts are placed again, leave-one-out, by a multinomial naive Bayes over the groups'
 *    feature frequencies (the grouped model's own language identifier), at most REASSIGN_PASSES
 *    times. With ids, a group may hold each id once, since translations share it: of the texts that
 *    clash on an id, the one with the widest margin over its next group stays, and the others move to
 *    their likeliest group free of that id. fastText names Uzbek sentences Uzbek, Turkish or English
 *    (434 / 151 / 84 of SIB-200's 701): every one of them clashes with the Turkish or English
 *    translation of itself, and goes back to Uzbek. Without ids, every split text goes to its
 *    likeliest group on every pass.
 *
 * Texts of files kept whole never move. A list of one-language files therefore gives the groups it
 * gave before (named by language now), unless the identifier names two files' languages the same.
 */
import type { LabelledText } from './classifier';
import { extractFeatures, type FeatureConfig, type SparseVector } from './features';
import { LANGUAGE_ID_SMOOTHING, type TrainingGroup } from './grouped';
import type { LanguageIdentifier } from './language';

/** A file is split when its commonest language holds less than this share of its texts. */
export const SPLIT_BELOW_SHARE = 0.5;
/** A group of split texts only is dissolved when smaller than this share of a full group. */
const MIN_GROUP_SHARE = 0.25;
const REASSIGN_PASSES = 5;
const UNKNOWN_LANGUAGE = 'und';
/** Features for telling languages apart: characters and their pairs and triples, and words. */
const LANGUAGE_FEATURES: FeatureConfig = { hashBits: 16, charMin: 1, charMax: 3, wordNgrams: 1, wordWeight: 0.5 };

interface Unit {
  language: string;
  sources: string[];
  examples: LabelledText[];
  /** Whether the unit holds texts of split files (which may be reassigned). */
  split: boolean;
}

export interface LanguageGrouping {
  groups: TrainingGroup[];
  /** Files whose texts were split by language. */
  splitFiles: string[];
  /** Split texts that ended in another group than the identifier's first guess put them in. */
  moved: number;
}

export function groupByLanguage(files: readonly TrainingGroup[], identifier: LanguageIdentifier): LanguageGrouping {
  const units = new Map<string, Unit>();
  const unitOf = (key: string, language: string): Unit => {
    let unit = units.get(key);
    if (!unit) units.set(key, (unit = { language, sources: [], examples: [], split: false }));
    return unit;
  };
  const splitTexts: { example: LabelledText; language: string }[] = [];
  const splitFiles: string[] = [];
  for (const file of files) {
    if (file.examples.length === 0) continue;
    const languages = file.examples.map((example) => {
      const guess = identifier.identify(example.text);
      return guess.likeliest ?? guess.language ?? UNKNOWN_LANGUAGE;
    });
    const [majority, count] = commonest(languages);
    if (!idsCrossLanguages(file.examples, languages) && count >= SPLIT_BELOW_SHARE * languages.length) {
      // Files the identifier cannot name are not merged with one another.
      const unit = majority === UNKNOWN_LANGUAGE ? unitOf(`${UNKNOWN_LANGUAGE}\t${file.name}`, majority) : unitOf(majority!, majority!);
      unit.sources.push(file.name);
      unit.examples.push(...file.examples);
      continue;
    }
    splitFiles.push(file.name);
    file.examples.forEach((example, index) => {
      const unit = unitOf(languages[index]!, languages[index]!);
      if (!unit.sources.includes(file.name)) unit.sources.push(file.name);
      unit.split = true;
      splitTexts.push({ example, language: languages[index]! });
    });
  }
  if (splitTexts.length === 0) return { groups: [...units.values()].map(toGroup), splitFiles, moved: 0 };

  // Units of whole files keep their texts; split texts are placed below.
  const splitByLanguage = new Map<string, number>();
  for (const text of splitTexts) splitByLanguage.set(text.language, (splitByLanguage.get(text.language) ?? 0) + 1);
  const sizes = [...units.values()].map((unit) => unit.examples.length + (unit.split ? splitByLanguage.get(unit.language)! : 0));
  // A full group: with ids, one translation of every id among the split texts; without, the median unit.
  const withIds = splitTexts.every((text) => text.example.id !== undefined);
  const full = withIds ? new Set(splitTexts.map((text) => text.example.id)).size : [...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)]!;
  const kept = [...units.values()].filter((unit, index) => !(unit.split && unit.examples.length === 0 && sizes[index]! < MIN_GROUP_SHARE * full));
  const indexOf = new Map(kept.filter((unit) => unit.split).map((unit) => [unit.language, kept.indexOf(unit)]));

  // Feature mass per bucket and group: whole files' texts stay put, split texts move between passes.
  const frequencies = new GroupFrequencies(kept.length);
  kept.forEach((unit, group) => {
    for (const example of unit.examples) frequencies.add(extractFeatures(example.text, LANGUAGE_FEATURES), group, 1);
  });
  const vectors = splitTexts.map((text) => extractFeatures(text.example.text, LANGUAGE_FEATURES));
  const assignment = splitTexts.map((text) => indexOf.get(text.language) ?? -1);
  assignment.forEach((group, index) => {
    if (group >= 0) frequencies.add(vectors[index]!, group, 1);
  });
  // Step 5 of the header.
  for (let pass = 0; pass < REASSIGN_PASSES; pass++) {
    frequencies.prepare();
    const holders = new Map<string, number[]>(); // "group\tid" → split texts holding it (-1: a whole file's text)
    const hold = (group: number, id: string | undefined, index: number) => {
      if (group < 0 || id === undefined) return;
      const key = `${group}\t${id}`;
      const list = holders.get(key);
      if (list) list.push(index);
      else holders.set(key, [index]);
    };
    if (withIds) {
      kept.forEach((unit, group) => unit.examples.forEach((example) => hold(group, example.id, -1)));
      splitTexts.forEach((text, index) => hold(assignment[index]!, text.example.id, index));
    }
    const held = (group: number, index: number) => (holders.get(`${group}\t${splitTexts[index]!.example.id}`) ?? []).some((holder) => holder !== index);
    const scores = new Map<number, Float64Array>();
    const scoreOf = (index: number) => scores.get(index) ?? scores.set(index, frequencies.scores(vectors[index]!, assignment[index]!)).get(index)!;
    const bestFree = (index: number, except = -1) => argmaxWhere(scoreOf(index), (group) => group !== except && (!withIds || !held(group, index)));
    const next = [...assignment];
    splitTexts.forEach((_, index) => {
      if (!withIds) next[index] = argmaxWhere(scoreOf(index), () => true);
      else if (assignment[index]! < 0) {
        const free = bestFree(index);
        next[index] = free >= 0 ? free : argmaxWhere(scoreOf(index), () => true);
      }
    });
    if (withIds) {
      for (const clash of holders.values()) {
        if (clash.length < 2) continue;
        const movable = clash.filter((index) => index >= 0);
        const margin = (index: number) => {
          const elsewhere = bestFree(index, assignment[index]!);
          return elsewhere < 0 ? Infinity : scoreOf(index)[assignment[index]!]! - scoreOf(index)[elsewhere]!;
        };
        const stays = clash.includes(-1) ? -1 : movable.reduce((best, index) => (margin(index) > margin(best) ? index : best));
        for (const index of movable) {
          const elsewhere = index === stays ? -1 : bestFree(index, assignment[index]!);
          if (elsewhere >= 0) next[index] = elsewhere;
        }
      }
    }
    let changed = false;
    next.forEach((group, index) => {
      if (group === assignment[index] || group < 0) return;
      changed = true;
      if (assignment[index]! >= 0) frequencies.add(vectors[index]!, assignment[index]!, -1);
      frequencies.add(vectors[index]!, group, 1);
      assignment[index] = group;
    });
    if (!changed) break;
  }

  // A text that found no group without a clash (the passes ran out) goes to its likeliest one.
  if (assignment.includes(-1)) {
    frequencies.prepare();
    assignment.forEach((group, index) => {
      if (group < 0) assignment[index] = argmaxWhere(frequencies.scores(vectors[index]!, -1), () => true);
    });
  }

  const groups = kept.map((unit) => ({ ...unit, examples: [...unit.examples] }));
  let moved = 0;
  splitTexts.forEach((text, index) => {
    const group = groups[assignment[index]!]!;
    group.examples.push(text.example);
    if (group.language !== text.language) moved++;
  });
  return { groups: groups.filter((group) => group.examples.length > 0).map(toGroup), splitFiles, moved };
}

/** The index of the highest score among those allowed, or -1 if none is. */
function argmaxWhere(scores: Float64Array, allowed: (index: number) => boolean): number {
  let best = -1;
  for (let index = 0; index < scores.length; index++) {
    if (allowed(index) && (best < 0 || scores[index]! > scores[best]!)) best = index;
  }
  return best;
}

function toGroup(unit: Unit): TrainingGroup {
  return { name: `${unit.language} (${unit.sources.join(', ')})`, examples: unit.examples };
}

function commonest(values: readonly string[]): [string | undefined, number] {
  const counts = new Map<string, number>();
  let best: string | undefined;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return [best, bestCount];
}

/**
 * Whether the file is translations concatenated: ids that repeat in it mostly repeat across
 * languages. Ids repeated within one language (a thread or source id) do not count.
 */
function idsCrossLanguages(examples: readonly LabelledText[], languages: readonly string[]): boolean {
  const byId = new Map<string, { rows: number; languages: Set<string> }>();
  examples.forEach((example, index) => {
    if (example.id === undefined) return;
    const entry = byId.get(example.id);
    if (entry) {
      entry.rows++;
      entry.languages.add(languages[index]!);
    } else byId.set(example.id, { rows: 1, languages: new Set([languages[index]!]) });
  });
  let repeated = 0;
  let across = 0;
  for (const { rows, languages: seen } of byId.values()) {
    if (rows < 2) continue;
    repeated++;
    if (seen.size > 1) across++;
  }
  return across * 2 > repeated && repeated > 0;
}

/**
 * Feature mass per hash bucket and group, and the groups' multinomial naive Bayes over it:
 * log P(text | g) = Σ_k v_k·log((m_g,k + β) / (T_g + β·V)), as grouped.ts's `closestGroup`.
 */
class GroupFrequencies {
  private readonly mass: Float64Array;
  private readonly logs: Float64Array;
  private readonly totals: Float64Array;
  private readonly logNormalisers: Float64Array;
  private vocabulary = 0;

  constructor(private readonly groups: number) {
    const cells = (1 << LANGUAGE_FEATURES.hashBits) * groups;
    this.mass = new Float64Array(cells);
    this.logs = new Float64Array(cells);
    this.totals = new Float64Array(groups);
    this.logNormalisers = new Float64Array(groups);
  }

  add(vector: SparseVector, group: number, sign: 1 | -1): void {
    for (let k = 0; k < vector.indices.length; k++) {
      this.mass[vector.indices[k]! * this.groups + group]! += sign * vector.values[k]!;
      this.totals[group]! += sign * vector.values[k]!;
    }
  }

  /** Takes the logarithms of the current masses, once per pass. */
  prepare(): void {
    this.vocabulary = 0;
    for (let bucket = 0; bucket < this.mass.length; bucket += this.groups) {
      let seen = false;
      for (let g = 0; g < this.groups; g++) {
        const mass = Math.max(0, this.mass[bucket + g]!);
        if (mass > 0) seen = true;
        this.logs[bucket + g] = Math.log(mass + LANGUAGE_ID_SMOOTHING);
      }
      if (seen) this.vocabulary++;
    }
    for (let g = 0; g < this.groups; g++) this.logNormalisers[g] = this.logNormaliser(this.totals[g]!);
  }

  /** log P(text | g) per group, with the text's own mass taken out of the group it is in now (leave-one-out). */
  scores(vector: SparseVector, current: number): Float64Array {
    const score = new Float64Array(this.groups);
    let own = 0;
    for (let k = 0; k < vector.indices.length; k++) {
      const value = vector.values[k]!;
      const cell = vector.indices[k]! * this.groups;
      own += value;
      for (let g = 0; g < this.groups; g++) score[g]! += value * this.logs[cell + g]!;
      if (current >= 0) {
        const left = Math.max(0, this.mass[cell + current]! - value);
        score[current]! += value * (Math.log(left + LANGUAGE_ID_SMOOTHING) - this.logs[cell + current]!);
      }
    }
    for (let g = 0; g < this.groups; g++) score[g]! -= own * (g === current ? this.logNormaliser(this.totals[g]! - own) : this.logNormalisers[g]!);
    return score;
  }

  private logNormaliser(total: number): number {
    return Math.log(Math.max(0, total) + LANGUAGE_ID_SMOOTHING * this.vocabulary);
  }
}
