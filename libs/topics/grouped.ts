/**
 * A classifier trained on several corpora (one per language, typically) that weighs each corpus by
 * how close it is to the text being classified.
 *
 * Pooling every language into one complement naive Bayes dilutes it: on SIB-200, one model over 23
 * languages scores below a model trained on the text's own language alone, while the own language
 * plus a few related ones scores above both. So each training corpus (a "group": one `--train` file)
 * keeps its own class-balanced count table, and a text is classified by the complement naive Bayes
 * of a MIXTURE of those tables:
 *
 * 1. the text's group ĥ is the most likely group under a multinomial naive Bayes over the groups'
 *    feature frequencies (a language identifier learned from the corpora themselves: no language
 *    table);
 * 2. the mixture is ĥ at weight 1 plus the NEIGHBOURS most similar to ĥ at weight min(1, S[ĥ,g]),
 *    where S[h,g] is the mean share of h's training texts covered by g's vocabulary, divided by h's
 *    leave-one-out coverage of itself (computed at training time from the training data alone);
 * 3. CNB weights of the text's features are computed from the mixed counts, with the smoothing of a
 *    corpus of the mixture's size: exactly the CNB that training on those groups with those example
 *    weights would give.
 *
 * Chosen by 5-fold cross-validation on the SIB-200 train splits (`scripts/topics/lang-lab.ts`,
 * BENCHMARKS.md): eng/rus/ita/spa/deu mean 74.6% against 72.3% pooled and 73.6% own language only.
 * Weights on every group, however shaped, dilute like pooling: the cut to a few groups is what helps.
 *
 * Used when training on two or more PARALLEL corpora: translations of one another, recognised by ids
 * that the corpora share with the same label (SIB-200's index_id), or without ids by the same number of
 * rows with the same label on every row (a translated training set). corpora.ts makes the groups, one
 * per language, from whatever files hold the corpora. Translations add vocabulary, not content, so a
 * text loses nothing by being classified with its own language and its closest relatives only.
 * Corpora with different content in each file are pooled: on the shipped corpus (different posts in
 * each of 11 languages) grouping by language loses 3.3 points in cross-validation
 * (`scripts/topics/shipped-cv.ts`), because every language's posts add evidence (brands, tickers,
 * links, emoji) that the others use.
 */
import { DEFAULT_TRAIN_OPTIONS, argmax, featurizeAll, labelSet, trainClassifier, type LabelledText, type LinearClassifier, type TrainOptions } from './classifier';
import type { FeatureConfig, SparseVector } from './features';

export interface TrainingGroup {
  /** Where the group came from (a file name); kept in the model for inspection. */
  name: string;
  examples: readonly LabelledText[];
}

/** Neighbouring groups mixed in besides the text's own. Cross-validated: 3 / 4 / 5 / 6 groups in all gave 75.0 / 75.1 / 74.7 / 74.4. */
export const GROUP_NEIGHBOURS = 3;
/** Share of a corpus's examples that other corpora must translate for the corpora to count as parallel. */
const PARALLEL_SHARE = 0.8;
/** Training texts per group used to measure group similarity (a sample is plenty). */
const SIMILARITY_SAMPLE = 150;
/**
 * Additive smoothing of the language identifier's per-group feature frequencies, in feature-value units
 * (one text's feature values are ~0.05-0.3). On SIB-200 dev cut to 1 / 2 / 3 words (all 23 languages,
 * `scripts/topics/short-text-lab.ts`): 0.001 / 0.01 / 0.1 / 1 identify 83.0 / 82.9 / 82.0 / 79.1% of
 * one-word texts and 94.7 / 94.6 / 93.8 / 91.9% of two-word ones; vocabulary coverage alone, 73.5 / 89.8%.
 */
export const LANGUAGE_ID_SMOOTHING = 0.01;

export interface GroupMixture {
  /** Weight of every group in the mixture (0 for groups left out). */
  weightOf: Float64Array;
  alpha: number;
  /** log(T − T_c + α·V) per class: the complement's normaliser. */
  logDenominators: Float64Array;
}

export interface GroupedClassifier {
  kind: 'grouped';
  labels: string[];
  features: FeatureConfig;
  /** Laplace smoothing for a corpus of 1,000 texts; grows as (n / 1000)^0.75 like the pooled model's. */
  nbAlpha: number;
  groups: { name: string; examples: number }[];
  /** Per group h, the groups mixed when h is the text's group: h itself first at weight 1. */
  neighbourhoods: { group: number; weight: number }[][];
  /** Class-balanced count total per group and class (groups × classes). */
  classTotals: Float64Array;
  /** Hash bucket → row, or -1 for buckets no group saw. */
  rowOf: Int32Array;
  /** Row r's entries are rowStart[r] … rowStart[r + 1] − 1, one per group that saw the bucket. */
  rowStart: Int32Array;
  entryGroup: Uint16Array;
  /** Class-balanced counts per entry and class (entries × classes). */
  entryCounts: Float32Array;
  /** Derived from the above by `prepareMixtures` (not stored in the model file). */
  mixtures: GroupMixture[];
  /** Derived (not stored): the language identifier's log(1 + m/β) per entry, m its count over all classes. */
  entryLanguageLift: Float32Array;
  /** Derived (not stored): the language identifier's log(T_g + β·V) per group. */
  languageNormalisers: Float64Array;
}

export type TopicClassifier = LinearClassifier | GroupedClassifier;

export function isGroupedClassifier(model: TopicClassifier): model is GroupedClassifier {
  return (model as GroupedClassifier).kind === 'grouped';
}

/**
 * Whether `trainTopicClassifier` would mix these corpora per text: two or more, parallel (they share
 * their ids with one label, or without ids row i has one label in all).
 */
export function mixesGroups(groups: readonly TrainingGroup[]): boolean {
  if (groups.length < 2 || groups.some((group) => group.examples.length === 0)) return false;
  if (groups.every((group) => group.examples.every((example) => example.id !== undefined))) return sharesIds(groups);
  const [first, ...others] = groups.map((group) => group.examples);
  return others.every((examples) => examples.length === first!.length && examples.every((example, row) => example.label === first![row]!.label));
}

/**
 * Corpora with ids are parallel when, in every one, at least PARALLEL_SHARE of the examples have an
 * id that other corpora hold too, and every other corpus that holds it gives it the same label (a
 * translation of that example). Unrelated corpora numbered 1…n share ids by chance, but not their
 * labels on all of them.
 */
function sharesIds(groups: readonly TrainingGroup[]): boolean {
  const holders = new Map<string, { group: number; label: string }[]>();
  groups.forEach((group, g) => {
    for (const example of group.examples) {
      const list = holders.get(example.id!);
      if (list) list.push({ group: g, label: example.label });
      else holders.set(example.id!, [{ group: g, label: example.label }]);
    }
  });
  return groups.every((group, g) => {
    const translated = group.examples.filter((example) => {
      const others = holders.get(example.id!)!.filter((holder) => holder.group !== g);
      return others.length > 0 && others.every((holder) => holder.label === example.label);
    }).length;
    return translated >= PARALLEL_SHARE * group.examples.length;
  });
}

/**
 * Trains on one or more corpora: a grouped classifier when there are several parallel ones, one pooled
 * linear classifier otherwise.
 */
export function trainTopicClassifier(groups: readonly TrainingGroup[], options: Partial<TrainOptions> = {}): TopicClassifier {
  return mixesGroups(groups)
    ? trainGroupedClassifier(groups, options)
    : trainClassifier(groups.flatMap((group) => group.examples), options);
}

interface GroupCounts {
  vectors: SparseVector[];
  /** bucket → slot in `counts` / `documentFrequency` */
  slotOf: Map<number, number>;
  counts: Float64Array;
  documentFrequency: Int32Array;
}

/** Always complement naive Bayes; of the options it uses `features`, `nbAlpha` and `balanceClasses`. */
export function trainGroupedClassifier(groups: readonly TrainingGroup[], options: Partial<TrainOptions> = {}): GroupedClassifier {
  const settings: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (!mixesGroups(groups)) throw new Error('a grouped classifier needs two or more parallel corpora (translations: shared ids with one label, or the same label on every row)');
  if (groups.length > 0xffff) throw new Error('too many training groups');
  const labels = labelSet(groups.flatMap((group) => group.examples));
  const classes = labels.length;
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const buckets = 1 << settings.features.hashBits;
  const classTotals = new Float64Array(groups.length * classes);

  const perGroup: GroupCounts[] = groups.map((group, g) => {
    const vectors = featurizeAll(group.examples.map((example) => example.text), settings.features);
    const perClass = new Float64Array(classes);
    for (const example of group.examples) perClass[classOf.get(example.label)!]! += 1;
    const slotOf = new Map<number, number>();
    let counts = new Float64Array(4096 * classes);
    let documentFrequency = new Int32Array(4096);
    group.examples.forEach((example, index) => {
      const classIndex = classOf.get(example.label)!;
      const weight = settings.balanceClasses ? group.examples.length / (classes * perClass[classIndex]!) : 1;
      const vector = vectors[index]!;
      for (let k = 0; k < vector.indices.length; k++) {
        let slot = slotOf.get(vector.indices[k]!);
        if (slot === undefined) {
          slot = slotOf.size;
          slotOf.set(vector.indices[k]!, slot);
          if (slot >= documentFrequency.length) {
            counts = grow(counts, counts.length * 2);
            documentFrequency = grow(documentFrequency, documentFrequency.length * 2);
          }
        }
        const value = weight * vector.values[k]!;
        counts[slot * classes + classIndex]! += value;
        documentFrequency[slot]! += 1;
        classTotals[g * classes + classIndex]! += value;
      }
    });
    return { vectors, slotOf, counts, documentFrequency };
  });

  // One row per bucket any group saw; its entries in group order.
  const entriesOfBucket = new Int32Array(buckets);
  for (const group of perGroup) for (const bucket of group.slotOf.keys()) entriesOfBucket[bucket]! += 1;
  const rowOf = new Int32Array(buckets).fill(-1);
  let rows = 0;
  let entries = 0;
  for (let bucket = 0; bucket < buckets; bucket++) {
    if (entriesOfBucket[bucket]! === 0) continue;
    rowOf[bucket] = rows++;
    entries += entriesOfBucket[bucket]!;
  }
  const rowStart = new Int32Array(rows + 1);
  for (let bucket = 0, row = 0; bucket < buckets; bucket++) {
    if (rowOf[bucket]! < 0) continue;
    rowStart[row + 1] = rowStart[row]! + entriesOfBucket[bucket]!;
    row++;
  }
  const cursor = rowStart.slice(0, rows);
  const entryGroup = new Uint16Array(entries);
  const entryCounts = new Float32Array(entries * classes);
  perGroup.forEach((group, g) => {
    for (const [bucket, slot] of group.slotOf) {
      const entry = cursor[rowOf[bucket]!]!++;
      entryGroup[entry] = g;
      for (let c = 0; c < classes; c++) entryCounts[entry * classes + c] = group.counts[slot * classes + c]!;
    }
  });

  const similarity = groupSimilarity(perGroup, rowOf, rowStart, entryGroup);
  const neighbourhoods = perGroup.map((_, h) => {
    const others = perGroup
      .map((__, g) => ({ group: g, weight: Math.min(1, similarity[h * groups.length + g]!) }))
      .filter((entry) => entry.group !== h && entry.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.group - b.group)
      .slice(0, GROUP_NEIGHBOURS);
    return [{ group: h, weight: 1 }, ...others];
  });
  return groupedClassifier({
    labels,
    features: settings.features,
    nbAlpha: settings.nbAlpha,
    groups: groups.map((group) => ({ name: group.name, examples: group.examples.length })),
    neighbourhoods,
    classTotals,
    rowOf,
    rowStart,
    entryGroup,
    entryCounts,
  });
}

/** A grouped classifier from what training (or the model file) stores, with its mixtures prepared. */
export function groupedClassifier(stored: Omit<GroupedClassifier, 'kind' | 'mixtures' | 'entryLanguageLift' | 'languageNormalisers'>): GroupedClassifier {
  const classes = stored.labels.length;
  const entryLanguageLift = new Float32Array(stored.entryGroup.length);
  for (let entry = 0; entry < entryLanguageLift.length; entry++) {
    let count = 0;
    for (let c = 0; c < classes; c++) count += stored.entryCounts[entry * classes + c]!;
    entryLanguageLift[entry] = Math.log1p(Math.max(0, count) / LANGUAGE_ID_SMOOTHING);
  }
  const vocabulary = stored.rowStart.length - 1;
  const languageNormalisers = Float64Array.from(stored.groups, (_, g) => {
    let total = 0;
    for (let c = 0; c < classes; c++) total += stored.classTotals[g * classes + c]!;
    return Math.log(total + LANGUAGE_ID_SMOOTHING * vocabulary);
  });
  const model: GroupedClassifier = { kind: 'grouped', ...stored, mixtures: [], entryLanguageLift, languageNormalisers };
  model.mixtures = prepareMixtures(model);
  return model;
}

function grow<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/**
 * S[h,g]: the mean share of the feature mass of h's training texts that g's vocabulary covers. For
 * g = h a feature counts only if another text of h has it too (leave-one-out), and each row is then
 * divided by that diagonal, so S[h,h] = 1 and S[h,g] says how much of h's language g speaks.
 */
function groupSimilarity(perGroup: GroupCounts[], rowOf: Int32Array, rowStart: Int32Array, entryGroup: Uint16Array): Float64Array {
  const groups = perGroup.length;
  const similarity = new Float64Array(groups * groups);
  const coverage = new Float64Array(groups);
  perGroup.forEach((group, h) => {
    const step = Math.max(1, Math.floor(group.vectors.length / SIMILARITY_SAMPLE));
    let sampled = 0;
    for (let index = 0; index < group.vectors.length; index += step) {
      const vector = group.vectors[index]!;
      coverage.fill(0);
      let mass = 0;
      for (let k = 0; k < vector.indices.length; k++) {
        const bucket = vector.indices[k]!;
        const value = vector.values[k]!;
        mass += value;
        const row = rowOf[bucket]!;
        for (let entry = rowStart[row]!; entry < rowStart[row + 1]!; entry++) {
          const g = entryGroup[entry]!;
          if (g === h && group.documentFrequency[group.slotOf.get(bucket)!]! < 2) continue;
          coverage[g]! += value;
        }
      }
      if (mass === 0) continue;
      for (let g = 0; g < groups; g++) similarity[h * groups + g]! += coverage[g]! / mass;
      sampled++;
    }
    const self = similarity[h * groups + h]!;
    for (let g = 0; g < groups; g++) {
      similarity[h * groups + g] = sampled > 0 && self > 0 ? similarity[h * groups + g]! / self : g === h ? 1 : 0;
    }
  });
  return similarity;
}

/** The smoothing and normalisers of each group's mixture; a function of the stored model alone. */
export function prepareMixtures(model: GroupedClassifier): GroupMixture[] {
  const groups = model.groups.length;
  const classes = model.labels.length;
  const rows = model.rowStart.length - 1;
  return model.neighbourhoods.map((neighbourhood) => {
    const weightOf = new Float64Array(groups);
    for (const { group, weight } of neighbourhood) weightOf[group] = weight;
    let examples = 0;
    const totals = new Float64Array(classes);
    for (let g = 0; g < groups; g++) {
      if (weightOf[g] === 0) continue;
      examples += weightOf[g]! * model.groups[g]!.examples;
      for (let c = 0; c < classes; c++) totals[c]! += weightOf[g]! * model.classTotals[g * classes + c]!;
    }
    let vocabulary = 0;
    for (let row = 0; row < rows; row++) {
      for (let entry = model.rowStart[row]!; entry < model.rowStart[row + 1]!; entry++) {
        if (weightOf[model.entryGroup[entry]!]! > 0) {
          vocabulary++;
          break;
        }
      }
    }
    const alpha = model.nbAlpha * (examples / 1000) ** 0.75;
    const grandTotal = totals.reduce((sum, total) => sum + total, 0);
    const logDenominators = totals.map((total) => Math.log(grandTotal - total + alpha * vocabulary));
    return { weightOf, alpha, logDenominators };
  });
}

/**
 * The text's group: the most likely one under a multinomial naive Bayes over the groups' feature
 * frequencies (counts summed over classes, smoothed by LANGUAGE_ID_SMOOTHING), or -1 if no group saw
 * any of the text's features. Features no group saw are left out, as they say nothing about the group.
 * log P(text | g) = Σ_k v_k·log((m_g,k + β) / (T_g + β·V)); the part common to every group,
 * Σ_k v_k·log β, is dropped, leaving Σ_k v_k·log(1 + m_g,k/β) − (Σ_k v_k)·log(T_g + β·V).
 *
 * Until 2026-11-22 this was the group whose vocabulary covered most of the text's feature mass, which
 * ties on short texts whose few features every related language has (ties went to the first file):
 * on SIB-200 dev cut to two words it found the right language for 89.8% of texts against 94.6% now.
 */
export function closestGroup(model: GroupedClassifier, vector: SparseVector): number {
  const groups = model.groups.length;
  const score = new Float64Array(groups);
  let known = 0;
  for (let k = 0; k < vector.indices.length; k++) {
    const row = model.rowOf[vector.indices[k]!]!;
    if (row < 0) continue;
    const value = vector.values[k]!;
    known += value;
    for (let entry = model.rowStart[row]!; entry < model.rowStart[row + 1]!; entry++) score[model.entryGroup[entry]!]! += value * model.entryLanguageLift[entry]!;
  }
  if (known === 0) return -1;
  for (let g = 0; g < groups; g++) score[g]! -= known * model.languageNormalisers[g]!;
  return argmax(score);
}

/** Class scores (logits) of a vector: complement naive Bayes over the mixture of its closest group. */
export function scoreGroupedVector(model: GroupedClassifier, vector: SparseVector): Float64Array {
  const classes = model.labels.length;
  const logits = new Float64Array(classes);
  const own = closestGroup(model, vector);
  if (own < 0) return logits;
  const { weightOf, alpha, logDenominators } = model.mixtures[own]!;
  const mixed = new Float64Array(classes);
  const weights = new Float64Array(classes);
  for (let k = 0; k < vector.indices.length; k++) {
    const row = model.rowOf[vector.indices[k]!]!;
    if (row < 0) continue;
    mixed.fill(0);
    let seen = false;
    for (let entry = model.rowStart[row]!; entry < model.rowStart[row + 1]!; entry++) {
      const weight = weightOf[model.entryGroup[entry]!]!;
      if (weight === 0) continue;
      seen = true;
      for (let c = 0; c < classes; c++) mixed[c]! += weight * model.entryCounts[entry * classes + c]!;
    }
    if (!seen) continue;
    let total = 0;
    for (let c = 0; c < classes; c++) total += mixed[c]!;
    if (!(total > 0)) continue;
    let mean = 0;
    for (let c = 0; c < classes; c++) {
      weights[c] = logDenominators[c]! - Math.log(Math.max(0, total - mixed[c]!) + alpha);
      mean += weights[c]!;
    }
    mean /= classes;
    for (let c = 0; c < classes; c++) logits[c]! += vector.values[k]! * (weights[c]! - mean);
  }
  return logits;
}
