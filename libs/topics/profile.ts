/**
 * A channel's topic profile from its recent posts: the decay-weighted mean of the posts' topic
 * distributions (recent posts weigh more: a post `halfLifeDays` old counts half as much as one from
 * today), the decay-weighted share of brand-unsafe content, and the dominant language.
 */
import type { TopicClassifier } from './grouped';
import type { LanguageIdentifier } from './language';
import { classifyText, type BrandSafetyScore, type TopicScore } from './topic-model';

export interface ChannelPost {
  id: string;
  text: string;
  date: Date;
}

/** What one post contributed: the evidence a match is explained with. */
export interface PostEvidence {
  postId: string;
  /** Decay weight of the post, 1 for a post from `now`. */
  weight: number;
  topics: TopicScore[];
  brandSafety: BrandSafetyScore[];
}

export interface ChannelProfile {
  language: string | null;
  topics: TopicScore[];
  brandSafety: BrandSafetyScore[];
  /**
   * Per brand-safety category, the highest score of one post times its decay weight: a clearly unsafe
   * post (a casino ad at 0.95) stays visible here for about two weeks however many safe posts surround
   * it, where its share of the profile fades at once. Absent on profiles stored before it existed.
   */
  brandSafetyPeaks?: BrandSafetyScore[];
  postCount: number;
  /** Per-post classifications, for explaining matches (see matchChannel). */
  evidence: PostEvidence[];
}

export interface ProfileOptions {
  halfLifeDays?: number;
  languageIdentifier?: LanguageIdentifier;
}

export const DEFAULT_HALF_LIFE_DAYS = 14;
const DAY_MS = 86_400_000;

export function decayWeight(date: Date, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, (now.getTime() - date.getTime()) / DAY_MS);
  return 0.5 ** (ageDays / halfLifeDays);
}

export function buildChannelProfile(
  posts: readonly ChannelPost[],
  model: TopicClassifier,
  now: Date = new Date(),
  options: ProfileOptions = {},
): ChannelProfile {
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const topicTotals = new Map<string, number>();
  const safetyTotals = new Map<string, number>();
  const safetyPeaks = new Map<string, number>();
  const languageTotals = new Map<string, number>();
  const evidence: PostEvidence[] = [];
  let totalWeight = 0;
  for (const post of posts) {
    const classification = classifyText(model, post.text, { languageIdentifier: options.languageIdentifier });
    const weight = decayWeight(post.date, now, halfLifeDays);
    totalWeight += weight;
    for (const { topic, score } of classification.topics) topicTotals.set(topic, (topicTotals.get(topic) ?? 0) + weight * score);
    for (const { category, score } of classification.brandSafety) {
      safetyTotals.set(category, (safetyTotals.get(category) ?? 0) + weight * score);
      safetyPeaks.set(category, Math.max(safetyPeaks.get(category) ?? 0, weight * score));
    }
    if (classification.language) {
      languageTotals.set(classification.language, (languageTotals.get(classification.language) ?? 0) + weight);
    }
    evidence.push({ postId: post.id, weight, topics: classification.topics, brandSafety: classification.brandSafety });
  }
  const normalise = (total: number) => (totalWeight > 0 ? total / totalWeight : 0);
  const topics = [...topicTotals].map(([topic, total]) => ({ topic, score: normalise(total) })).sort((a, b) => b.score - a.score);
  const brandSafety = [...safetyTotals]
    .map(([category, total]) => ({ category, score: normalise(total) }))
    .sort((a, b) => b.score - a.score);
  const brandSafetyPeaks = [...safetyPeaks].map(([category, score]) => ({ category, score })).sort((a, b) => b.score - a.score);
  let language: string | null = null;
  let languageWeight = 0;
  for (const [candidate, weight] of [...languageTotals].sort()) {
    if (weight > languageWeight) [language, languageWeight] = [candidate, weight];
  }
  return { language, topics, brandSafety, brandSafetyPeaks, postCount: posts.length, evidence };
}

export function topicShare(profile: { topics: readonly TopicScore[] }, topic: string): number {
  return profile.topics.find((entry) => entry.topic === topic)?.score ?? 0;
}
