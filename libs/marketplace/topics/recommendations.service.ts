import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { queryPrepared } from '#libs/database';
import { TtlCache } from './ttl-cache';
import { DEFAULT_BRAND_SAFETY_THRESHOLD, DEFAULT_EXCLUDED_TOPIC_THRESHOLD, DEFAULT_MIN_SCORE, MatchResult, matchChannel } from '#libs/topics';
import { CampaignEntity } from '../campaigns/campaign.entities';
import type { StoredPostEvidence } from '../channels/channel.entities';
import { CatalogItem, Pricing } from '../channels/catalog.service';
import { BRAND_SAFETY_PREFIX, StoredProfileWithReasons, withReasonPosts } from './topic-scores';

export interface Recommendation extends CatalogItem {
  score: number;
  reasons: { topic: string; weight: number; postIds: string[] }[];
}

/** Per wanted topic, the channels with the highest share of it (index scan on channel_topic_scores). */
const PER_TOPIC = 100;
const RESULTS = 50;

interface RankedRow {
  id: string;
  title: string | null;
  username: string | null;
  language: string | null;
  subscribers: number;
  topic_profile: StoredProfileWithReasons;
  /** only for a profile stored without `reasonPosts` */
  topic_evidence: StoredPostEvidence[] | null;
  pricing: Pricing;
}

/**
 * Ranks verified channels for a campaign by the pure matcher, in one statement and one pass of the
 * matcher over the channels returned. Candidates come from `channel_topic_scores`: for each wanted
 * topic the verified channels (in the wanted languages) with the highest share of it, read from the
 * partial (topic, score) index that carries each channel's shares, with excluded and brand-unsafe
 * ones dropped by the matcher's rules and thresholds. Postgres orders them by the matcher's own score
 * and order (see `recommendationsQuery`) and returns the best RESULTS with their cards, stored
 * profiles and prices; `matchChannel` then scores and explains each of them from its stored profile
 * (the evidence posts only for a profile stored without each topic's reason post ids) and gives the
 * final order. The result is the matcher's best among the candidates, not always among all channels:
 * a channel outside every wanted topic's first PER_TOPIC by share can be missed, when it ties after
 * rounding with the last one returned and has a larger audience, or for several topics when its sum
 * is high without leading any of them (see BENCHMARKS.md, Catalog).
 */
@Injectable()
export class RecommendationsService {
  /** Profiles change when posts arrive (minutes apart): a ranking is reused for a short while. */
  private readonly cache: TtlCache<Recommendation[]>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PLACARD_CONFIG) config: PlacardConfig,
  ) {
    this.cache = new TtlCache(config.recommendationsCacheSeconds * 1000);
  }

  forCampaign(campaign: CampaignEntity): Promise<Recommendation[]> {
    const targeting = JSON.stringify([campaign.topics, campaign.excludedTopics, campaign.languages]);
    return this.cache.get(`${campaign.id}:${targeting}`, () => this.rank(campaign));
  }

  private async rank(campaign: CampaignEntity): Promise<Recommendation[]> {
    const topics = [...new Set(campaign.topics)];
    if (topics.length === 0) return [];
    const targeting = { topics: campaign.topics, excludedTopics: campaign.excludedTopics };
    const { sql, params } = recommendationsQuery(topics, campaign.excludedTopics, campaign.languages);
    // prepared: planning this statement cost Postgres about as much as running it
    const [{ ranked: rows }] = await queryPrepared<{ ranked: RankedRow[] }>(this.dataSource, sql, params);
    const ranked: (Recommendation & { result: MatchResult })[] = [];
    for (const row of rows) {
      const { reasonPosts, ...stored } = row.topic_profile;
      const result = matchChannel(targeting, { ...stored, evidence: row.topic_evidence ?? [] });
      if (!result.eligible) continue; // not reached while the SQL applies the matcher's rules; kept as the matcher's word
      const reasons = reasonPosts ? withReasonPosts(result.reasons, reasonPosts) : result.reasons;
      const { id, title, username, language, subscribers } = row;
      ranked.push({ id, title, username, language, subscribers, topics: stored.topics, pricing: row.pricing, score: result.score, reasons, result });
    }
    return ranked.sort(byRank).map(({ result: _result, ...item }) => item);
  }
}

/** The matcher's order: score, then audience, then id. */
function byRank(a: { id: string; subscribers: number; result: MatchResult }, b: { id: string; subscribers: number; result: MatchResult }): number {
  return b.result.score - a.result.score || b.subscribers - a.subscribers || a.id.localeCompare(b.id);
}

/**
 * The recommendation statement (exported for the benchmark, which runs it directly in SQL): one row
 * whose `ranked` is a JSON array of the best RESULTS channels with their cards, stored profiles and
 * prices.
 *
 * Candidates: per wanted topic, an index-only scan of `channel_topic_scores_match` (verified channels
 * only, best share first) filtered on the columns the index carries: brand safety, language, and the
 * excluded topics read from `shares`. No channel row and no other score row is read for them.
 *
 * Order: the matcher's, computed as the matcher computes it. Its score is the sum of the wanted
 * topics' shares in the campaign's order (float8 addition in the same order as the JavaScript sum),
 * capped at 1 and rounded to thousandths: `Math.round(x * 1000)` is `floor(x * 1000 + 0.5)` for the
 * scores in [0, 1000] this can see; ties go to the larger audience, then the smaller id (uuid order is
 * the order of its hex text). A channel below the matcher's minimum score is not eligible.
 */
export function recommendationsQuery(topics: string[], excludedTopics: string[], languages: string[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [topics, PER_TOPIC, RESULTS, DEFAULT_BRAND_SAFETY_THRESHOLD, DEFAULT_MIN_SCORE];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // brand-unsafe: any brand-safety score at the threshold (as blockingReasons)
  const filters = [`s.channel_verified`, `s.brand_safety_max < $4`];
  if (languages.length > 0) filters.push(`s.channel_language = ANY(${param(languages)}::text[])`);
  if (excludedTopics.length > 0) {
    // excluded: an excluded id's topic share plus the brand-safety score of that name (as blockingReasons)
    const threshold = param(DEFAULT_EXCLUDED_TOPIC_THRESHOLD);
    for (const id of new Set(excludedTopics)) {
      filters.push(`coalesce((s.shares->>${param(id)})::float8, 0) + coalesce((s.shares->>${param(BRAND_SAFETY_PREFIX + id)})::float8, 0) < ${threshold}`);
    }
  }
  // the matcher's sum, written out: float8 additions from 0 in the campaign's order, as its reduce adds
  const sum = topics.map((topic) => `coalesce((k.shares->>${param(topic)})::float8, 0)`).join(' + ');
  const sql = `WITH candidates AS (
      SELECT DISTINCT ON (pick.channel_id) pick.channel_id, pick.subscribers, pick.shares
        FROM unnest($1::text[]) AS wanted(topic)
        CROSS JOIN LATERAL (
          SELECT s.channel_id, s.channel_subscribers AS subscribers, s.shares
            FROM channel_topic_scores s
           WHERE s.topic = wanted.topic AND ${filters.join(' AND ')}
           ORDER BY s.score DESC
           LIMIT $2) pick
    ), best AS (
      SELECT k.channel_id, m.thousandths
        FROM candidates k
       CROSS JOIN LATERAL (SELECT floor(LEAST(1, 0::float8 + ${sum}) * 1000 + 0.5) AS thousandths) m
       WHERE m.thousandths / 1000 >= $5
       ORDER BY m.thousandths DESC, k.subscribers DESC, k.channel_id
       LIMIT $3
    )
    SELECT coalesce(json_agg(json_build_object(
             'id', c.id, 'title', c.title, 'username', c.username, 'language', c.language, 'subscribers', c.subscribers,
             'topic_profile', c.topic_profile,
             'topic_evidence', CASE WHEN c.topic_profile ? 'reasonPosts' THEN NULL ELSE c.topic_evidence END,
             'pricing', c.pricing)), '[]') AS ranked
      FROM best b JOIN channels c ON c.id = b.channel_id
     WHERE c.topic_profile IS NOT NULL`;
  return { sql, params };
}
