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

export interface CreativeFit {
  /** Σ over topics of min(creative's share, channel's share): 1 when the two distributions are the same. */
  similarity: number;
  /** Its weight in the score: score = (1 - weight) × Σ reasons' weights + weight × similarity (capped at 1). */
  weight: number;
  /** The topics the creative and the channel share most, each with min(creative, channel) and the posts that show it. */
  reasons: MatchReason[];
}

export interface MatchResult {
  score: number;
  eligible: boolean;
  reasons: MatchReason[];
  /** How the creative's own topics moved the score, when a creative and a model were given. */
  creative?: CreativeFit;
  /**
   * Why the channel can never be eligible: `topic:<id>` for an excluded topic's share,
   * `unsafe_post:<id>` for a recent post clearly in an excluded brand-safety category,
   * `brand_safety:<id>` for a brand-unsafe share.
   */
  blockedBy?: string[];
}

export interface MatchOptions {
  /** A brand-safety category whose share of recent content reaches this blocks the channel. */
  brandSafetyThreshold?: number;
  /** An excluded topic whose share of recent content reaches this blocks the channel. */
  excludedTopicThreshold?: number;
  /**
   * A post this likely to be brand-unsafe is clearly so: it fails a context check beside an ad, and
   * (its decay-weighted peak) keeps a channel from campaigns that exclude its category.
   */
  unsafePostThreshold?: number;
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
/**
 * A post this likely to be brand-unsafe (after its decay weight) is clearly so: it fails a context
 * check beside an ad, and it keeps a channel from campaigns that exclude its category.
 */
export const DEFAULT_UNSAFE_POST_THRESHOLD = 0.5;

/** A post counts as evidence for a topic when it gives the topic at least this score. */
const EVIDENCE_MIN_SCORE = 0.2;

/**
 * The posts that show a topic, strongest contribution (decay weight × score) first: those that give
 * it at least EVIDENCE_MIN_SCORE, or, when none does (a share built from many posts that each lean a
 * little), those that give it at least twice what an even spread over the topics would.
 */
function evidenceFor(topic: string, posts: readonly PostEvidence[], limit: number): string[] {
  const scored = posts.map((post) => ({
    postId: post.postId,
    weight: post.weight,
    score: post.topics.find((entry) => entry.topic === topic)?.score ?? 0,
    even: post.topics.length > 0 ? 1 / post.topics.length : 1,
  }));
  const strong = scored.filter((entry) => entry.score >= EVIDENCE_MIN_SCORE);
  return (strong.length > 0 ? strong : scored.filter((entry) => entry.score >= 2 * entry.even))
    .sort((a, b) => b.weight * b.score - a.weight * a.score || a.postId.localeCompare(b.postId))
    .slice(0, limit)
    .map((entry) => entry.postId);
}

/** Reasons a channel is blocked for this campaign, empty when none. */
export function blockingReasons(
  excludedTopics: readonly string[],
  profile: Pick<ChannelProfile, 'topics' | 'brandSafety' | 'brandSafetyPeaks'>,
  options: MatchOptions = {},
): string[] {
  const brandSafetyThreshold = options.brandSafetyThreshold ?? DEFAULT_BRAND_SAFETY_THRESHOLD;
  const excludedThreshold = options.excludedTopicThreshold ?? DEFAULT_EXCLUDED_TOPIC_THRESHOLD;
  const unsafePostThreshold = options.unsafePostThreshold ?? DEFAULT_UNSAFE_POST_THRESHOLD;
  const blocked: string[] = [];
  for (const topic of excludedTopics) {
    const share = topicShare(profile, topic) + (profile.brandSafety.find((entry) => entry.category === topic)?.score ?? 0);
    if (share >= excludedThreshold) blocked.push(`topic:${topic}`);
    else if ((profile.brandSafetyPeaks?.find((entry) => entry.category === topic)?.score ?? 0) >= unsafePostThreshold) blocked.push(`unsafe_post:${topic}`);
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
  let creative: CreativeFit | undefined;
  if (input.creativeText && options.model) {
    const topics = classifyText(options.model, input.creativeText, { languageIdentifier: options.languageIdentifier }).topics;
    const similarity = distributionOverlap(topics, profile.topics);
    const weight = wanted.length > 0 ? (options.creativeWeight ?? 0.3) : 1;
    score = (1 - weight) * score + weight * similarity;
    const shared = topics
      .map((entry) => ({ topic: entry.topic, weight: roundScore(Math.min(entry.score, topicShare(profile, entry.topic))) }))
      .filter((entry) => entry.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.topic.localeCompare(b.topic))
      .slice(0, 3);
    creative = { similarity: roundScore(similarity), weight, reasons: shared.map((entry) => ({ ...entry, postIds: evidenceFor(entry.topic, evidence, limit) })) };
  }
  score = roundScore(Math.max(0, Math.min(1, score)));
  return { score, eligible: score >= (options.minScore ?? DEFAULT_MIN_SCORE), reasons, ...(creative ? { creative } : {}) };
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
  /**
   * 'inconclusive' when the posts around the ad say too little about topics (emoji, bare links,
   * greetings) to judge the booked ones, or there are none: no verdict on the topics is claimed.
   */
  verdict: 'passed' | 'failed' | 'inconclusive';
  passed: boolean;
  /** Share of the booked topics in what the posts around the ad say, 0-1; null when it was not judged. */
  score: number | null;
  /**
   * What was judged: the posts around the ad on their topics, exclusions and brand safety; on
   * exclusions and brand safety only (they say too little about topics, or no topic was booked); or
   * nothing (no posts around the ad).
   */
  judged: 'surrounding_posts' | 'brand_safety_only' | 'nothing';
  reasons: MatchReason[];
  detail: string;
}

export interface ContextCheckOptions extends MatchOptions {
  /** Below this much topic evidence the surrounding posts are not judged on their topics (see weighContext). */
  minEvidence?: number;
}

/**
 * Topics that speak neither for nor against a booking (greetings, announcements, chit-chat): they
 * are left out of a context's evidence unless they were booked.
 */
const NEUTRAL_TOPICS: readonly string[] = ['other'];

/**
 * About one short post that is clearly about something (`weighContext`: a Russian crypto headline
 * weighs 0.09-0.16, a casino ad 0.95, a bare exchange link 0.007, a greeting 0.001, emoji-only posts
 * 0; the shipped corpus's own posts have a median of 0.33).
 */
export const DEFAULT_MIN_CONTEXT_EVIDENCE = 0.1;

export interface WeighedContext {
  /** Topic and brand-safety shares of the evidence; together they sum to 1 (or are all 0). */
  profile: ChannelProfile;
  /** Total evidence: the sum of the posts' weights. */
  evidence: number;
  /**
   * The same posts at equal weights, as a profile is built (`buildChannelProfile` without decay): the
   * scale the exclusion and brand-safety thresholds are set on.
   */
  plain: ChannelProfile;
}

/**
 * The posts around an ad as one distribution over topics and brand-safety categories, each post
 * weighing by how much it says: its distribution over every label (neutral topics left out) scored
 * by 1 - entropy / log(labels), times the share of it that is not neutral. A clear post about one
 * thing weighs most; an emoji-only post, a bare link or a greeting weighs (nearly) nothing, so a few
 * of them beside the ad neither pass nor fail a channel. Brand-unsafe posts are clear evidence too:
 * a casino post is ~95% gambling, so it weighs more than most on-topic posts.
 */
export function weighContext(
  posts: readonly ChannelPost[],
  model: TopicClassifier,
  bookedTopics: readonly string[],
  options: { languageIdentifier?: LanguageIdentifier } = {},
): WeighedContext {
  // The posts around the ad all count the same here: the check is about now, not about recency.
  const latest = new Date(Math.max(0, ...posts.map((post) => post.date.getTime())));
  const plain = buildChannelProfile(posts, model, latest, { halfLifeDays: Number.POSITIVE_INFINITY, languageIdentifier: options.languageIdentifier });
  const neutral = new Set(NEUTRAL_TOPICS.filter((topic) => !bookedTopics.includes(topic)));
  const topicTotals = new Map<string, number>();
  const safetyTotals = new Map<string, number>();
  let total = 0;
  const evidence = plain.evidence.map((post): PostEvidence => {
    const topicMass = 1 - post.brandSafety.reduce((sum, entry) => sum + entry.score, 0);
    const parts = [
      ...post.topics.filter((entry) => !neutral.has(entry.topic)).map((entry) => ({ key: entry.topic, into: topicTotals, mass: topicMass * entry.score })),
      ...post.brandSafety.map((entry) => ({ key: entry.category, into: safetyTotals, mass: entry.score })),
    ];
    const kept = parts.reduce((sum, part) => sum + part.mass, 0);
    const entropy = parts.reduce((sum, part) => (part.mass > 0 ? sum - (part.mass / kept) * Math.log(part.mass / kept) : sum), 0);
    const weight = kept > 0 && parts.length > 1 ? Math.max(0, 1 - entropy / Math.log(parts.length)) * kept : 0;
    if (weight > 0) {
      total += weight;
      for (const part of parts) part.into.set(part.key, (part.into.get(part.key) ?? 0) + (weight * part.mass) / kept);
    }
    return { ...post, weight };
  });
  const share = (value: number) => (total > 0 ? value / total : 0);
  return {
    evidence: total,
    plain,
    profile: {
      language: null,
      topics: [...topicTotals].map(([topic, value]) => ({ topic, score: share(value) })).sort((a, b) => b.score - a.score),
      brandSafety: [...safetyTotals].map(([category, value]) => ({ category, score: share(value) })).sort((a, b) => b.score - a.score),
      postCount: posts.length,
      evidence,
    },
  };
}

/**
 * Delivery verification: are the posts around the ad still what was booked? The check fails when
 * any post beside the ad is clearly brand-unsafe, when the campaign's excluded topics or brand-unsafe
 * content make up those posts (at equal weights, the scale of the thresholds), or when the booked
 * topics' share of what those posts say (`weighContext`: emoji, bare links and greetings weigh next
 * to nothing) is under `threshold`. When the posts say too little about topics to judge the booked
 * ones, or there are none, the topics are not judged and the check is inconclusive: it fails nothing
 * without evidence beside the ad. The channel's profile is only quoted, for comparison.
 */
export function checkContext(
  input: ContextCheckInput,
  surroundingPosts: readonly ChannelPost[],
  profile: ChannelProfile,
  model: TopicClassifier,
  options: ContextCheckOptions = {},
): ContextCheckResult {
  const bookedShare = (of: Pick<ChannelProfile, 'topics'>) => roundScore(Math.min(1, input.bookedTopics.reduce((sum, topic) => sum + topicShare(of, topic), 0)));
  const weighed = weighContext(surroundingPosts, model, input.bookedTopics, { languageIdentifier: options.languageIdentifier });
  const context = weighed.profile;
  const failures: string[] = [];
  const unsafePostThreshold = options.unsafePostThreshold ?? DEFAULT_UNSAFE_POST_THRESHOLD;
  for (const post of context.evidence) {
    const worst = post.brandSafety[0];
    if (worst && worst.score >= unsafePostThreshold) {
      failures.push(`post ${post.postId} is brand-unsafe (${worst.category} ${roundScore(worst.score)})`);
    }
  }
  for (const blocked of blockingReasons(input.excludedTopics, weighed.plain, options)) {
    const [kind, id] = blocked.split(':') as [string, string];
    const safety = weighed.plain.brandSafety.find((entry) => entry.category === id)?.score ?? 0;
    const share = kind === 'topic' ? topicShare(weighed.plain, id) + safety : safety;
    failures.push(`${kind === 'topic' ? `excluded topic ${id}` : `brand-unsafe content (${id})`} makes up ${roundScore(share)} of the surrounding posts`);
  }
  const judgesTopics = input.bookedTopics.length > 0 && weighed.evidence >= (options.minEvidence ?? DEFAULT_MIN_CONTEXT_EVIDENCE);
  const judged: ContextCheckResult['judged'] = surroundingPosts.length === 0 ? 'nothing' : judgesTopics ? 'surrounding_posts' : 'brand_safety_only';
  const score = judgesTopics ? bookedShare(context) : null;
  const inProfile = `${bookedShare(profile)} in the channel's profile`;
  if (score !== null && score < input.threshold) {
    failures.push(`booked topics ${input.bookedTopics.join(', ')} make up ${score} of the surrounding posts (threshold ${input.threshold}, ${inProfile}); now mostly ${dominantContent(context)}`);
  }
  const reasons = judgesTopics
    ? input.bookedTopics
        .map((topic) => ({ topic, weight: roundScore(topicShare(context, topic)), postIds: evidenceFor(topic, context.evidence, options.evidencePosts ?? 3) }))
        .sort((a, b) => b.weight - a.weight || a.topic.localeCompare(b.topic))
    : [];
  const unique = [...new Set(failures)];
  const conclude = (): [ContextCheckResult['verdict'], string] => {
    if (unique.length > 0) return ['failed', unique.join('; ')];
    if (judged === 'nothing') return ['inconclusive', `context not judged: no posts around the ad yet (booked topics ${inProfile})`];
    if (input.bookedTopics.length === 0) return ['passed', `no topics were booked: the ${surroundingPosts.length} surrounding posts passed the exclusions and brand safety`];
    if (judgesTopics) return ['passed', `context matches: booked topics make up ${score} of what the ${surroundingPosts.length} surrounding posts say`];
    return [
      'inconclusive',
      `topics not judged: the ${surroundingPosts.length} surrounding post(s) say too little about topics (emoji, links, greetings; booked topics ${inProfile}); exclusions and brand safety passed`,
    ];
  };
  const [verdict, detail] = conclude();
  return { verdict, passed: verdict !== 'failed', score, judged, reasons, detail };
}

/** The largest share of a weighed context, topic or brand-safety category (they share one scale there). */
function dominantContent(context: ChannelProfile): string {
  const candidates = [
    ...context.topics.map((entry) => ({ name: entry.topic, score: entry.score })),
    ...context.brandSafety.map((entry) => ({ name: entry.category, score: entry.score })),
  ].sort((a, b) => b.score - a.score);
  const top = candidates[0];
  return top ? `${top.name} ${roundScore(top.score)}` : 'unknown';
}
