import { matchChannel } from '#libs/topics';
import type { StoredTopicProfile } from '../channels/channel.entities';

/**
 * `channel_topic_scores` holds a channel's stored profile as rows: each topic share (score > 0) under
 * its topic id, each brand-safety score under `bs:<category>`. ProfilesService rewrites them in the
 * statement that stores the profile; recommendations read them by index.
 */
export const BRAND_SAFETY_PREFIX = 'bs:';

/** Rows for one profile, as the two arrays the profile statement unnests. */
export function topicScoreRows(profile: {
  topics: readonly { topic: string; score: number }[];
  brandSafety: readonly { category: string; score: number }[];
}): { topics: string[]; scores: number[] } {
  const rows = new Map<string, number>();
  for (const { topic, score } of profile.topics) if (score > 0) rows.set(topic, score);
  for (const { category, score } of profile.brandSafety) if (score > 0) rows.set(`${BRAND_SAFETY_PREFIX}${category}`, score);
  return { topics: [...rows.keys()], scores: [...rows.values()] };
}

/**
 * Rebuilds the rows of every channel with a profile from `channels.topic_profile` (for data written
 * around ProfilesService, such as the benchmark's seed). The migration that created the table ran
 * the same statement once.
 */
export const REBUILD_TOPIC_SCORES_SQL = `
  INSERT INTO channel_topic_scores (channel_id, topic, score)
  SELECT c.id, t.topic, t.score
    FROM channels c
    CROSS JOIN LATERAL (
      SELECT e->>'topic' AS topic, (e->>'score')::float8 AS score FROM jsonb_array_elements(c.topic_profile->'topics') e
      UNION ALL
      SELECT '${BRAND_SAFETY_PREFIX}' || (e->>'category'), (e->>'score')::float8 FROM jsonb_array_elements(c.topic_profile->'brandSafety') e
    ) t
   WHERE c.topic_profile IS NOT NULL AND t.score > 0
  ON CONFLICT (channel_id, topic) DO UPDATE SET score = EXCLUDED.score`;

/**
 * A stored profile with, per topic, the post ids `matchChannel` lists as that topic's evidence (its
 * default number of posts): written by ProfilesService with the profile, so that recommendations
 * read a few ids per returned channel instead of its evidence posts. Profiles stored before have no
 * `reasonPosts` and are explained from `evidence`.
 */
export type StoredProfileWithReasons = StoredTopicProfile & { reasonPosts?: Record<string, string[]> };

/** Each topic's reason post ids, from the matcher itself: a one-topic campaign per topic of the profile. */
export function reasonPostsOf(profile: Pick<StoredTopicProfile, 'language' | 'topics' | 'brandSafety' | 'postCount' | 'evidence'>): Record<string, string[]> {
  const byTopic: Record<string, string[]> = {};
  const evidence = profile.evidence ?? [];
  for (const { topic } of profile.topics) {
    const [reason] = matchChannel({ topics: [topic], excludedTopics: [] }, { ...profile, evidence }).reasons;
    if (reason && reason.postIds.length > 0) byTopic[topic] = reason.postIds;
  }
  return byTopic;
}

/** The reasons' post ids for a match computed without evidence, from `reasonPosts`. */
export function withReasonPosts<R extends { topic: string; postIds: string[] }>(reasons: R[], reasonPosts: Record<string, string[]>): R[] {
  return reasons.map((reason) => ({ ...reason, postIds: Object.hasOwn(reasonPosts, reason.topic) ? reasonPosts[reason.topic]! : [] }));
}
