import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '#libs/common';
import { StoredTopicProfile } from './channel.entities';

export interface CatalogQuery {
  topic?: string;
  language?: string;
  minSubscribers?: number;
  maxPriceMinor?: number;
  format?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface CatalogItem {
  id: string;
  title: string | null;
  username: string | null;
  language: string | null;
  subscribers: number;
  topics: { topic: string; score: number }[];
  pricing: { format: string; priceMinor: number; currency: string }[];
}

interface CatalogRow {
  id: string;
  title: string | null;
  username: string | null;
  language: string | null;
  subscribers: number;
  topic_profile: StoredTopicProfile | null;
  pricing: { format: string; priceMinor: number; currency: string }[];
}

/** Verified channels for advertisers, in a stable order (most subscribers first, then id), keyset-paginated. */
@Injectable()
export class CatalogService {
  constructor(private readonly dataSource: DataSource) {}

  async search(query: CatalogQuery): Promise<{ items: CatalogItem[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const where: string[] = [`c.status = 'verified'`];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.topic) where.push(`c.topic_ids @> ARRAY[${param(query.topic)}]::text[]`);
    if (query.language) where.push(`c.language = ${param(query.language)}`);
    if (query.minSubscribers !== undefined) where.push(`c.subscribers >= ${param(query.minSubscribers)}`);
    if (query.q) {
      const pattern = param(`%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
      where.push(`(c.title ILIKE ${pattern} OR c.username ILIKE ${pattern})`);
    }
    if (query.format !== undefined || query.maxPriceMinor !== undefined) {
      const conditions = ['p.channel_id = c.id'];
      if (query.format !== undefined) conditions.push(`p.format = ${param(query.format)}`);
      if (query.maxPriceMinor !== undefined) conditions.push(`p.price_minor <= ${param(query.maxPriceMinor)}`);
      where.push(`EXISTS (SELECT 1 FROM channel_prices p WHERE ${conditions.join(' AND ')})`);
    }
    const after = decodeCursor(query.cursor, 2);
    if (after) where.push(`(c.subscribers, c.id) < (${param(Number(after[0]))}, ${param(String(after[1]))}::uuid)`);

    const rows: CatalogRow[] = await this.dataSource.query(
      `SELECT c.id, c.title, c.username, c.language, c.subscribers, c.topic_profile,
              COALESCE((SELECT json_agg(json_build_object('format', p.format, 'priceMinor', p.price_minor, 'currency', p.currency) ORDER BY p.format)
                          FROM channel_prices p WHERE p.channel_id = c.id), '[]') AS pricing
         FROM channels c
        WHERE ${where.join(' AND ')}
        ORDER BY c.subscribers DESC, c.id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCatalogItem),
      nextCursor: rows.length > limit && last ? encodeCursor([last.subscribers, last.id]) : null,
    };
  }
}

export function toCatalogItem(row: CatalogRow): CatalogItem {
  return {
    id: row.id,
    title: row.title,
    username: row.username,
    language: row.language,
    subscribers: row.subscribers,
    topics: row.topic_profile?.topics ?? [],
    pricing: row.pricing.map((price) => ({ ...price, priceMinor: Number(price.priceMinor) })),
  };
}
