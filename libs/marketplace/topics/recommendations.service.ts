import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { queryPrepared } from '#libs/database';
import { TtlCache } from './ttl-cache';
import { DEFAULT_BRAND_SAFETY_THRESHOLD, DEFAULT_EXCLUDED_TOPIC_THRESHOLD, DEFAULT_MIN_SCORE, MatchResult, matchChannel } from '#libs/topics';
import { notFound } from '#libs/common';
import { CAMPAIGN_MAX_TOPICS } from '../campaigns/campaign.entities';
import type { StoredPostEvidence, StoredTopicProfile } from '../channels/channel.entities';
import type { CatalogItem } from '../channels/catalog.service';
import { BRAND_SAFETY_PREFIX, UNSAFE_POST_PREFIX, withReasonPosts } from './topic-scores';

/** One item of the recommendations response. */
export interface Recommendation extends CatalogItem {
  score: number;
  reasons: { topic: string; weight: number; postIds: string[] }[];
}

/** Per wanted topic, the channels with the highest share of it (index scan on channel_topic_scores). */
const PER_TOPIC = 100;
const RESULTS = 50;

/**
 * One row of RECOMMENDATIONS_SQL: one of the campaign's ranked channels (none: `card` is null), the
 * first row with the campaign's targeting (the others without: 50 copies of two arrays to parse).
 */
interface RankedRow {
  campaign_topics: string[] | null;
  campaign_excluded_topics: string[] | null;
  id: string | null;
  subscribers: number | null;
  /** the channel's card as JSON text: `{id, title, username, language, subscribers, topics, pricing}` */
  card: string | null;
  /** the stored profile, as the matcher reads it */
  profile_language: string | null;
  post_count: number;
  topics: StoredTopicProfile['topics'];
  brand_safety: StoredTopicProfile['brandSafety'];
  brand_safety_peaks: StoredTopicProfile['brandSafety'] | null;
  /** each topic's stored reason posts; null for a profile stored without them */
  reason_posts: Record<string, string[]> | null;
  /** only for a profile stored without `reasonPosts` */
  evidence: StoredPostEvidence[] | null;
}

/**
 * Ranks verified channels for a campaign by the pure matcher, in one statement and one pass of the
 * matcher over the channels returned. The statement reads the campaign (the advertiser's own, or
 * none: a 404). Candidates come from `channel_topic_scores`: for each wanted topic the verified
 * channels (in the wanted languages) with the highest share of it, read from the partial (topic,
 * score) index that carries each channel's shares, with excluded and brand-unsafe ones dropped by the
 * matcher's rules and thresholds. Postgres orders them by the matcher's own score and order (see
 * `RECOMMENDATIONS_SQL`) and returns the best RESULTS with their cards, stored profiles and prices;
 * `matchChannel` then scores and explains each of them from its stored profile (the evidence posts
 * only for a profile stored without each topic's reason post ids) and gives the final order. The
 * result is the matcher's best among the candidates, not always among all channels: a channel
 * outside every wanted topic's first PER_TOPIC by share can be missed, when it ties after rounding
 * with the last one returned and has a larger audience, or for several topics when its sum is high
 * without leading any of them (see BENCHMARKS.md, Catalog).
 */
@Injectable()
export class RecommendationsService {
  /**
   * Profiles change when posts arrive (minutes apart): a ranking is reused for a short while. A
   * campaign's targeting never changes, so its id and its advertiser's are the key; a ranking is
   * only kept once the statement found the campaign among that advertiser's.
   */
  private readonly cache: TtlCache<string>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PLACARD_CONFIG) config: PlacardConfig,
  ) {
    this.cache = new TtlCache(config.recommendationsCacheSeconds * 1000);
  }

  /**
   * The advertiser's campaign's recommendations as the JSON text of the response, `{"items": [...]}`
   * (see `rank`); `not_found` when the campaign is not theirs.
   */
  forCampaign(advertiserId: string, campaignId: string): Promise<string> {
    return this.cache.get(`${advertiserId}:${campaignId}`, () => this.rank(advertiserId, campaignId));
  }

  /**
   * Scores and explains each returned channel with the matcher, orders them as it does, and writes
   * the response: each item is the channel's card as Postgres wrote it, with the matcher's `score`
   * and `reasons` added. The cards (most of the response) are neither parsed nor serialised here.
   */
  private async rank(advertiserId: string, campaignId: string): Promise<string> {
    const rows = await queryPrepared<RankedRow>(this.dataSource, RECOMMENDATIONS_SQL, recommendationsParams(advertiserId, campaignId));
    if (rows.length === 0) throw notFound('campaign');
    const withCampaign = rows.find((row) => row.campaign_topics !== null);
    const targeting = { topics: withCampaign?.campaign_topics ?? [], excludedTopics: withCampaign?.campaign_excluded_topics ?? [] };
    const ranked: { id: string; subscribers: number; card: string; result: MatchResult; reasons: Recommendation['reasons'] }[] = [];
    for (const row of rows) {
      if (row.card === null || row.id === null || row.subscribers === null) continue; // the campaign, no channel
      const profile = { language: row.profile_language, postCount: row.post_count, topics: row.topics, brandSafety: row.brand_safety, brandSafetyPeaks: row.brand_safety_peaks ?? undefined, evidence: row.evidence ?? [] };
      const result = matchChannel(targeting, profile);
      if (!result.eligible) continue; // not reached while the SQL applies the matcher's rules; kept as the matcher's word
      const reasons = row.reason_posts ? withReasonPosts(result.reasons, row.reason_posts) : result.reasons;
      ranked.push({ id: row.id, subscribers: row.subscribers, card: row.card, result, reasons });
    }
    const items = ranked.sort(byRank).map((item) => `${item.card.slice(0, -1)},"score":${JSON.stringify(item.result.score)},"reasons":${JSON.stringify(item.reasons)}}`);
    return `{"items":[${items.join(',')}]}`;
  }
}

/** The matcher's order: score, then audience, then id. */
function byRank(a: { id: string; subscribers: number; result: MatchResult }, b: { id: string; subscribers: number; result: MatchResult }): number {
  return b.result.score - a.result.score || b.subscribers - a.subscribers || a.id.localeCompare(b.id);
}

/** The parameters of RECOMMENDATIONS_SQL for one advertiser's campaign. */
export function recommendationsParams(advertiserId: string, campaignId: string): unknown[] {
  return [campaignId, advertiserId];
}

/** A number for SQL text: the limits and thresholds are constants of the statement, not parameters. */
const literal = (value: number): string => {
  if (!Number.isFinite(value)) throw new Error(`not a number for SQL: ${value}`);
  return String(value);
};
const BRAND_SAFETY_KEY = `'${BRAND_SAFETY_PREFIX.replace(/'/g, "''")}'`;
const UNSAFE_POST_KEY = `'${UNSAFE_POST_PREFIX.replace(/'/g, "''")}'`;

/** The campaign's wanted topics added term by term, in its order: `position` is 1-based. */
const wantedShare = (position: number): string => `coalesce((k.shares->>(cp.wanted[${position}]))::float8, 0)`;

/**
 * The recommendation statement (exported for the benchmark, which runs it directly in SQL), with
 * `recommendationsParams`: no row when the campaign is not the advertiser's; else one row per channel
 * among the best RESULTS (one row without a channel when there is none), each with the channel's card
 * as JSON text (prices included) and the stored profile's fields the matcher reads, and one of them
 * with the campaign's topics and excluded topics.
 *
 * Candidates: per wanted topic, an index-only scan of `channel_topic_scores_match` (verified channels
 * only, best share first) filtered on the columns the index carries: brand safety, language, and the
 * excluded topics read from `shares` (as the matcher's blockingReasons: an excluded id's topic share
 * plus the brand-safety score of that name, at the threshold, or a clearly unsafe recent post of that
 * category, stored as an `unsafe:` row). No channel row and no other score row
 * is read for them.
 *
 * Order: the matcher's, computed as the matcher computes it. Its score is the sum of the wanted
 * topics' shares, each topic once, in the campaign's order: written out as float8 additions from 0,
 * one term per position up to CAMPAIGN_MAX_TOPICS (a CHECK on campaigns), which adds what JavaScript's
 * reduce adds in the same order (a position past the end adds an exact 0). It is capped at 1 and
 * rounded to thousandths: `Math.round(x * 1000)` is `floor(x * 1000 + 0.5)` for the scores in
 * [0, 1000] this can see; ties go to the larger audience, then the smaller id (uuid order is the
 * order of its hex text). A channel below the matcher's minimum score is not eligible.
 *
 * Limits and thresholds are written into the text and only the campaign is a parameter: with its
 * LIMITs as parameters Postgres priced the generic plan as if a tenth of each topic's rows were read,
 * chose a custom plan for every execution, and planned the statement each time (about as long as
 * running it).
 */
export const RECOMMENDATIONS_SQL = `WITH cp AS (
      SELECT c.topics, c.excluded_topics, c.languages,
             ARRAY(SELECT t.topic FROM unnest(c.topics) WITH ORDINALITY AS t(topic, n) GROUP BY t.topic ORDER BY min(t.n)) AS wanted,
             c.excluded_topics || ARRAY(SELECT p || x FROM unnest(c.excluded_topics) AS x, unnest(ARRAY[${BRAND_SAFETY_KEY}, ${UNSAFE_POST_KEY}]) AS p) AS blocking_keys
        FROM campaigns c
       WHERE c.id = $1 AND c.advertiser_id = $2
    ), candidates AS (
      SELECT DISTINCT ON (pick.channel_id) pick.channel_id, pick.subscribers, pick.shares
        FROM cp
        CROSS JOIN LATERAL unnest(cp.wanted) AS wanted(topic)
        CROSS JOIN LATERAL (
          SELECT s.channel_id, s.channel_subscribers AS subscribers, s.shares
            FROM channel_topic_scores s
           WHERE s.topic = wanted.topic AND s.channel_verified
             AND s.brand_safety_max < ${literal(DEFAULT_BRAND_SAFETY_THRESHOLD)}
             AND (cardinality(cp.languages) = 0 OR s.channel_language = ANY(cp.languages))
             AND (NOT s.shares ?| cp.blocking_keys
                  OR NOT EXISTS (SELECT 1 FROM unnest(cp.excluded_topics) AS excluded(id)
                                  WHERE coalesce((s.shares->>excluded.id)::float8, 0) + coalesce((s.shares->>(${BRAND_SAFETY_KEY} || excluded.id))::float8, 0) >= ${literal(DEFAULT_EXCLUDED_TOPIC_THRESHOLD)}
                                     OR s.shares ? (${UNSAFE_POST_KEY} || excluded.id)))
           ORDER BY s.score DESC
           LIMIT ${literal(PER_TOPIC)}) pick
    ), best AS (
      SELECT k.channel_id, m.thousandths
        FROM candidates k
       CROSS JOIN cp
       CROSS JOIN LATERAL (SELECT floor(LEAST(1, 0::float8 + ${Array.from({ length: CAMPAIGN_MAX_TOPICS }, (_, i) => wantedShare(i + 1)).join(' + ')}) * 1000 + 0.5) AS thousandths) m
       WHERE m.thousandths / 1000 >= ${literal(DEFAULT_MIN_SCORE)}
       ORDER BY m.thousandths DESC, k.subscribers DESC, k.channel_id
       LIMIT ${literal(RESULTS)}
    )
    SELECT CASE WHEN coalesce(ranked.n, 1) = 1 THEN cp.topics END AS campaign_topics,
           CASE WHEN coalesce(ranked.n, 1) = 1 THEN cp.excluded_topics END AS campaign_excluded_topics, ranked.*
      FROM cp
      LEFT JOIN LATERAL (
        SELECT row_number() OVER () AS n, c.id, c.subscribers,
               json_build_object('id', c.id, 'title', c.title, 'username', c.username, 'language', c.language, 'subscribers', c.subscribers,
                                 'topics', c.topic_profile->'topics', 'pricing', c.pricing)::text AS card,
               c.topic_profile->>'language' AS profile_language, (c.topic_profile->>'postCount')::int AS post_count,
               c.topic_profile->'topics' AS topics, c.topic_profile->'brandSafety' AS brand_safety, c.topic_profile->'brandSafetyPeaks' AS brand_safety_peaks,
               c.topic_profile->'reasonPosts' AS reason_posts,
               CASE WHEN c.topic_profile ? 'reasonPosts' THEN NULL ELSE c.topic_evidence END AS evidence
          FROM best b JOIN channels c ON c.id = b.channel_id
         WHERE c.topic_profile IS NOT NULL) ranked ON true
`;
