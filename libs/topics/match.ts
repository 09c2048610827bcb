/**
 * Matching a campaign to a channel, and checking the context around a delivered ad. Pure functions:
 * the profile (and, for checkContext, a model) in, a score with its reasons out.
 */
import type { TopicClassifier } from './grouped';
import type { LanguageIdentifier } from './language';
import { buildChannelProfile, topicShare, type ChannelPost, type ChannelProfile, type PostEvidence } from './profile';
import { classifyText, roundScore, type TopicScore } from './topic-model';

export interface CampaignTargeting {
  topics: string[];
  excludedTopics: string[];
  /** The ad text; with a model in the options, its own topics sharpen the match. */
  creativeText?: string;
}

export interface MatchReason {
  topic: string;
  /** Share of the channel's recent content in this topic, 0-1. */
  weight: number;
  /** The posts that show it, strongest first (at most `evidencePosts`). */
  postIds: string[];
}

export interface MatchResult {
  score: number;
  eligible: boolean;
  reasons: MatchReason[];
  /** Why the channel can never be eligible: `topic:<id>` for an excluded topic, `brand_safety:<id>`. */
  blockedBy?: string[];
}

export interface MatchOptions {
  /** A brand-safety category whose share of recent content reaches this blocks the channel. */
  brandSafetyThreshold?: number;
  /** An excluded topic whose share of recent content reaches this blocks the channel. */
  excludedTopicThreshold?: number;
  /** Below this score a channel is not eligible (not a fit, though not blocked). */
  minScore?: number;
  /** Used to classify `creativeText`; without a model the creative is ignored. */
  model?: TopicClassifier;
  /** Weight of the creative's own topics against the campaign's listed topics. */
  creativeWeight?: number;
  evidencePosts?: number;
  languageIdentifier?: LanguageIdentifier;
}

export const DEFAULT_BRAND_SAFETY_THRESHOLD = 0.15;
export const DEFAULT_EXCLUDED_TOPIC_THRESHOLD = 0.1;
export const DEFAULT_MIN_SCORE = 0.05;

/** A post counts as evidence for a topic when it gives the topic at least this score. */
const EVIDENCE_MIN_SCORE = 0.2;

function evidenceFor(topic: string, posts: readonly PostEvidence[], limit: number): string[] {
  return posts
    .map((post) => ({ postId: post.postId, weight: post.weight, score: post.topics.find((entry) => entry.topic === topic)?.score ?? 0 }))
    .filter((entry) => entry.score >= EVIDENCE_MIN_SCORE)
    .sort((a, b) => b.weight * b.score - a.weight * a.score || a.postId.localeCompare(b.postId))
    .slice(0, limit)
    .map((entry) => entry.postId);
}

/** Reasons a channel is blocked for this campaign, empty when none. */
export function blockingReasons(
  excludedTopics: readonly string[],
  profile: Pick<ChannelProfile, 'topics' | 'brandSafety'>,
  options: MatchOptions = {},
): string[] {
  const brandSafetyThreshold = options.brandSafetyThreshold ?? DEFAULT_BRAND_SAFETY_THRESHOLD;
  const excludedThreshold = options.excludedTopicThreshold ?? DEFAULT_EXCLUDED_TOPIC_THRESHOLD;
  const blocked: string[] = [];
  for (const topic of excludedTopics) {
    const share = topicShare(profile, topic) + (profile.brandSafety.find((entry) => entry.category === topic)?.score ?? 0);
    if (share >= excludedThreshold) blocked.push(`topic:${topic}`);
  }
  for (const { category, score } of profile.brandSafety) {
    if (score >= brandSafetyThreshold) blocked.push(`brand_safety:${category}`);
  }
  return blocked;
}

/**
 * Score = the share of the channel's recent content in the campaign's topics (0-1), blended with the
 * similarity between the creative's topic distribution and the channel's when a creative and a
 * model are given. Excluded topics and brand-unsafe channels score 0 and are never eligible.
 */
export function matchChannel(
  input: CampaignTargeting,
  profile: ChannelProfile,
  postsEvidence?: readonly PostEvidence[],
  options: MatchOptions = {},
): MatchResult {
  const evidence = postsEvidence ?? profile.evidence ?? [];
  const limit = options.evidencePosts ?? 3;
  const wanted = [...new Set(input.topics)];
  const reasons: MatchReason[] = wanted
    .map((topic) => ({ topic, weight: roundScore(topicShare(profile, topic)), postIds: evidenceFor(topic, evidence, limit) }))
    .filter((reason) => reason.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.topic.localeCompare(b.topic));
  const blockedBy = blockingReasons(input.excludedTopics, profile, options);
  if (blockedBy.length > 0) return { score: 0, eligible: false, reasons, blockedBy };
  let score = Math.min(1, wanted.reduce((sum, topic) => sum + topicShare(profile, topic), 0));
  if (input.creativeText && options.model) {
    const creative = classifyText(options.model, input.creativeText, { languageIdentifier: options.languageIdentifier }).topics;
    const similarity = distributionOverlap(creative, profile.topics);
    const creativeWeight = options.creativeWeight ?? 0.3;
    score = wanted.length > 0 ? (1 - creativeWeight) * score + creativeWeight * similarity : similarity;
  }
  score = roundScore(Math.max(0, Math.min(1, score)));
  return { score, eligible: score >= (options.minScore ?? DEFAULT_MIN_SCORE), reasons };
}

/** Σ min(p, q): 1 for identical topic distributions, 0 for disjoint ones. */
export function distributionOverlap(a: readonly TopicScore[], b: readonly TopicScore[]): number {
  const other = new Map(b.map((entry) => [entry.topic, entry.score]));
  return a.reduce((sum, entry) => sum + Math.min(entry.score, other.get(entry.topic) ?? 0), 0);
}

export interface ContextCheckInput {
  bookedTopics: string[];
  excludedTopics: string[];
  /** The posts around the ad must give the booked topics at least this share. */
  threshold: number;
}

export interface ContextCheckResult {
  passed: boolean;
  /** Share of the surrounding posts in the booked topics, 0-1. */
  score: number;
  reasons: MatchReason[];
  detail: string;
}

export interface ContextCheckOptions extends MatchOptions {
  /** A single surrounding post this likely to be brand-unsafe fails the check on its own. */
  unsafePostThreshold?: number;
}

/**
 * Delivery verification: are the posts around the ad still what was booked? Fails when the channel
 * pivoted away from the booked topics (score below threshold), when excluded topics or brand-unsafe
 * content make up the context, or when any single surrounding post is clearly brand-unsafe.
 */
export function checkContext(
  input: ContextCheckInput,
  surroundingPosts: readonly ChannelPost[],
  profile: ChannelProfile,
  model: TopicClassifier,
  options: ContextCheckOptions = {},
): ContextCheckResult {
  const bookedShareBefore = input.bookedTopics.reduce((sum, topic) => sum + topicShare(profile, topic), 0);
  if (surroundingPosts.length === 0) {
    return {
      passed: true,
      score: roundScore(Math.min(1, bookedShareBefore)),
      reasons: [],
      detail: 'no surrounding posts to check; the channel profile stands',
    };
  }
  // The posts around the ad all count the same: the check is about now, not about recency.
  const latest = new Date(Math.max(...surroundingPosts.map((post) => post.date.getTime())));
  const context = buildChannelProfile(surroundingPosts, model, latest, {
    halfLifeDays: Number.POSITIVE_INFINITY,
    languageIdentifier: options.languageIdentifier,
  });
  const score = roundScore(Math.min(1, input.bookedTopics.reduce((sum, topic) => sum + topicShare(context, topic), 0)));
  const reasons = input.bookedTopics
    .map((topic) => ({ topic, weight: roundScore(topicShare(context, topic)), postIds: evidenceFor(topic, context.evidence, options.evidencePosts ?? 3) }))
    .sort((a, b) => b.weight - a.weight || a.topic.localeCompare(b.topic));
  const failures: string[] = [];
  const unsafePostThreshold = options.unsafePostThreshold ?? 0.5;
  for (const post of context.evidence) {
    const worst = post.brandSafety[0];
    if (worst && worst.score >= unsafePostThreshold) {
      failures.push(`post ${post.postId} is brand-unsafe (${worst.category} ${roundScore(worst.score)})`);
    }
  }
  for (const blocked of blockingReasons(input.excludedTopics, context, options)) {
    const [kind, id] = blocked.split(':') as [string, string];
    const share = kind === 'topic' ? topicShare(context, id) : (context.brandSafety.find((entry) => entry.category === id)?.score ?? 0);
    const label = kind === 'topic' ? `excluded topic ${id}` : `brand-unsafe content (${id})`;
    failures.push(`${label} makes up ${roundScore(share)} of the surrounding posts`);
  }
  if (score < input.threshold) {
    const dominant = dominantContent(context);
    failures.push(
      `booked topics ${input.bookedTopics.join(', ')} make up ${score} of the surrounding posts ` +
        `(threshold ${input.threshold}, ${roundScore(Math.min(1, bookedShareBefore))} at booking); now mostly ${dominant}`,
    );
  }
  const unique = [...new Set(failures)];
  return {
    passed: unique.length === 0,
    score,
    reasons,
    detail: unique.length === 0 ? `context matches: booked topics make up ${score} of ${surroundingPosts.length} surrounding posts` : unique.join('; '),
  };
}

function dominantContent(profile: ChannelProfile): string {
  const candidates = [
    ...profile.topics.map((entry) => ({ name: entry.topic, score: entry.score * (1 - totalUnsafe(profile)) })),
    ...profile.brandSafety.map((entry) => ({ name: entry.category, score: entry.score })),
  ].sort((a, b) => b.score - a.score);
  const top = candidates[0];
  return top ? `${top.name} ${roundScore(top.score)}` : 'unknown';
}

function totalUnsafe(profile: ChannelProfile): number {
  return Math.min(1, profile.brandSafety.reduce((sum, entry) => sum + entry.score, 0));
}
