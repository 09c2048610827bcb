import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildChannelProfile } from '#libs/topics';
import { TopicEngine, toStoredEvidence } from './topic-engine';
import { StoredProfileWithReasons, reasonPostsOf, topicScoreRows } from './topic-scores';

/** A topic is listed for a channel in the catalog (and its filter) from this share of its content. */
export const CATALOG_TOPIC_THRESHOLD = 0.15;
const PROFILE_POSTS = 200;

/** Recomputes a channel's topic profile from its recent posts and stores it for the catalog. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: TopicEngine,
  ) {}

  async recompute(channelId: string): Promise<StoredProfileWithReasons | null> {
    const posts: { id: string; text: string; posted_at: Date }[] = await this.dataSource.query(
      `SELECT id, text, posted_at FROM channel_posts WHERE channel_id = $1 ORDER BY posted_at DESC LIMIT $2`,
      [channelId, PROFILE_POSTS],
    );
    if (posts.length === 0) return null;
    const { model, languageIdentifier } = await this.engine.load();
    const profile = buildChannelProfile(
      posts.map((post) => ({ id: post.id, text: post.text, date: new Date(post.posted_at) })),
      model,
      new Date(),
      { languageIdentifier },
    );
    const stored: StoredProfileWithReasons = {
      language: profile.language,
      topics: profile.topics,
      brandSafety: profile.brandSafety,
      brandSafetyPeaks: profile.brandSafetyPeaks,
      postCount: profile.postCount,
      computedAt: new Date().toISOString(),
    };
    const evidence = toStoredEvidence(profile);
    // what recommendations show as reasons, worked out once here from every post of the profile: the
    // stored evidence keeps only the newest posts, which may not show an older topic that still counts
    stored.reasonPosts = reasonPostsOf(stored, profile.evidence);
    const topicIds = profile.topics.filter((entry) => entry.score >= CATALOG_TOPIC_THRESHOLD).map((entry) => entry.topic);
    const scores = topicScoreRows(profile);
    // one statement: the profile, and its rows in channel_topic_scores (stale ones deleted, the rest
    // upserted) with the channel's status, subscribers and language as the update left them
    await this.dataSource.query(
      `WITH updated AS (
         UPDATE channels SET topic_profile = $2, topic_evidence = $7, topic_ids = $3, language = COALESCE($4, language), updated_at = now() WHERE id = $1
         RETURNING id, status = 'verified' AS verified, subscribers, language
       ), stale AS (
         DELETE FROM channel_topic_scores s USING updated u WHERE s.channel_id = u.id AND NOT $5::jsonb ? s.topic
       )
       INSERT INTO channel_topic_scores (channel_id, topic, score, channel_verified, channel_subscribers, channel_language, brand_safety_max, shares)
       SELECT u.id, x.topic, (x.score)::float8, u.verified, u.subscribers, u.language, $6, $5::jsonb FROM updated u, jsonb_each($5::jsonb) AS x(topic, score)
       ON CONFLICT (channel_id, topic) DO UPDATE
         SET score = EXCLUDED.score, channel_verified = EXCLUDED.channel_verified, channel_subscribers = EXCLUDED.channel_subscribers,
             channel_language = EXCLUDED.channel_language, brand_safety_max = EXCLUDED.brand_safety_max, shares = EXCLUDED.shares`,
      [channelId, JSON.stringify(stored), topicIds, profile.language, JSON.stringify(scores.shares), scores.brandSafetyMax, JSON.stringify(evidence)],
    );
    return stored;
  }
}
