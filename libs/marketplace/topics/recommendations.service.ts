import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { TtlCache } from './ttl-cache';
import { DEFAULT_BRAND_SAFETY_THRESHOLD, DEFAULT_EXCLUDED_TOPIC_THRESHOLD, matchChannel } from '#libs/topics';
import { CampaignEntity } from '../campaigns/campaign.entities';
import { CatalogItem, pricesFor } from '../channels/catalog.service';
import { StoredTopicProfile } from '../channels/channel.entities';
import { BRAND_SAFETY_PREFIX } from './topic-scores';

export interface Recommendation extends CatalogItem {
  score: number;
  reasons: { topic: string; weight: number; postIds: string[] }[];
}

/** Per wanted topic, the channels with the highest share of it (index scan on channel_topic_scores). */
const PER_TOPIC = 100;
/** Of those, the best by the SQL score go to the matcher. */
const CANDIDATES = 100;
const RESULTS = 50;

interface CandidateRow {
  id: string;
  title: string | null;
  username: string | null;
  language: string | null;
  subscribers: number;
  topic_profile: StoredTopicProfile | null;
}

/**
 * Ranks verified channels for a campaign by the pure matcher. Candidates come from
 * `channel_topic_scores`: for each wanted topic the verified channels (in the wanted languages)
 * with the highest share of it, read from the (topic, score) index, excluded and brand-unsafe ones
 * dropped in SQL with the matcher's thresholds; the union is scored in SQL (the matcher's score: the
 * sum of the wanted topics' shares, capped at 1) and the best CANDIDATES go through `matchChannel`
 * for the exact score and the reasons. Exact for one-topic campaigns; for several topics a channel
 * that leads none of them but has a high sum can be missed (see BENCHMARKS.md, Catalog).
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
    const { sql, params } = candidatesQuery(topics, campaign.excludedTopics, campaign.languages);
    const rows: (CandidateRow & { score: number })[] = await this.dataSource.query(sql, params);
    const ranked: (Omit<Recommendation, 'pricing'> & { pricing?: Recommendation['pricing'] })[] = [];
    for (const row of rows) {
      const stored = row.topic_profile;
      if (!stored) continue;
      const result = matchChannel(
        { topics: campaign.topics, excludedTopics: campaign.excludedTopics },
        { language: stored.language, topics: stored.topics, brandSafety: stored.brandSafety, postCount: stored.postCount, evidence: stored.evidence ?? [] },
      );
      if (!result.eligible) continue;
      ranked.push({
        id: row.id,
        title: row.title,
        username: row.username,
        language: row.language,
        subscribers: row.subscribers,
        topics: stored.topics,
        score: result.score,
        reasons: result.reasons,
      });
    }
    const top = ranked.sort((a, b) => b.score - a.score || b.subscribers - a.subscribers || a.id.localeCompare(b.id)).slice(0, RESULTS);
    const prices = await pricesFor(this.dataSource, top.map((item) => item.id));
    return top.map(({ score, reasons, ...item }) => ({ ...item, pricing: prices.get(item.id) ?? [], score, reasons }));
  }
}

/** The candidate query (exported for the benchmark, which runs it directly in SQL). */
export function candidatesQuery(topics: string[], excludedTopics: string[], languages: string[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [topics, PER_TOPIC, CANDIDATES, DEFAULT_BRAND_SAFETY_THRESHOLD];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const filters = [`c.status = 'verified'`];
  if (languages.length > 0) filters.push(`c.language = ANY(${param(languages)}::text[])`);
  // brand-unsafe: any brand-safety score at the threshold (as blockingReasons)
  filters.push(
    `NOT EXISTS (SELECT 1 FROM channel_topic_scores b
                  WHERE b.channel_id = s.channel_id AND left(b.topic, ${BRAND_SAFETY_PREFIX.length}) = '${BRAND_SAFETY_PREFIX}' AND b.score >= $4)`,
  );
  if (excludedTopics.length > 0) {
    // excluded: for each excluded id, its topic share plus the brand-safety score of that name (as blockingReasons)
    const excluded = [...new Set(excludedTopics)];
    filters.push(
      `NOT EXISTS (SELECT 1 FROM channel_topic_scores x
                    WHERE x.channel_id = s.channel_id AND x.topic = ANY(${param([...excluded, ...excluded.map((id) => `${BRAND_SAFETY_PREFIX}${id}`)])}::text[])
                    GROUP BY CASE WHEN left(x.topic, ${BRAND_SAFETY_PREFIX.length}) = '${BRAND_SAFETY_PREFIX}' THEN substr(x.topic, ${BRAND_SAFETY_PREFIX.length + 1}) ELSE x.topic END
                   HAVING sum(x.score) >= ${param(DEFAULT_EXCLUDED_TOPIC_THRESHOLD)})`,
    );
  }
  const sql = `WITH candidates AS (
      SELECT DISTINCT pick.channel_id
        FROM unnest($1::text[]) AS wanted(topic)
        CROSS JOIN LATERAL (
          SELECT s.channel_id
            FROM channel_topic_scores s JOIN channels c ON c.id = s.channel_id
           WHERE s.topic = wanted.topic AND ${filters.join(' AND ')}
           ORDER BY s.score DESC
           LIMIT $2) pick)
    SELECT c.id, c.title, c.username, c.language, c.subscribers, c.topic_profile,
           LEAST(1, (SELECT sum(t.score) FROM channel_topic_scores t WHERE t.channel_id = c.id AND t.topic = ANY($1::text[]))) AS score
      FROM candidates k JOIN channels c ON c.id = k.channel_id
     ORDER BY score DESC, c.subscribers DESC, c.id
     LIMIT $3`;
  return { sql, params };
}
