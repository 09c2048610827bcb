import type { Client } from 'pg';
import { expectStatus, json, pool } from './common';

export interface Advertiser {
  id: string;
  apiKey: string;
  campaignId: string;
  creativeId: string;
}

/** Advertisers through the real API: sign-up, sandbox top-up, a campaign with one creative. */
export async function seedAdvertisers(apiUrl: string, count: number, topUpMinor: number, topics: string[] = ['crypto']): Promise<Advertiser[]> {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const signed = await expectStatus('sign-up', json(`${apiUrl}/v1/accounts`, { body: { email: `bench-adv-${i}-${Date.now()}@example.com`, name: `Bench Advertiser ${i}` } }), 201);
      const headers = { authorization: `Bearer ${signed.apiKey}` };
      await expectStatus('top-up', json(`${apiUrl}/v1/balance/top-ups`, { headers, body: { amountMinor: topUpMinor, currency: 'USD' } }), 201);
      const campaign = await expectStatus(
        'campaign',
        json(`${apiUrl}/v1/campaigns`, { headers, body: { name: `Bench ${i}`, topics, languages: [], excludedTopics: [] } }),
        201,
      );
      const creative = await expectStatus(
        'creative',
        json(`${apiUrl}/v1/campaigns/${campaign.id}/creatives`, {
          headers,
          body: { text: 'Try the Acme wallet: self-custody, zero fees.', buttons: [{ text: 'Open', url: 'https://example.com/wallet' }] },
        }),
        201,
      );
      return { id: signed.account.id, apiKey: signed.apiKey, campaignId: campaign.id, creativeId: creative.id };
    },
  );
}

/** Owner accounts written directly (they only need to exist for the channels' foreign key). */
export async function seedOwners(db: Client, count: number): Promise<string[]> {
  const { rows } = await db.query(
    `INSERT INTO accounts (kind, email, name)
     SELECT 'owner', 'bench-owner-' || g || '@example.com', 'Bench Owner ' || g FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  return rows.map((row: { id: string }) => row.id);
}

export interface ChannelSeed {
  ownerId: string;
  chatId: string;
  username: string;
  title: string;
  language: string | null;
  subscribers: number;
  topicProfile: unknown | null;
  topicIds: string[];
  /** price per format in USD minor units */
  prices: Record<string, number>;
}

/** Verified channels and their prices in multi-row INSERTs of `batch` rows (unnest of arrays). */
export async function insertChannels(db: Client, channels: ChannelSeed[], batch = 5000): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < channels.length; start += batch) {
    const slice = channels.slice(start, start + batch);
    const { rows } = await db.query(
      `INSERT INTO channels (owner_id, handle, chat_id, username, title, language, subscribers, status, verification_code, verified_at, last_checked_at, topic_profile, topic_ids)
       SELECT o, '@' || u, c, u, t, l, s, 'verified', 'PLC-BENCH', now(), now(), p, string_to_array(ti, ',')
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::text[]) AS x(o, c, u, t, l, s, p, ti)
       RETURNING id, chat_id`,
      [
        slice.map((c) => c.ownerId),
        slice.map((c) => c.chatId),
        slice.map((c) => c.username),
        slice.map((c) => c.title),
        slice.map((c) => c.language),
        slice.map((c) => c.subscribers),
        slice.map((c) => (c.topicProfile === null ? null : JSON.stringify(c.topicProfile))),
        slice.map((c) => c.topicIds.join(',')),
      ],
    );
    const byChat = new Map(rows.map((row: { id: string; chat_id: string }) => [row.chat_id, row.id]));
    const sliceIds = slice.map((channel) => byChat.get(channel.chatId) as string);
    ids.push(...sliceIds);
    const priceChannel: string[] = [];
    const priceFormat: string[] = [];
    const priceMinor: number[] = [];
    slice.forEach((channel, i) => {
      for (const [format, minor] of Object.entries(channel.prices)) {
        priceChannel.push(sliceIds[i]);
        priceFormat.push(format);
        priceMinor.push(minor);
      }
    });
    await db.query(
      `INSERT INTO channel_prices (channel_id, format, price_minor, currency) SELECT * , 'USD' FROM unnest($1::uuid[], $2::text[], $3::bigint[])`,
      [priceChannel, priceFormat, priceMinor],
    );
  }
  return ids;
}
