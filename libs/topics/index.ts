/**
 * Contextual topics: taxonomy, text normalisation, language identification, a trainable classifier,
 * channel profiles and an explainable matcher. Pure TypeScript; no database, HTTP or Nest.
 */
export {
  TOPIC_IDS,
  TOPICS,
  BRAND_SAFETY_IDS,
  BRAND_SAFETY_CATEGORIES,
  isTopicId,
  isBrandSafetyId,
  getTopic,
  type TopicId,
  type BrandSafetyId,
  type TopicDefinition,
  type BrandSafetyDefinition,
  type IabCategory,
} from './taxonomy';
export { tokenize, normalizeText, splitHashtag, linkDomain, type Token, type TokenKind } from './normalize';
export {
  loadLanguageIdentifier,
  scriptLanguageIdentifier,
  type LanguageIdentifier,
  type LanguageGuess,
} from './language';
export { DEFAULT_FEATURE_CONFIG, extractFeatures, type FeatureConfig, type SparseVector } from './features';
export {
  DEFAULT_TRAIN_OPTIONS,
  DEFAULT_FEATURES,
  trainClassifier,
  predict,
  type LinearClassifier,
  type LabelledText,
  type TrainOptions,
  type Prediction,
} from './classifier';
export {
  serializeClassifier,
  deserializeClassifier,
  serializeTopicModel,
  deserializeTopicModel,
  ModelFormatError,
} from './model-file';
export {
  trainTopicClassifier,
  trainGroupedClassifier,
  mixesGroups,
  isGroupedClassifier,
  closestGroup,
  GROUP_NEIGHBOURS,
  type TopicClassifier,
  type GroupedClassifier,
  type TrainingGroup,
} from './grouped';
export { groupByLanguage, type LanguageGrouping } from './corpora';
export { parseLabelledTsv, CorpusFormatError } from './tsv';
export { scorePredictions, type EvaluationScores } from './metrics';
export {
  classifyText,
  predictLabel,
  scoreTopicVector,
  loadTopicModel,
  MODEL_FILE_NAME,
  type TextClassification,
  type TopicScore,
  type BrandSafetyScore,
  type ClassifyOptions,
} from './topic-model';
export {
  buildChannelProfile,
  decayWeight,
  DEFAULT_HALF_LIFE_DAYS,
  type ChannelPost,
  type ChannelProfile,
  type PostEvidence,
  type ProfileOptions,
} from './profile';
export {
  matchChannel,
  checkContext,
  weighContext,
  blockingReasons,
  distributionOverlap,
  DEFAULT_BRAND_SAFETY_THRESHOLD,
  DEFAULT_EXCLUDED_TOPIC_THRESHOLD,
  DEFAULT_MIN_SCORE,
  DEFAULT_MIN_CONTEXT_EVIDENCE,
  DEFAULT_UNSAFE_POST_THRESHOLD,
  type CampaignTargeting,
  type MatchResult,
  type CreativeFit,
  type MatchReason,
  type MatchOptions,
  type ContextCheckInput,
  type ContextCheckResult,
  type ContextCheckOptions,
  type WeighedContext,
} from './match';
export { trainShippedModel, SHIPPED_TRAIN_OPTIONS, SHIPPED_MODEL_PATH, SHIPPED_CORPUS_DIR } from './shipped';
export { createRandom } from './random';
