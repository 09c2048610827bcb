import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { matchChannel } from '#libs/topics';
import { CampaignEntity } from '../campaigns/campaign.entities';
import { CatalogItem, toCatalogItem } from '../channels/catalog.service';
import { StoredTopicProfile } from '../channels/channel.entities';
import { TopicEngine } from './topic-engine';

export interface Recommendation extends CatalogItem {
  score: number;
  reasons: { topic: string; weight: number; postIds: string[] }[];
}

const CANDIDATES = 500;
const RESULTS = 50;

/**
 * Ranks verified channels for a campaign by the pure matcher. Candidates come from the indexed
 * topic column (channels with any wanted topic, in the wanted languages); excluded and brand-unsafe
 * channels are dropped by the matcher, so they never appear.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: TopicEngine,
  ) {}

  async forCampaign(campaign: CampaignEntity): Promise<Recommendation[]> {
    const params: unknown[] = [campaign.topics, CANDIDATES];
    let languageFilter = '';
    if (campaign.languages.length > 0) {
      params.push(campaign.languages);
      languageFilter = `AND c.language = ANY($3::text[])`;
    }
    const rows: (Parameters<typeof toCatalogItem>[0] & { topic_profile: StoredTopicProfile | null })[] = await this.dataSource.query(
      `SELECT c.id, c.title, c.username, c.language, c.subscribers, c.topic_profile,
              COALESCE((SELECT json_agg(json_build_object('format', p.format, 'priceMinor', p.price_minor, 'currency', p.currency) ORDER BY p.format)
                          FROM channel_prices p WHERE p.channel_id = c.id), '[]') AS pricing
         FROM channels c
        WHERE c.status = 'verified' AND c.topic_ids && $1::text[] ${languageFilter}
        ORDER BY c.subscribers DESC, c.id
        LIMIT $2`,
      params,
    );
    const ranked: Recommendation[] = [];
    for (const row of rows) {
      const stored = row.topic_profile;
      if (!stored) continue;
      const result = matchChannel(
        { topics: campaign.topics, excludedTopics: campaign.excludedTopics },
        { language: stored.language, topics: stored.topics, brandSafety: stored.brandSafety, postCount: stored.postCount, evidence: stored.evidence ?? [] },
      );
      if (!result.eligible) continue;
      ranked.push({ ...toCatalogItem(row), score: result.score, reasons: result.reasons });
    }
    return ranked.sort((a, b) => b.score - a.score || b.subscribers - a.subscribers || a.id.localeCompare(b.id)).slice(0, RESULTS);
  }
}
