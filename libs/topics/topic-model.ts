/**
 * Classifying one text with a trained model: the topic distribution and the brand-safety scores.
 *
 * The model is one softmax over topic labels and brand-safety labels together (a gambling post is
 * labelled gambling, not "sports"). Topic scores are the topic labels' probabilities renormalised to
 * sum to 1; a brand-safety score is its label's own probability, i.e. how likely the post IS that
 * kind of content.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { argmax, scoreVector, softmaxInPlace } from './classifier';
import { extractFeatures, featuresOfTokens, type SparseVector } from './features';
import { isGroupedClassifier, scoreGroupedVector, type TopicClassifier } from './grouped';
import type { LanguageIdentifier } from './language';
import { scriptLanguageIdentifier } from './language';
import { tokenize } from './normalize';
import { deserializeTopicModel } from './model-file';
import { isBrandSafetyId } from './taxonomy';

export interface TopicScore {
  topic: string;
  score: number;
}

export interface BrandSafetyScore {
  category: string;
  score: number;
}

export interface TextClassification {
  language: string | null;
  /** Every topic label of the model, best first; scores sum to 1. */
  topics: TopicScore[];
  /** Every brand-safety label of the model (may be empty for a model trained without them). */
  brandSafety: BrandSafetyScore[];
}

export interface ClassifyOptions {
  languageIdentifier?: LanguageIdentifier;
}

/** Logit scale for posts without any word or link (emoji-only, numbers-only). */
const WEAK_EVIDENCE_SCALE = 0.25;

/** Name of the model file inside a model directory. */
export const MODEL_FILE_NAME = 'model.bin.gz';

/** The topic label texts fall back to when nothing in them is known to the model. */
export const UNKNOWN_TOPIC = 'other';

/** Class scores (logits) of a feature vector under either kind of model. */
export function scoreTopicVector(model: TopicClassifier, vector: SparseVector): Float64Array {
  return isGroupedClassifier(model) ? scoreGroupedVector(model, vector) : scoreVector(model, vector);
}

export function classifyText(model: TopicClassifier, text: string, options: ClassifyOptions = {}): TextClassification {
  const identifier = options.languageIdentifier ?? scriptLanguageIdentifier;
  const language = identifier.identify(text).language;
  const tokens = tokenize(text);
  const vector = featuresOfTokens(tokens, model.features);
  const known = vector.indices.some((bucket) => model.rowOf[bucket]! >= 0);
  const topicLabels = model.labels.filter((label) => !isBrandSafetyId(label));
  const brandSafetyLabels = model.labels.filter((label) => isBrandSafetyId(label));
  if (!known) {
    // Nothing the model has ever seen (an unknown emoji, an empty post): no evidence for any topic.
    const fallback = topicLabels.includes(UNKNOWN_TOPIC) ? UNKNOWN_TOPIC : null;
    return {
      language,
      topics: topicLabels
        .map((topic) => ({ topic, score: fallback ? (topic === fallback ? 1 : 0) : 1 / topicLabels.length }))
        .sort(byScore),
      brandSafety: brandSafetyLabels.map((category) => ({ category, score: 0 })),
    };
  }
  const probabilities = scoreTopicVector(model, vector);
  // A post of only emoji, numbers or symbols is weak evidence: soften it rather than trust it.
  if (!tokens.some((token) => token.kind === 'word' || token.kind === 'domain')) {
    for (let c = 0; c < probabilities.length; c++) probabilities[c]! *= WEAK_EVIDENCE_SCALE;
  }
  softmaxInPlace(probabilities);
  let topicMass = 0;
  model.labels.forEach((label, index) => {
    if (!isBrandSafetyId(label)) topicMass += probabilities[index]!;
  });
  const topics: TopicScore[] = [];
  const brandSafety: BrandSafetyScore[] = [];
  model.labels.forEach((label, index) => {
    const probability = probabilities[index]!;
    if (isBrandSafetyId(label)) brandSafety.push({ category: label, score: probability });
    else topics.push({ topic: label, score: topicMass > 0 ? probability / topicMass : 0 });
  });
  return { language, topics: topics.sort(byScore), brandSafety: brandSafety.sort(byScore) };
}

/** The single best label (topic or brand-safety category), as used for accuracy. */
export function predictLabel(model: TopicClassifier, text: string): string {
  return model.labels[argmax(scoreTopicVector(model, extractFeatures(text, model.features)))]!;
}

function byScore<T extends { score: number }>(a: T, b: T): number {
  return b.score - a.score;
}

/** Loads a model from a model file or a directory holding `model.bin.gz`. */
export function loadTopicModel(path: string): TopicClassifier {
  const file = statSync(path).isDirectory() ? join(path, MODEL_FILE_NAME) : path;
  return deserializeTopicModel(readFileSync(file)).model;
}

/** Rounds scores for display and JSON output. */
export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
