import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { queryPrepared } from '#libs/database';
import { TtlCache } from './ttl-cache';
import { ChannelProfile, DEFAULT_BRAND_SAFETY_THRESHOLD, DEFAULT_EXCLUDED_TOPIC_THRESHOLD, MatchResult, matchChannel } from '#libs/topics';
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
/** Of those, the best by the SQL score are ranked by the matcher. */
const CANDIDATES = 100;
const RESULTS = 50;

interface CandidateRow {
  id: string;
  subscribers: number;
  /** all the channel's channel_topic_scores rows, topic → score (`bs:` rows for brand safety) */
  shares: Record<string, number>;
}

interface DetailRow {
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
 * Ranks verified channels for a campaign by the pure matcher. Candidates come from
 * `channel_topic_scores`: for each wanted topic the verified channels (in the wanted languages)
 * with the highest share of it, read from the partial (topic, score) index that carries each
 * channel's shares, excluded and brand-unsafe ones dropped in SQL with the matcher's thresholds; the union is scored in SQL (the matcher's score: the
 * sum of the wanted topics' shares, capped at 1) and the best CANDIDATES are ranked by `matchChannel`
 * on their shares alone (the score does not depend on evidence, only the reasons do). Only the
 * RESULTS returned have their stored profile read (without the evidence posts when it has each
 * topic's reason post ids) and go through `matchChannel` again for the score and the reasons. Exact
 * for one-topic campaigns; for several topics a channel that leads none of them but has a high sum
 * can be missed (see BENCHMARKS.md, Catalog).
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
    const { sql, params } = candidatesQuery(topics, campaign.excludedTopics, campaign.languages);
    // prepared: planning this statement cost Postgres about as much as running it
    const candidates = await queryPrepared<CandidateRow>(this.dataSource, sql, params);
    const shortlist = candidates
      .map((row) => ({ id: row.id, subscribers: row.subscribers, result: matchChannel(targeting, sharesProfile(row)) }))
      .filter((entry) => entry.result.eligible)
      .sort(byRank)
      .slice(0, RESULTS);
    if (shortlist.length === 0) return [];
    const ids = shortlist.map((entry) => entry.id);
    const details = await queryPrepared<DetailRow>(this.dataSource, RECOMMENDATION_DETAILS_SQL, [ids]);
    const ranked: (Recommendation & { result: MatchResult })[] = [];
    for (const row of details) {
      const { reasonPosts, ...stored } = row.topic_profile;
      const result = matchChannel(targeting, { ...stored, evidence: row.topic_evidence ?? [] });
      if (!result.eligible) continue; // the profile changed since the candidates were read
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
 * A candidate's profile as the matcher reads it without evidence: its topic shares and brand-safety
 * scores (`bs:` rows), which is all `matchChannel` scores and blocks on when no creative is given.
 */
function sharesProfile(row: CandidateRow): ChannelProfile {
  const topics: ChannelProfile['topics'] = [];
  const brandSafety: ChannelProfile['brandSafety'] = [];
  for (const [topic, score] of Object.entries(row.shares)) {
    if (topic.startsWith(BRAND_SAFETY_PREFIX)) brandSafety.push({ category: topic.slice(BRAND_SAFETY_PREFIX.length), score });
    else topics.push({ topic, score });
  }
  return { language: null, topics, brandSafety, postCount: 0, evidence: [] };
}

/**
 * The returned channels' cards, stored profiles and prices ($1 ids) in one statement, exported for
 * the benchmark. The evidence posts are read only for a profile stored before `reasonPosts` (see
 * ProfilesService): the others are explained by a few post ids per topic kept in the profile, which
 * is small enough to stay inline. Prices as `pricesFor` gives them: formats in order.
 */
export const RECOMMENDATION_DETAILS_SQL = `
  SELECT c.id, c.title, c.username, c.language, c.subscribers, c.topic_profile,
         CASE WHEN c.topic_profile ? 'reasonPosts' THEN NULL ELSE c.topic_evidence END AS topic_evidence,
         coalesce((SELECT json_agg(json_build_object('format', p.format, 'priceMinor', p.price_minor, 'currency', p.currency) ORDER BY p.format)
                     FROM channel_prices p WHERE p.channel_id = c.id), '[]') AS pricing
    FROM channels c
   WHERE c.id = ANY($1::uuid[]) AND c.topic_profile IS NOT NULL`;

/**
 * The candidate query (exported for the benchmark, which runs it directly in SQL). Per wanted topic,
 * an index-only scan of `channel_topic_scores_match` (verified channels only, best share first) that
 * filters on the columns the index carries: brand safety, language, and the excluded topics read from
 * `shares`. No channel row and no other score row is read.
 */
export function candidatesQuery(topics: string[], excludedTopics: string[], languages: string[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [topics, PER_TOPIC, CANDIDATES, DEFAULT_BRAND_SAFETY_THRESHOLD];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // brand-unsafe: any brand-safety score at the threshold (as blockingReasons)
  const filters = [`s.channel_verified`, `s.brand_safety_max < $4`];
  if (languages.length > 0) filters.push(`s.channel_language = ANY(${param(languages)}::text[])`);
  if (excludedTopics.length > 0) {
    // excluded: an excluded id's topic share plus the brand-safety score of that name (as blockingReasons)
    filters.push(
      `NOT EXISTS (SELECT 1 FROM unnest(${param([...new Set(excludedTopics)])}::text[]) AS excluded(id)
                    WHERE coalesce((s.shares->>excluded.id)::float8, 0) + coalesce((s.shares->>('${BRAND_SAFETY_PREFIX}' || excluded.id))::float8, 0)
                          >= ${param(DEFAULT_EXCLUDED_TOPIC_THRESHOLD)})`,
    );
  }
  const sql = `WITH candidates AS (
      SELECT DISTINCT ON (pick.channel_id) pick.channel_id, pick.subscribers, pick.shares
        FROM unnest($1::text[]) AS wanted(topic)
        CROSS JOIN LATERAL (
          SELECT s.channel_id, s.channel_subscribers AS subscribers, s.shares
            FROM channel_topic_scores s
           WHERE s.topic = wanted.topic AND ${filters.join(' AND ')}
           ORDER BY s.score DESC
           LIMIT $2) pick)
    SELECT k.channel_id AS id, k.subscribers, k.shares, m.score
      FROM candidates k
     CROSS JOIN LATERAL (
       SELECT LEAST(1, sum(coalesce((k.shares->>w.topic)::float8, 0))) AS score FROM unnest($1::text[]) AS w(topic)) m
     ORDER BY m.score DESC, k.subscribers DESC, k.channel_id
     LIMIT $3`;
  return { sql, params };
}
