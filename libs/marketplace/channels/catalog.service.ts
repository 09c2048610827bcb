import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '#libs/common';
import { queryPrepared } from '#libs/database';
import type { ChannelPrice } from './channel.entities';

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
  pricing: ChannelPrice[];
}

interface CatalogRow {
  id: string;
  title: string | null;
  username: string | null;
  language: string | null;
  subscribers: number;
  topics: { topic: string; score: number }[] | null;
  pricing: ChannelPrice[];
}

export type Pricing = CatalogItem['pricing'];

/**
 * Verified channels for advertisers, in a stable order (most subscribers first, then id),
 * keyset-paginated. With a topic, the page is read in that order from channel_catalog_topics'
 * (topic, subscribers, channel_id) index; without one, from channels_catalog. Prices come with the
 * page, from the channel's copy of its price rows (`channels.pricing`).
 */
@Injectable()
export class CatalogService {
  constructor(private readonly dataSource: DataSource) {}

  async search(query: CatalogQuery): Promise<{ items: CatalogItem[]; nextCursor: string | null }> {
    const { sql, params, limit } = catalogQuery(query);
    const rows = await queryPrepared<CatalogRow>(this.dataSource, sql, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCatalogItem),
      nextCursor: rows.length > limit && last ? encodeCursor([last.subscribers, last.id]) : null,
    };
  }
}

/**
 * The page query (exported so the benchmark runs exactly this SQL). It runs prepared: one text per
 * combination of filters and page size. The LIMIT is written into the text so that the generic plan
 * is priced for the page it reads; even so, Postgres keeps planning a search by a popular topic anew
 * (the bench's plans line), and preparing saves only the parsing.
 */
export function catalogQuery(query: CatalogQuery): { sql: string; params: unknown[]; limit: number } {
  const limit = Number.isInteger(query.limit) ? Math.min(100, Math.max(1, query.limit!)) : 20; // written into the text
  const where: string[] = [`c.status = 'verified'`];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // the order key: the topic table's copy of (subscribers, id) when filtering by topic, so its index gives the order
  const [from, subscribers, id] = query.topic
    ? [`channel_catalog_topics t JOIN channels c ON c.id = t.channel_id`, 't.subscribers', 't.channel_id']
    : ['channels c', 'c.subscribers', 'c.id'];
  if (query.topic) where.push(`t.topic = ${param(query.topic)}`);
  if (query.language) where.push(`c.language = ${param(query.language)}`);
  if (query.minSubscribers !== undefined) where.push(`${subscribers} >= ${param(query.minSubscribers)}`);
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
  const after = decodeCursor(query.cursor, ['number', 'uuid']);
  if (after) where.push(`(${subscribers}, ${id}) < (${param(Number(after[0]))}, ${param(String(after[1]))}::uuid)`);
  const sql = `SELECT c.id, c.title, c.username, c.language, c.subscribers, c.topic_profile->'topics' AS topics, c.pricing
       FROM ${from}
      WHERE ${where.join(' AND ')}
      ORDER BY ${subscribers} DESC, ${id} DESC
      LIMIT ${limit + 1}`;
  return { sql, params, limit };
}

function toCatalogItem(row: CatalogRow): CatalogItem {
  return {
    id: row.id,
    title: row.title,
    username: row.username,
    language: row.language,
    subscribers: row.subscribers,
    topics: row.topics ?? [],
    pricing: row.pricing,
  };
}
