/**
 * A linear text classifier over hashed n-gram features, trained in the project.
 *
 * Two learners are fitted on the same features and pooled into ONE weight matrix:
 * - multinomial logistic regression, trained by SGD with L2 regularisation (Bottou's schedule and the
 *   "scaled weight vector" trick so the penalty costs nothing per step on sparse inputs);
 * - multinomial naive Bayes (Laplace-smoothed log probabilities, centred per feature).
 * Logit pooling (a weighted sum of both models' scores) is itself linear, so the shipped model is a
 * single matrix and a prediction is one sparse dot product: well under a millisecond per post.
 * Naive Bayes is strong when a class has few examples, logistic regression when it has many; the pool
 * is more robust than either on small corpora.
 */
import { DEFAULT_FEATURE_CONFIG, extractFeatures, type FeatureConfig, type SparseVector } from './features';
import { createRandom, shuffleInPlace } from './random';

export interface LabelledText {
  label: string;
  text: string;
  /** The example's id in its corpus (SIB-200's index_id): translations of one example share it. */
  id?: string;
}

export interface TrainOptions {
  features: FeatureConfig;
  /** SGD passes over the data. */
  epochs: number;
  /** L2 penalty of the logistic regression. */
  l2: number;
  /** Initial SGD step. */
  learningRate: number;
  /**
   * Laplace smoothing of naive Bayes for a corpus of 1,000 texts; it grows as (n / 1000)^0.75 with
   * corpus size n (chosen by cross-validation on SIB-200 train folds: 0.01 was best for 701 texts,
   * 0.1 for 16k, a line through both).
   */
  nbAlpha: number;
  /** Weight of naive Bayes logits in the pool (0 = logistic regression only). */
  nbWeight: number;
  /**
   * Naive Bayes flavour: 'multinomial', or 'complement' (Rennie et al. 2003: each class is scored by
   * how UNLIKE the text is to the other classes' pooled counts, estimated from ~6x more data per class
   * than the class's own counts; the better estimate on small corpora).
   */
  nbVariant: 'multinomial' | 'complement';
  /** Weight of logistic regression logits in the pool (0 = naive Bayes only). */
  lrWeight: number;
  /** Reweight classes to equal total weight (for unbalanced corpora). */
  balanceClasses: boolean;
  seed: number;
}

/**
 * Defaults chosen by 5-fold cross-validation on SIB-200 train splits (never on dev; folds by
 * index_id; `scripts/topics/cv-lab.ts`), mean accuracy on eng/rus/ita/spa/deu:
 * multinomial NB 69.5%, complement NB 72.3% (alpha 0.03: 72.9%), + 4-character word prefixes and no
 * word bigrams 73.5%; logistic regression by SGD 59% (with idf 65.5%, NB-scaled 66%) and pooling it in
 * does not help, so LR is off by default (it stays available: `lrWeight: 1`). 2^20 buckets: one
 * language's file has next to no collisions (2^22 scores the same); one pooled model of all 23
 * languages loses about a point to them (dev 73.3 against 74.5 at 2^22, `scripts/topics/hash-bits-lab.ts`),
 * which is not worth training's dense buckets × classes arrays growing fourfold.
 */
export const DEFAULT_FEATURES: FeatureConfig = {
  ...DEFAULT_FEATURE_CONFIG,
  hashBits: 20,
  wordNgrams: 1,
  prefixLength: 4,
  prefixWeight: 0.7,
};

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: DEFAULT_FEATURES,
  epochs: 20,
  l2: 1e-4,
  learningRate: 0.5,
  nbAlpha: 0.03,
  nbWeight: 1,
  nbVariant: 'complement',
  lrWeight: 0,
  balanceClasses: true,
  seed: 1,
};

/**
 * A trained classifier in its shipped, compact form. Only hash buckets seen in training have a row;
 * `rowOf[bucket]` is the row or -1. Each row holds one int8 weight per class and one float scale, so
 * weight(bucket, class) = rowScale[row] * rowWeights[row * labels.length + class]. Int8 with a scale
 * per row loses nothing that matters for a ranking of 7-40 classes and makes the model ~4x smaller.
 */
export interface LinearClassifier {
  labels: string[];
  features: FeatureConfig;
  bias: Float32Array;
  rowOf: Int32Array;
  rowScale: Float32Array;
  rowWeights: Int8Array;
}

export interface Prediction {
  label: string;
  /** Probability of every label, in `labels` order. */
  probabilities: Float64Array;
}

interface Example {
  vector: SparseVector;
  classIndex: number;
  weight: number;
}

export function featurizeAll(texts: readonly string[], config: FeatureConfig): SparseVector[] {
  return texts.map((text) => extractFeatures(text, config));
}

/** Labels in a stable order: first appearance is not stable across files, so sort. */
export function labelSet(examples: readonly LabelledText[]): string[] {
  return [...new Set(examples.map((example) => example.label))].sort();
}

export function trainClassifier(
  examples: readonly LabelledText[],
  options: Partial<TrainOptions> = {},
  precomputed?: SparseVector[],
): LinearClassifier {
  const settings: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (examples.length === 0) throw new Error('no training examples');
  const labels = labelSet(examples);
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const vectors = precomputed ?? featurizeAll(examples.map((example) => example.text), settings.features);
  const classCounts = new Float64Array(labels.length);
  for (const example of examples) classCounts[classOf.get(example.label)!]! += 1;
  const data: Example[] = examples.map((example, index) => {
    const classIndex = classOf.get(example.label)!;
    const weight = settings.balanceClasses
      ? examples.length / (labels.length * classCounts[classIndex]!)
      : 1;
    return { vector: vectors[index]!, classIndex, weight };
  });
  const buckets = 1 << settings.features.hashBits;
  const classes = labels.length;
  const weights = new Float64Array(buckets * classes);
  const bias = new Float32Array(classes);
  if (settings.lrWeight > 0) {
    const lr = trainLogisticRegression(data, buckets, classes, settings);
    for (let i = 0; i < weights.length; i++) weights[i] = settings.lrWeight * lr.weights[i]!;
    for (let c = 0; c < classes; c++) bias[c] = settings.lrWeight * lr.bias[c]!;
  }
  if (settings.nbWeight > 0) {
    const alpha = settings.nbAlpha * (examples.length / 1000) ** 0.75;
    const nb =
      settings.nbVariant === 'complement'
        ? trainComplementNaiveBayes(data, buckets, classes, alpha)
        : trainNaiveBayes(data, buckets, classes, alpha);
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! + settings.nbWeight * nb.weights[i]!;
    for (let c = 0; c < classes; c++) bias[c] = bias[c]! + settings.nbWeight * nb.bias[c]!;
  }
  return compact(labels, settings.features, weights, bias, vectors);
}

/** Keeps the rows of buckets seen in training and quantises them to int8 with a scale per row. */
function compact(
  labels: string[],
  features: FeatureConfig,
  weights: Float64Array,
  bias: Float32Array,
  vectors: readonly SparseVector[],
): LinearClassifier {
  const classes = labels.length;
  const buckets = 1 << features.hashBits;
  const rowOf = new Int32Array(buckets).fill(-1);
  const seen = new Uint8Array(buckets);
  for (const vector of vectors) for (const bucket of vector.indices) seen[bucket] = 1;
  let rows = 0;
  for (let bucket = 0; bucket < buckets; bucket++) if (seen[bucket]) rowOf[bucket] = rows++;
  const rowScale = new Float32Array(rows);
  const rowWeights = new Int8Array(rows * classes);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const row = rowOf[bucket]!;
    if (row < 0) continue;
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(weights[bucket * classes + c]!));
    const scale = Math.fround(max / 127);
    rowScale[row] = scale;
    if (scale === 0) continue;
    for (let c = 0; c < classes; c++) {
      rowWeights[row * classes + c] = Math.round(weights[bucket * classes + c]! / scale);
    }
  }
  return { labels, features, bias, rowOf, rowScale, rowWeights };
}

function trainLogisticRegression(
  data: Example[],
  buckets: number,
  classes: number,
  settings: TrainOptions,
): { weights: Float64Array; bias: Float64Array } {
  const random = createRandom(settings.seed);
  const values = new Float64Array(buckets * classes);
  const bias = new Float64Array(classes);
  const logits = new Float64Array(classes);
  let scale = 1;
  let step = 0;
  const order = data.map((_, index) => index);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const { vector, classIndex, weight } = data[index]!;
      const rate = settings.learningRate / (1 + settings.learningRate * settings.l2 * step);
      step++;
      logits.set(bias);
      for (let k = 0; k < vector.indices.length; k++) {
        const base = vector.indices[k]! * classes;
        const value = vector.values[k]! * scale;
        for (let c = 0; c < classes; c++) logits[c]! += value * values[base + c]!;
      }
      softmaxInPlace(logits);
      scale *= 1 - rate * settings.l2;
      for (let c = 0; c < classes; c++) {
        const gradient = weight * (logits[c]! - (c === classIndex ? 1 : 0));
        logits[c] = gradient;
        bias[c]! -= rate * gradient;
      }
      const stepScale = rate / scale;
      for (let k = 0; k < vector.indices.length; k++) {
        const base = vector.indices[k]! * classes;
        const value = vector.values[k]! * stepScale;
        for (let c = 0; c < classes; c++) values[base + c]! -= value * logits[c]!;
      }
      if (scale < 1e-6) {
        for (let i = 0; i < values.length; i++) values[i]! *= scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { weights: values, bias };
}

/** The weighted feature counts both naive Bayes variants start from, in one pass over the data. */
function countFeatures(data: Example[], buckets: number, classes: number) {
  const counts = new Float64Array(buckets * classes);
  const featureTotals = new Float64Array(buckets);
  const totals = new Float64Array(classes);
  const seen = new Uint8Array(buckets);
  let grandTotal = 0;
  for (const { vector, classIndex, weight } of data) {
    for (let k = 0; k < vector.indices.length; k++) {
      const bucket = vector.indices[k]!;
      const value = weight * vector.values[k]!;
      counts[bucket * classes + classIndex]! += value;
      featureTotals[bucket]! += value;
      totals[classIndex]! += value;
      grandTotal += value;
      seen[bucket] = 1;
    }
  }
  return { counts, featureTotals, totals, seen, grandTotal };
}

function trainNaiveBayes(
  data: Example[],
  buckets: number,
  classes: number,
  alpha: number,
): { weights: Float64Array; bias: Float64Array } {
  const { counts, totals, seen } = countFeatures(data, buckets, classes);
  let vocabulary = 0;
  for (let b = 0; b < buckets; b++) vocabulary += seen[b]!;
  const weights = new Float64Array(buckets * classes);
  const logDenominators = new Float64Array(classes);
  for (let c = 0; c < classes; c++) logDenominators[c] = Math.log(totals[c]! + alpha * vocabulary);
  for (let b = 0; b < buckets; b++) {
    if (!seen[b]) continue;
    const base = b * classes;
    let mean = 0;
    for (let c = 0; c < classes; c++) {
      const logProbability = Math.log(counts[base + c]! + alpha) - logDenominators[c]!;
      weights[base + c] = logProbability;
      mean += logProbability;
    }
    mean /= classes;
    // Centring per feature changes no prediction, but keeps unseen-in-class features near zero.
    for (let c = 0; c < classes; c++) weights[base + c]! -= mean;
  }
  // Balanced training weighs classes equally, so the prior is uniform: bias 0.
  return { weights, bias: new Float64Array(classes) };
}

/**
 * Complement naive Bayes: weight(feature, class) = -log P(feature | every class but this one), with
 * Laplace smoothing, centred per feature (which changes no prediction).
 */
function trainComplementNaiveBayes(
  data: Example[],
  buckets: number,
  classes: number,
  alpha: number,
): { weights: Float64Array; bias: Float64Array } {
  const { counts, featureTotals, totals, grandTotal } = countFeatures(data, buckets, classes);
  let vocabulary = 0;
  for (let b = 0; b < buckets; b++) if (featureTotals[b]! > 0) vocabulary++;
  const logDenominators = new Float64Array(classes);
  for (let c = 0; c < classes; c++) logDenominators[c] = Math.log(grandTotal - totals[c]! + alpha * vocabulary);
  const weights = new Float64Array(buckets * classes);
  for (let b = 0; b < buckets; b++) {
    if (!(featureTotals[b]! > 0)) continue;
    const base = b * classes;
    let mean = 0;
    for (let c = 0; c < classes; c++) {
      const complement = Math.max(0, featureTotals[b]! - counts[base + c]!);
      const weight = logDenominators[c]! - Math.log(complement + alpha);
      weights[base + c] = weight;
      mean += weight;
    }
    mean /= classes;
    for (let c = 0; c < classes; c++) weights[base + c]! -= mean;
  }
  return { weights, bias: new Float64Array(classes) };
}

export function softmaxInPlace(logits: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) if (logits[c]! > max) max = logits[c]!;
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const value = Math.exp(logits[c]! - max);
    logits[c] = value;
    sum += value;
  }
  for (let c = 0; c < logits.length; c++) logits[c]! /= sum;
}

export function scoreVector(model: LinearClassifier, vector: SparseVector): Float64Array {
  const classes = model.labels.length;
  const logits = new Float64Array(classes);
  for (let c = 0; c < classes; c++) logits[c] = model.bias[c]!;
  for (let k = 0; k < vector.indices.length; k++) {
    const row = model.rowOf[vector.indices[k]!]!;
    if (row < 0) continue;
    const base = row * classes;
    const value = vector.values[k]! * model.rowScale[row]!;
    for (let c = 0; c < classes; c++) logits[c]! += value * model.rowWeights[base + c]!;
  }
  return logits;
}

/** Index of the largest score (the first of equals). */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
  return best;
}

export function predictVector(model: LinearClassifier, vector: SparseVector): Prediction {
  const probabilities = scoreVector(model, vector);
  softmaxInPlace(probabilities);
  return { label: model.labels[argmax(probabilities)]!, probabilities };
}

export function predict(model: LinearClassifier, text: string): Prediction {
  return predictVector(model, extractFeatures(text, model.features));
}
