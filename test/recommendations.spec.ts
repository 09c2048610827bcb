import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlacardConfig } from '#libs/config';
import {
  RECOMMENDATIONS_SQL,
  REBUILD_TOPIC_SCORES_SQL,
  RecommendationsService,
  type Recommendation,
  reasonPostsOf,
  recommendationsParams,
  topicScoreRows,
  type CampaignEntity,
  type StoredProfileWithReasons,
  type StoredPostEvidence,
  type StoredTopicProfile,
} from '#libs/marketplace';
import { createRandom, matchChannel } from '#libs/topics';
import { freshDatabase, priceRowsOf, type TestDatabase } from './support/database';

const TOPICS = ['crypto', 'finance', 'technology', 'news_politics', 'humor', 'gambling', 'education', 'travel'];
const SAFETY = ['gambling', 'adult'];
const LANGUAGES = ['ru', 'en', 'uk'];
/** At most 100 channels: then the per-topic candidate scan sees every channel, and the exhaustive matcher is the reference. */
const CHANNELS = 90;

/** A profile shaped like ProfilesService's: shares, brand safety and 30 posts of evidence, each with several topics. */
function profile(random: () => number, language: string): { stored: StoredTopicProfile; evidence: StoredPostEvidence[] } {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const shares = new Map<string, number>();
  for (let k = 0; k < 1 + Math.floor(random() * 4); k++) shares.set(pick(TOPICS), random());
  const total = [...shares.values()].reduce((sum, score) => sum + score, 0);
  const topics = [...shares].map(([topic, score]) => ({ topic, score: score / total })).sort((a, b) => b.score - a.score);
  const brandSafety = random() < 0.2 ? [{ category: pick(SAFETY), score: random() * 0.3 }] : [];
  // weights and scores from small sets, so that weight × score ties and the post-id order decides
  const evidence = Array.from({ length: 30 }, () => ({
    postId: randomUUID(),
    weight: pick([1, 0.5, 0.25, 0.8]),
    topics: TOPICS.filter(() => random() < 0.4).map((topic) => ({ topic, score: pick([0.1, 0.2, 0.4, 0.5, 0.9]) })),
    brandSafety: random() < 0.1 ? [{ category: pick(SAFETY), score: 0.6 }] : [],
  }));
  // a clearly unsafe recent post now and then, at the threshold's edge too; every 5th profile as stored before peaks existed
  const brandSafetyPeaks = random() < 0.2 ? undefined : SAFETY.filter(() => random() < 0.3).map((category) => ({ category, score: pick([0.3, 0.49, 0.5, 0.95]) }));
  return { stored: { language, topics, brandSafety, brandSafetyPeaks, postCount: 40, computedAt: new Date().toISOString() }, evidence };
}

describe('recommendations: ranked on topic shares, explained from the evidence of the returned channels only', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: RecommendationsService;
  let advertiserId: string;

  /** What the API sends, parsed: the service writes the response's JSON text. */
  async function recommend(from: RecommendationsService, advertiser: string, campaignId: string): Promise<Recommendation[]> {
    return (JSON.parse(await from.forCampaign(advertiser, campaignId)) as { items: Recommendation[] }).items;
  }

  /** A campaign of the test advertiser, stored as it is (the API also dedupes its topics). */
  async function saveCampaign(targeting: Pick<CampaignEntity, 'topics' | 'excludedTopics' | 'languages'>, owner = advertiserId): Promise<CampaignEntity> {
    const [row] = await db.query(`INSERT INTO campaigns (advertiser_id, name, topics, languages, excluded_topics) VALUES ($1, 'Test', $2, $3, $4) RETURNING id`, [
      owner, targeting.topics, targeting.languages, targeting.excludedTopics,
    ]);
    return { id: row.id, advertiserId: owner, ...targeting } as CampaignEntity;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    db = database.db;
    service = new RecommendationsService(db, { recommendationsCacheSeconds: 0 } as PlacardConfig);
    const [owner] = await db.query(`INSERT INTO accounts (kind, email, name) VALUES ('owner', 'recommendations-owner@example.com', 'Owner') RETURNING id`);
    [{ id: advertiserId }] = await db.query(`INSERT INTO accounts (kind, email, name) VALUES ('advertiser', 'recommendations-advertiser@example.com', 'Advertiser') RETURNING id`);
    const random = createRandom(7);
    for (let i = 0; i < CHANNELS; i++) {
      const language = LANGUAGES[i % LANGUAGES.length];
      const { stored, evidence }: { stored: StoredProfileWithReasons; evidence: StoredPostEvidence[] | null } = profile(random, language);
      // as ProfilesService stores it, except: every 3rd as stored before reasonPosts, every 17th before evidence was kept
      if (i % 3 !== 0 && i % 17 !== 0) stored.reasonPosts = reasonPostsOf(stored, evidence!);
      const [channel] = await db.query(
        `INSERT INTO channels (owner_id, handle, chat_id, username, title, language, subscribers, status, verification_code, topic_profile, topic_evidence, topic_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PLC-TEST', $9, $10, $11) RETURNING id`,
        [
          owner.id, `@rec_${i}`, String(-100500 - i), `rec_${i}`, `Channel ${i}`, language, 1000 * (1 + (i % 7)), i % 11 === 0 ? 'pending' : 'verified',
          JSON.stringify(stored), i % 17 === 0 ? null : JSON.stringify(evidence), stored.topics.map((entry) => entry.topic),
        ],
      );
      await db.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, '1/24', $2, 'USD')`, [channel.id, 1000 + i]);
      // several formats, inserted out of order: the cards list them in format order
      if (i % 2 === 0) await db.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, '7d', $2, 'USD'), ($1, '2/48', $3, 'USD')`, [channel.id, 5000 + i, 1600 + i]);
    }
    await db.query(REBUILD_TOPIC_SCORES_SQL);
  });
  afterAll(async () => database?.close());

  /** What the matcher gives on every verified channel's full stored profile, best first (the result before candidates were narrowed). */
  async function exhaustive(campaign: CampaignEntity) {
    const rows: { id: string; title: string; username: string; language: string; subscribers: number; topic_profile: StoredProfileWithReasons; topic_evidence: StoredPostEvidence[] | null }[] = await db.query(
      `SELECT id, title, username, language, subscribers, topic_profile, topic_evidence FROM channels WHERE status = 'verified' AND (cardinality($1::text[]) = 0 OR language = ANY($1::text[]))`,
      [campaign.languages],
    );
    const ranked = rows
      .map((row) => ({ row, result: matchChannel({ topics: campaign.topics, excludedTopics: campaign.excludedTopics }, { ...row.topic_profile, evidence: row.topic_evidence ?? [] }) }))
      .filter((entry) => entry.result.eligible)
      .sort((a, b) => b.result.score - a.result.score || b.row.subscribers - a.row.subscribers || a.row.id.localeCompare(b.row.id))
      .slice(0, 50);
    const prices = await priceRowsOf(db, ranked.map((entry) => entry.row.id));
    return ranked.map(({ row, result }) => ({
      id: row.id,
      title: row.title,
      username: row.username,
      language: row.language,
      subscribers: row.subscribers,
      topics: row.topic_profile.topics,
      pricing: prices.get(row.id) ?? [],
      score: result.score,
      reasons: result.reasons,
    }));
  }

  const campaigns: [string, Pick<CampaignEntity, 'topics' | 'excludedTopics' | 'languages'>][] = [
    ['one topic', { topics: ['crypto'], excludedTopics: [], languages: [] }],
    ['two topics', { topics: ['crypto', 'finance'], excludedTopics: [], languages: [] }],
    ['two topics, an excluded topic that is also a brand-safety category', { topics: ['finance', 'technology'], excludedTopics: ['gambling'], languages: [] }],
    ['three topics in two languages, two excluded', { topics: ['humor', 'news_politics', 'travel'], excludedTopics: ['education', 'adult'], languages: ['ru', 'uk'] }],
    ['a topic listed twice', { topics: ['technology', 'technology', 'crypto'], excludedTopics: [], languages: ['en'] }],
  ];
  for (const [what, targeting] of campaigns) {
    it(`gives exactly the matcher's ranking, scores and reasons on full profiles: ${what}`, async () => {
      const campaign = await saveCampaign(targeting);
      const expected = await exhaustive(campaign);
      expect(expected.length).toBeGreaterThan(0);
      const actual = await recommend(service, campaign.advertiserId, campaign.id);
      expect(actual).toEqual(expected);
      for (const item of actual) {
        // every score is explained by its reasons: the sum of the listed shares, capped at 1
        const explained = Math.min(1, item.reasons.reduce((sum, reason) => sum + reason.weight, 0));
        expect(Math.abs(item.score - explained)).toBeLessThanOrEqual(0.0005 * item.reasons.length + 1e-9);
      }
    });
  }

  it('leaves out, for a campaign excluding a category, the channels with a clearly unsafe recent post of it, and only those', async () => {
    const campaign = await saveCampaign({ topics: ['finance', 'technology', 'crypto'], excludedTopics: ['gambling'], languages: [] });
    const open = await saveCampaign({ topics: ['finance', 'technology', 'crypto'], excludedTopics: [], languages: [] });
    const peaked: { id: string }[] = await db.query(
      `SELECT id FROM channels WHERE status = 'verified' AND EXISTS (SELECT 1 FROM jsonb_array_elements(topic_profile->'brandSafetyPeaks') e WHERE e->>'category' = 'gambling' AND (e->>'score')::float8 >= 0.5)`,
    );
    const openIds = (await recommend(service, advertiserId, open.id)).map((item) => item.id);
    const shown = peaked.filter((row) => openIds.includes(row.id));
    expect(shown.length, 'channels with a recent gambling post that the open campaign recommends').toBeGreaterThan(0);
    const excluding = await recommend(service, advertiserId, campaign.id);
    const excludingIds = excluding.map((item) => item.id);
    for (const row of shown) expect(excludingIds).not.toContain(row.id);
    // the statement itself leaves them out, not only the matcher after it (which would return fewer than it could)
    const statementIds = (await db.query(RECOMMENDATIONS_SQL, recommendationsParams(advertiserId, campaign.id))).map((row: { id: string }) => row.id);
    for (const row of shown) expect(statementIds).not.toContain(row.id);
    expect(excluding).toEqual(await exhaustive(campaign));
  });

  it('stores per topic the post ids the matcher gives a one-topic campaign', async () => {
    const random = createRandom(11);
    for (let k = 0; k < 20; k++) {
      const { stored, evidence } = profile(random, 'en');
      const byTopic = reasonPostsOf(stored, evidence);
      for (const topic of TOPICS) {
        const [reason] = matchChannel({ topics: [topic], excludedTopics: [] }, { ...stored, evidence }).reasons;
        expect(byTopic[topic] ?? [], topic).toEqual(reason?.postIds ?? []);
      }
    }
    expect(reasonPostsOf(profile(random, 'en').stored, [])).toEqual({});
  });

  it("stores on every score row the channel's state, highest brand-safety score and all its shares", async () => {
    const channels: { id: string; status: string; subscribers: number; language: string; topic_profile: StoredTopicProfile }[] = await db.query(
      `SELECT id, status, subscribers, language, topic_profile FROM channels`,
    );
    const rows: { channel_id: string; topic: string; score: number; channel_verified: boolean; channel_subscribers: number; channel_language: string; brand_safety_max: number; shares: Record<string, number> }[] =
      await db.query(`SELECT * FROM channel_topic_scores`);
    expect(channels.length).toBe(CHANNELS);
    for (const channel of channels) {
      const expected = topicScoreRows(channel.topic_profile);
      const own = rows.filter((row) => row.channel_id === channel.id).sort((a, b) => a.topic.localeCompare(b.topic));
      expect(own.map((row) => [row.topic, row.score])).toEqual(Object.entries(expected.shares).sort((a, b) => a[0].localeCompare(b[0])));
      for (const row of own) {
        expect(row).toMatchObject({ channel_verified: channel.status === 'verified', channel_subscribers: channel.subscribers, channel_language: channel.language });
        expect(row.brand_safety_max).toBe(expected.brandSafetyMax);
        expect(row.shares).toEqual(expected.shares);
      }
    }
  });

  it('follows a channel suspended, verified, moved to another language or grown after its rows were written', async () => {
    const campaign = await saveCampaign({ topics: ['crypto', 'finance'], excludedTopics: [], languages: ['en'] });
    const [first, second] = await recommend(service, campaign.advertiserId, campaign.id);
    const [pending] = await db.query(`SELECT id FROM channels WHERE status = 'pending' AND language = 'en' LIMIT 1`);
    const [russian] = await db.query(`SELECT id FROM channels WHERE status = 'verified' AND language = 'ru' LIMIT 1`);
    const restore = await db.query(`SELECT id, status, language, subscribers FROM channels WHERE id = ANY($1::uuid[])`, [[first.id, second.id, pending.id, russian.id]]);
    try {
      await db.query(`UPDATE channels SET status = 'suspended' WHERE id = $1`, [first.id]);
      await db.query(`UPDATE channels SET subscribers = 9999999 WHERE id = $1`, [second.id]);
      await db.query(`UPDATE channels SET status = 'verified' WHERE id = $1`, [pending.id]);
      await db.query(`UPDATE channels SET language = 'en' WHERE id = $1`, [russian.id]);
      const after = await recommend(service, campaign.advertiserId, campaign.id);
      expect(after).toEqual(await exhaustive(campaign));
      expect(after.map((item) => item.id)).not.toContain(first.id);
      expect(after.find((item) => item.id === second.id)?.subscribers).toBe(9999999);
    } finally {
      for (const row of restore) await db.query(`UPDATE channels SET status = $2, language = $3, subscribers = $4 WHERE id = $1`, [row.id, row.status, row.language, row.subscribers]);
    }
    expect(await recommend(service, campaign.advertiserId, campaign.id)).toEqual(await exhaustive(campaign));
  });

  it('leaves out a channel whose profile was cleared while its score rows remain', async () => {
    const campaign = await saveCampaign({ topics: ['crypto'], excludedTopics: [], languages: [] });
    const [first] = await recommend(service, campaign.advertiserId, campaign.id);
    const [saved] = await db.query(`SELECT topic_profile FROM channels WHERE id = $1`, [first.id]);
    try {
      await db.query(`UPDATE channels SET topic_profile = NULL WHERE id = $1`, [first.id]);
      const items = await recommend(service, campaign.advertiserId, campaign.id);
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((item) => item.id)).not.toContain(first.id);
    } finally {
      await db.query(`UPDATE channels SET topic_profile = $2 WHERE id = $1`, [first.id, saved.topic_profile]);
    }
  });

  it('shows the post ids of the evidence in the reasons', async () => {
    const campaign = await saveCampaign({ topics: ['crypto', 'finance'], excludedTopics: [], languages: [] });
    const items = await recommend(service, campaign.advertiserId, campaign.id);
    expect(items.some((item) => item.reasons.some((reason) => reason.postIds.length === 3))).toBe(true);
    const [row] = await db.query(`SELECT topic_evidence FROM channels WHERE id = $1`, [items[0].id]);
    const postIds = new Set((row.topic_evidence ?? []).map((post: { postId: string }) => post.postId));
    for (const reason of items[0].reasons) for (const postId of reason.postIds) expect(postIds.has(postId)).toBe(true);
  });

  /** Verified English channels with just these topic shares (and no evidence), for the ranking edge cases; deleted by the caller. */
  async function insertShares(prefix: string, channels: { shares: Record<string, number>; subscribers: number }[]): Promise<string[]> {
    const [owner] = await db.query(`SELECT id FROM accounts LIMIT 1`);
    const ids: string[] = [];
    for (const [k, { shares, subscribers }] of channels.entries()) {
      const topics = Object.entries(shares).filter(([, score]) => score > 0).map(([topic, score]) => ({ topic, score }));
      const stored = { language: 'en', topics, brandSafety: [], postCount: 10, computedAt: new Date().toISOString(), reasonPosts: {} };
      const [channel] = await db.query(
        `INSERT INTO channels (owner_id, handle, chat_id, username, title, language, subscribers, status, verification_code, topic_profile, topic_ids)
         VALUES ($1, $2, $3, $2, $2, 'en', $4, 'verified', 'PLC-TEST', $5, $6) RETURNING id`,
        [owner.id, `${prefix}_${k}`, `-1009${prefix.length}${String(k).padStart(5, '0')}`, subscribers, JSON.stringify(stored), topics.map((entry) => entry.topic)],
      );
      ids.push(channel.id);
    }
    await db.query(REBUILD_TOPIC_SCORES_SQL);
    return ids;
  }

  it("cuts at 50 in the matcher's order: rounded score, then audience, then id, near every rounding edge", async () => {
    // shares that differ before rounding and tie after it, a few around half a thousandth and around the
    // minimum score, and only two audiences: the 50 returned are the matcher's 50 only if Postgres
    // orders and cuts on the rounded score as the matcher does, not on the raw sum
    const pairs: [number, number][] = [];
    for (let k = 0; k < 40; k++) pairs.push([0.2 + k * 0.00013, 0.1 - k * 0.00011]);
    for (const edge of [0.3005, 0.30049999, 0.30050001, 0.0495, 0.04949999, 0.0505, 0.0125, 0.999, 0.9995]) pairs.push([edge / 2, edge / 2], [edge, 0]);
    for (let k = 0; k < 12; k++) pairs.push([0.15 + k * 0.0001, 0.15 - k * 0.0001]);
    const ids = await insertShares('edge', pairs.map(([science, art], k) => ({ shares: { science, art }, subscribers: k % 2 === 0 ? 5000 : 7000 })));
    try {
      const campaign = await saveCampaign({ topics: ['science', 'art'], excludedTopics: [], languages: [] });
      const expected = await exhaustive(campaign);
      expect(expected).toHaveLength(50);
      expect(new Set(expected.map((item) => item.score)).size).toBeLessThan(40); // ties after rounding decide the cut
      expect(await recommend(service, campaign.advertiserId, campaign.id)).toEqual(expected);
    } finally {
      await db.query(`DELETE FROM channels WHERE id = ANY($1::uuid[])`, [ids]);
    }
  });

  it("refuses another advertiser's campaign and an unknown one, also once a ranking is remembered; the schema holds a campaign to 10 topics", async () => {
    const cached = new RecommendationsService(db, { recommendationsCacheSeconds: 60 } as PlacardConfig);
    const campaign = await saveCampaign({ topics: ['crypto'], excludedTopics: [], languages: [] });
    const [other] = await db.query(`INSERT INTO accounts (kind, email, name) VALUES ('advertiser', $1, 'Other') RETURNING id`, [`${randomUUID()}@example.com`]);
    expect((await recommend(cached, advertiserId, campaign.id)).length).toBeGreaterThan(0);
    for (const [who, id] of [
      [other.id, campaign.id],
      [advertiserId, randomUUID()],
    ]) {
      await expect(recommend(cached, who, id)).rejects.toMatchObject({ code: 'not_found' });
    }
    const eleven = ['crypto', 'finance', 'technology', 'news_politics', 'humor', 'education', 'travel', 'science', 'art', 'music', 'sports'];
    await expect(saveCampaign({ topics: eleven, excludedTopics: [], languages: [] })).rejects.toThrow(/campaigns_topics_limit/);
    const ten = await saveCampaign({ topics: eleven.slice(1), excludedTopics: [], languages: [] });
    expect(await recommend(service, advertiserId, ten.id)).toEqual(await exhaustive(ten));
  });

  it("sums a channel's shares in the campaign's topic order, as the matcher does, where the order changes the rounding", async () => {
    // three shares whose float sum lands on either side of 0.6005 depending on the order of addition:
    // 60 such channels of one audience compete for the 20 places left after 30 clear leaders
    const random = createRandom(31);
    const bits = new Float64Array(1);
    const steps = new BigInt64Array(bits.buffer);
    const nextDouble = (x: number, n: number): number => {
      bits[0] = x;
      steps[0] += BigInt(n);
      return bits[0];
    };
    const triples: [number, number, number][] = [];
    while (triples.length < 60) {
      const a = 0.1 + random() * 0.2;
      const b = 0.1 + random() * 0.2;
      // c a few doubles either side of 0.6005 - a - b: about one in fifteen rounds differently added backwards
      for (let n = -4; n <= 4; n++) {
        const c = nextDouble(0.6005 - a - b, n);
        if (Math.round((0 + a + b + c) * 1000) !== Math.round((0 + c + b + a) * 1000)) {
          triples.push([a, b, c]);
          break;
        }
      }
    }
    const ids = await insertShares('order', [
      ...Array.from({ length: 30 }, () => ({ shares: { science: 0.4, art: 0.3, music: 0.25 }, subscribers: 9000 })),
      ...triples.map(([science, art, music]) => ({ shares: { science, art, music }, subscribers: 3000 })),
    ]);
    try {
      const campaign = await saveCampaign({ topics: ['science', 'art', 'music'], excludedTopics: [], languages: [] });
      const expected = await exhaustive(campaign);
      expect(expected).toHaveLength(50); // the cut falls among the 60, which round both ways
      expect(new Set(triples.map(([a, b, c]) => Math.round((0 + a + b + c) * 1000)))).toEqual(new Set([600, 601]));
      expect(await recommend(service, campaign.advertiserId, campaign.id)).toEqual(expected);
    } finally {
      await db.query(`DELETE FROM channels WHERE id = ANY($1::uuid[])`, [ids]);
    }
  });
});
