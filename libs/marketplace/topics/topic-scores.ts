import { DEFAULT_UNSAFE_POST_THRESHOLD, matchChannel } from '#libs/topics';
import type { StoredPostEvidence, StoredTopicProfile } from '../channels/channel.entities';

/**
 * `channel_topic_scores` holds a channel's stored profile as rows: each topic share (score > 0) under
 * its topic id, each brand-safety score under `bs:<category>`, each brand-safety peak that marks a
 * clearly unsafe recent post (at least DEFAULT_UNSAFE_POST_THRESHOLD) under `unsafe:<category>`, and
 * on every row the channel's highest brand-safety score and all its rows as one object (`shares`).
 * ProfilesService rewrites them in the statement that stores the profile; recommendations read them
 * by index.
 */
export const BRAND_SAFETY_PREFIX = 'bs:';
export const UNSAFE_POST_PREFIX = 'unsafe:';

export interface TopicScoreRows {
  /** the rows, topic → score (score > 0): the profile statement unnests them and stores them whole on each */
  shares: Record<string, number>;
  brandSafetyMax: number;
}

/** Rows for one profile. */
export function topicScoreRows(profile: {
  topics: readonly { topic: string; score: number }[];
  brandSafety: readonly { category: string; score: number }[];
  brandSafetyPeaks?: readonly { category: string; score: number }[];
}): TopicScoreRows {
  const shares: Record<string, number> = {};
  let brandSafetyMax = 0;
  for (const { topic, score } of profile.topics) if (score > 0) shares[topic] = score;
  for (const { category, score } of profile.brandSafety) {
    if (score <= 0) continue;
    shares[`${BRAND_SAFETY_PREFIX}${category}`] = score;
    brandSafetyMax = Math.max(brandSafetyMax, score);
  }
  for (const { category, score } of profile.brandSafetyPeaks ?? []) {
    if (score >= DEFAULT_UNSAFE_POST_THRESHOLD) shares[`${UNSAFE_POST_PREFIX}${category}`] = score;
  }
  return { shares, brandSafetyMax };
}

/**
 * Rebuilds every channel's rows from `channels.topic_profile`, deleting the rows no profile has, for
 * data written around ProfilesService: the benchmark's seed and tests. Not for a live catalog: it
 * does not lock the channels, so a status change committed while it runs can be overwritten.
 */
export const REBUILD_TOPIC_SCORES_SQL = `
  WITH rebuilt AS (
  INSERT INTO channel_topic_scores (channel_id, topic, score, channel_verified, channel_subscribers, channel_language, brand_safety_max, shares)
  SELECT c.id, r.topic, (r.score)::float8, c.status = 'verified', c.subscribers, c.language, agg.brand_safety_max, agg.shares
    FROM channels c
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_object_agg(t.topic, t.score), '{}') AS shares,
             coalesce(max(t.score) FILTER (WHERE left(t.topic, ${BRAND_SAFETY_PREFIX.length}) = '${BRAND_SAFETY_PREFIX}'), 0) AS brand_safety_max
        FROM (SELECT e->>'topic' AS topic, (e->>'score')::float8 AS score FROM jsonb_array_elements(c.topic_profile->'topics') e
              UNION ALL
              SELECT '${BRAND_SAFETY_PREFIX}' || (e->>'category'), (e->>'score')::float8 FROM jsonb_array_elements(c.topic_profile->'brandSafety') e
              UNION ALL
              SELECT '${UNSAFE_POST_PREFIX}' || (e->>'category'), (e->>'score')::float8 FROM jsonb_array_elements(coalesce(c.topic_profile->'brandSafetyPeaks', '[]')) e
               WHERE (e->>'score')::float8 >= ${DEFAULT_UNSAFE_POST_THRESHOLD}) t
       WHERE t.score > 0) agg
    CROSS JOIN LATERAL jsonb_each(agg.shares) AS r(topic, score)
   WHERE c.topic_profile IS NOT NULL
  ON CONFLICT (channel_id, topic) DO UPDATE
    SET score = EXCLUDED.score, channel_verified = EXCLUDED.channel_verified, channel_subscribers = EXCLUDED.channel_subscribers,
        channel_language = EXCLUDED.channel_language, brand_safety_max = EXCLUDED.brand_safety_max, shares = EXCLUDED.shares
  RETURNING channel_id, topic)
  DELETE FROM channel_topic_scores s
   WHERE NOT EXISTS (SELECT 1 FROM rebuilt r WHERE r.channel_id = s.channel_id AND r.topic = s.topic)`;

/**
 * A stored profile with, per topic, the post ids `matchChannel` lists as that topic's evidence (its
 * default number of posts): written by ProfilesService with the profile, so that recommendations
 * read a few ids per returned channel instead of its evidence posts. Profiles stored before have no
 * `reasonPosts` and are explained from `topic_evidence`.
 */
export type StoredProfileWithReasons = StoredTopicProfile & { reasonPosts?: Record<string, string[]> };

/** Each topic's reason post ids, from the matcher itself: a one-topic campaign per topic of the profile. */
export function reasonPostsOf(profile: Pick<StoredTopicProfile, 'language' | 'topics' | 'brandSafety' | 'postCount'>, evidence: readonly StoredPostEvidence[]): Record<string, string[]> {
  const byTopic: Record<string, string[]> = {};
  for (const { topic } of profile.topics) {
    const [reason] = matchChannel({ topics: [topic], excludedTopics: [] }, { ...profile, evidence: [...evidence] }).reasons;
    if (reason && reason.postIds.length > 0) byTopic[topic] = reason.postIds;
  }
  return byTopic;
}

/** The reasons' post ids for a match computed without evidence, from `reasonPosts`. */
export function withReasonPosts<R extends { topic: string; postIds: string[] }>(reasons: R[], reasonPosts: Record<string, string[]>): R[] {
  return reasons.map((reason) => ({ ...reason, postIds: Object.hasOwn(reasonPosts, reason.topic) ? reasonPosts[reason.topic]! : [] }));
}
