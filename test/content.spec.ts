import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  advertiserApi,
  balanceOf,
  book,
  campaignWithCreative,
  channelApi,
  eventually,
  onboardChannel,
  placementOf,
  signUp,
  topUp,
  waitForStatus,
  type OnboardedChannel,
  type Party,
} from './support/factories';
import { topicScoreRows } from '#libs/marketplace';
import { matchChannel } from '#libs/topics';
import { expectLedgerConsistent } from './support/ledger-invariants';
import type { EntityManager } from 'typeorm';
import { priceRowsOf, secondWaitsForFirst, tablesContaining } from './support/database';
import { startStack, type Stack } from './support/stack';

const RU_CRYPTO = [
  'Биткоин снова выше 70 000 $: разбираем, что двигает рынок криптовалют на этой неделе #BTC #крипто',
  'Курс биткоина и эфира сегодня: BTC торгуется у 68 000 $, ETH у 3 500 $ #крипто',
  'Стейкинг USDT и DeFi-протоколы: где доходность выше и какие риски у смарт-контрактов',
  'Bitcoin halving: что будет с майнерами и ценой BTC после уменьшения награды за блок #крипто',
];
const IT_COOKING = [
  'Ricetta della carbonara autentica: guanciale, pecorino, uova e pepe nero. Niente panna!',
  'Oggi prepariamo il tiramisù della nonna con mascarpone e savoiardi 🍰',
  'Risotto ai funghi porcini: il segreto è tostare bene il riso e aggiungere il brodo poco alla volta',
  'Lasagne al forno con ragù bolognese e besciamella fatta in casa',
];
const RU_GAMBLING = [
  'Онлайн-казино с моментальным выводом: 300 фриспинов и бонус 150% на первый депозит 🎰',
  'Казино дарит бонус 200% на депозит и 100 фриспинов в слотах, только сегодня 🎰',
  'Казино дарит 500 фриспинов за регистрацию! Ставки на спорт с бонусом 200% 🎰',
  'Free spins every day at our online casino: deposit bonus 200% and fast payouts 🎰',
];
const SIGNATURE = 'Ivan Petrovich Sidorov';

describe('channel content: ingest without people, profiles, catalog, recommendations, context checks', () => {
  let stack: Stack;
  let owner: Party;
  let advertiser: Party;
  const logFile = join(tmpdir(), `placard-content-${process.pid}.log`);

  beforeAll(async () => {
    rmSync(logFile, { force: true });
    stack = await startStack({ timeScale: 0.001, env: { LOG_FILE: logFile, LOG_LEVEL: 'trace' } });
    owner = await signUp(stack, 'owner');
    advertiser = await signUp(stack, 'advertiser');
    await topUp(stack, advertiser, 1_000_000);
  });
  afterEach(async () => expectLedgerConsistent(stack));
  afterAll(async () => {
    await stack?.close();
    rmSync(logFile, { force: true });
  });

  async function channelWithPosts(texts: string[], options: { title: string; subscribers?: number; signatures?: boolean }): Promise<OnboardedChannel> {
    const channel = await onboardChannel(stack, owner, { title: options.title, subscribers: options.subscribers, signatures: options.signatures });
    for (const text of texts) stack.sandbox.telegram.postAsAdmin(channel.chatId, channel.ownerUserId, { text, signature: SIGNATURE });
    await eventually(async () => {
      const rows = await stack.db.query(`SELECT topic_profile FROM channels WHERE id = $1 AND (topic_profile->>'postCount')::int >= $2`, [channel.id, texts.length]);
      return rows[0]?.topic_profile;
    }, 20_000, `the profile of ${options.title}`);
    return channel;
  }

  it('stores channel posts as content only: an author signature leaves no trace in any table or log line', async () => {
    const channel = await channelWithPosts(RU_CRYPTO.slice(0, 2), { title: 'Signed channel', signatures: true });
    const stored = await stack.db.query(`SELECT * FROM channel_posts WHERE channel_id = $1 ORDER BY message_id`, [channel.id]);
    expect(stored.map((row: { text: string }) => row.text)).toEqual(RU_CRYPTO.slice(0, 2));
    // the sandbox did sign the posts: the signature really was in the updates
    expect(JSON.stringify(stack.sandbox.telegram.listMessages(channel.chatId))).toContain(SIGNATURE);

    expect(await tablesContaining(stack.db, 'Sidorov')).toEqual([]);
    const logs = readFileSync(logFile, 'utf8');
    expect(logs.length).toBeGreaterThan(1000); // trace logging really was on
    expect(logs).not.toContain('Sidorov');
    expect(logs).not.toContain(stack.sandbox.platform.botToken);
    expect(logs).not.toContain(advertiser.apiKey);
  });

  it('builds topic profiles from posts, shows them in the catalog and filters by topic', async () => {
    const crypto = await channelWithPosts(RU_CRYPTO, { title: 'Крипто Дайджест', subscribers: 50_000 });
    const cooking = await channelWithPosts(IT_COOKING, { title: 'Cucina di casa', subscribers: 30_000 });
    const filtered = await advertiserApi(stack).get('/v1/channels?topic=crypto&limit=100').set(advertiser.auth);
    const ids = filtered.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(crypto.id);
    expect(ids).not.toContain(cooking.id);
    const item = filtered.body.items.find((entry: { id: string }) => entry.id === crypto.id);
    expect(item.topics[0].topic).toBe('crypto');
    expect(item.language).toBe('ru');
    const italian = await advertiserApi(stack).get('/v1/channels?language=it&limit=100').set(advertiser.auth);
    expect(italian.body.items.map((entry: { id: string }) => entry.id)).toContain(cooking.id);

    // profiles follow new posts
    for (const text of RU_GAMBLING) stack.sandbox.telegram.postAsAdmin(cooking.chatId, cooking.ownerUserId, { text });
    const updated = await eventually(async () => {
      const rows = await stack.db.query(`SELECT topic_profile FROM channels WHERE id = $1 AND (topic_profile->>'postCount')::int = 8`, [cooking.id]);
      return rows[0]?.topic_profile;
    }, 20_000, 'the updated profile');
    const gambling = updated.brandSafety.find((entry: { category: string }) => entry.category === 'gambling');
    expect(gambling.score).toBeGreaterThan(0.2);
  });

  it('paginates the catalog in a stable order with filters', async () => {
    for (let i = 0; i < 5; i++) await onboardChannel(stack, owner, { subscribers: 1_000 + i, priceMinor: 1_000 * (i + 1) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; subscribers: number }[]; nextCursor: string | null } } = await advertiserApi(stack)
        .get(`/v1/channels?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(advertiser.auth);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await advertiserApi(stack).get('/v1/channels?limit=100').set(advertiser.auth);
    expect(seen).toEqual(all.body.items.map((item: { id: string }) => item.id));
    expect(new Set(seen).size).toBe(seen.length);
    const subscribers = all.body.items.map((item: { subscribers: number }) => item.subscribers);
    expect([...subscribers].sort((a, b) => b - a)).toEqual(subscribers);
    const cheap = await advertiserApi(stack).get('/v1/channels?maxPriceMinor=2000&format=1/24&minSubscribers=1000&limit=100').set(advertiser.auth);
    for (const entry of cheap.body.items) {
      expect(entry.subscribers).toBeGreaterThanOrEqual(1000);
      expect(entry.pricing.find((price: { format: string }) => price.format === '1/24').priceMinor).toBeLessThanOrEqual(2000);
    }
    const bad = await advertiserApi(stack).get('/v1/channels?cursor=garbage').set(advertiser.auth);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    const encoded = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");
    for (const [path, values] of [
      ['/v1/channels', [1, 'x']],
      ['/v1/channels', [null, null]],
      ['/v1/placements', ['nope', 'x']],
      ['/v1/placements', [null, null]],
    ] as [string, unknown[]][]) {
      const wrong = await advertiserApi(stack).get(`${path}?cursor=${encoded(values)}`).set(advertiser.auth);
      expect([wrong.status, wrong.body.error.code], `${path} ${JSON.stringify(values)}`).toEqual([400, 'validation_failed']);
    }
  });

  it("shows each channel's prices as its owner last set them, whoever writes the price rows", async () => {
    const first = await onboardChannel(stack, owner, { priceMinor: 4_000 });
    const second = await onboardChannel(stack, owner, { priceMinor: 6_000 });
    const card = async (id: string) => {
      const username = (await stack.db.query(`SELECT username FROM channels WHERE id = $1`, [id]))[0].username;
      const page = await advertiserApi(stack).get(`/v1/channels?q=${username}`).set(advertiser.auth);
      expect(page.status).toBe(200);
      return page.body.items.find((item: { id: string }) => item.id === id);
    };
    /** the price rows themselves, formats in order: what every card must show */
    const rows = async (id: string) => (await priceRowsOf(stack.db, [id])).get(id) ?? [];
    expect((await card(first.id)).pricing).toEqual(['1/24', '2/48', '3/72', '7d'].map((format) => ({ format, priceMinor: 4_000, currency: 'USD' })));

    // through the API: fewer formats, new prices, then none
    const put = (formats: unknown[]) => channelApi(stack).put(`/v1/channels/${first.id}/pricing`).set(owner.auth).send({ formats });
    expect((await put([{ format: '7d', priceMinor: 9_900, currency: 'EUR' }, { format: '1/24', priceMinor: 2_500, currency: 'EUR' }])).status).toBe(200);
    expect((await card(first.id)).pricing).toEqual([
      { format: '1/24', priceMinor: 2_500, currency: 'EUR' },
      { format: '7d', priceMinor: 9_900, currency: 'EUR' },
    ]);
    expect((await put([])).status).toBe(200);
    expect((await card(first.id)).pricing).toEqual([]);

    // in SQL: statements over one channel and over two, a price moved between them, deletions
    await stack.db.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, '3/72', 700, 'USD'), ($1, '1/24', 300, 'USD')`, [first.id]);
    await stack.db.query(`DELETE FROM channel_prices WHERE channel_id = $1 AND format IN ('3/72', '7d')`, [second.id]);
    await stack.db.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, '2/48', 500, 'USD'), ($2, '7d', 9000, 'USD')`, [first.id, second.id]);
    await stack.db.query(`UPDATE channel_prices SET channel_id = $2, price_minor = 800 WHERE channel_id = $1 AND format = '3/72'`, [first.id, second.id]);
    await stack.db.query(`UPDATE channel_prices SET price_minor = price_minor + 1 WHERE channel_id = ANY($1::uuid[]) AND format = '1/24'`, [[first.id, second.id]]);
    // two transactions writing different prices of one channel: the second's copy waits for the first
    const insert = (format: string, priceMinor: number) => (tx: EntityManager) =>
      tx.query(`INSERT INTO channel_prices (channel_id, format, price_minor, currency) VALUES ($1, $2, $3, 'USD')`, [first.id, format, priceMinor]);
    await secondWaitsForFirst(stack.db, insert('7d', 4200), insert('3/72', 4100));
    expect((await card(first.id)).pricing.map((price: { format: string }) => price.format)).toEqual(['1/24', '2/48', '3/72', '7d']);
    await stack.db.query(`DELETE FROM channel_prices WHERE channel_id = $1 AND format IN ('3/72', '7d')`, [first.id]);
    for (const id of [first.id, second.id]) expect((await card(id)).pricing, id).toEqual(await rows(id));
    expect((await card(first.id)).pricing).toEqual([
      { format: '1/24', priceMinor: 301, currency: 'USD' },
      { format: '2/48', priceMinor: 500, currency: 'USD' },
    ]);
    expect((await card(second.id)).pricing.map((price: { format: string; priceMinor: number }) => [price.format, price.priceMinor])).toEqual([
      ['1/24', 6_001],
      ['2/48', 6_000],
      ['3/72', 800],
      ['7d', 9_000],
    ]);
  });

  it('recommends a Russian crypto channel for an English crypto campaign, explains it, and never shows excluded topics', async () => {
    const crypto = await channelWithPosts(RU_CRYPTO, { title: 'Крипто Новости', subscribers: 20_000 });
    const cooking = await channelWithPosts(IT_COOKING, { title: 'La cucina', subscribers: 90_000 });
    const mixed = await channelWithPosts([...RU_CRYPTO.slice(0, 2), ...RU_GAMBLING.slice(0, 2)], { title: 'Crypto & casino', subscribers: 80_000 });
    // one casino ad among many crypto posts: a small share, but a clearly unsafe recent post
    const oneAd = await channelWithPosts([...RU_CRYPTO, ...RU_CRYPTO.map((text) => `${text} 🔁`), ...RU_CRYPTO.map((text) => `${text} ✅`), RU_GAMBLING[0]!], { title: 'Crypto with one casino ad', subscribers: 70_000 });
    const campaign = await advertiserApi(stack)
      .post('/v1/campaigns')
      .set(advertiser.auth)
      .send({ name: 'Wallet (EN)', topics: ['crypto'], languages: [], excludedTopics: ['gambling'] });
    const ranked = await advertiserApi(stack).get(`/v1/campaigns/${campaign.body.id}/recommendations`).set(advertiser.auth);
    expect(ranked.status).toBe(200);
    expect(ranked.headers['content-type']).toBe('application/json; charset=utf-8');
    // only the campaign's advertiser gets its recommendations, also while they are remembered
    const stranger = await signUp(stack, 'advertiser');
    for (const [auth, id] of [
      [stranger.auth, campaign.body.id],
      [advertiser.auth, '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const refused = await advertiserApi(stack).get(`/v1/campaigns/${id}/recommendations`).set(auth);
      expect([refused.status, refused.body.error?.code]).toEqual([404, 'not_found']);
    }
    const malformed = await advertiserApi(stack).get(`/v1/campaigns/not-a-uuid/recommendations`).set(advertiser.auth);
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'validation_failed']);
    const ids = ranked.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(crypto.id);
    expect(ids).not.toContain(mixed.id);
    expect(ids).not.toContain(oneAd.id);
    const open = await advertiserApi(stack).post('/v1/campaigns').set(advertiser.auth).send({ name: 'Wallet (any content)', topics: ['crypto'], languages: [], excludedTopics: [] });
    const openIds = (await advertiserApi(stack).get(`/v1/campaigns/${open.body.id}/recommendations`).set(advertiser.auth)).body.items.map((item: { id: string }) => item.id);
    expect(openIds).toContain(oneAd.id);
    const cookingRank = ids.indexOf(cooking.id);
    expect(cookingRank === -1 || cookingRank > ids.indexOf(crypto.id)).toBe(true);
    for (const item of ranked.body.items) {
      expect(item.score).toBeGreaterThan(0);
      expect(item.score).toBeLessThanOrEqual(1);
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(item.reasons[0]).toMatchObject({ topic: 'crypto', weight: expect.any(Number), postIds: expect.any(Array) });
    }
    const top = ranked.body.items.find((item: { id: string }) => item.id === crypto.id);
    expect(top.reasons[0].postIds.length).toBeGreaterThan(0);
    const posts = await stack.db.query(`SELECT id FROM channel_posts WHERE channel_id = $1`, [crypto.id]);
    for (const postId of top.reasons[0].postIds) expect(posts.map((post: { id: string }) => post.id)).toContain(postId);
    // the reasons read from the profile's stored reasonPosts are the matcher's on its full evidence
    const [{ topic_profile: stored, topic_evidence: evidence }] = await stack.db.query(`SELECT topic_profile, topic_evidence FROM channels WHERE id = $1`, [crypto.id]);
    expect(stored.reasonPosts).toEqual(expect.any(Object));
    expect(stored.evidence).toBeUndefined(); // kept apart, in topic_evidence
    expect(evidence.length).toBeGreaterThan(0);
    const full = matchChannel({ topics: ['crypto'], excludedTopics: ['gambling'] }, { ...stored, evidence });
    expect({ score: top.score, reasons: top.reasons }).toEqual({ score: full.score, reasons: full.reasons });
    // the rows recommendations rank on are the stored profile's, with the channel's state
    const expected = topicScoreRows(stored);
    const rows = await stack.db.query(
      `SELECT s.topic, s.score, s.channel_verified, s.channel_subscribers, s.channel_language, s.brand_safety_max, s.shares, c.subscribers
         FROM channel_topic_scores s JOIN channels c ON c.id = s.channel_id WHERE s.channel_id = $1`,
      [crypto.id],
    );
    expect(rows.map((row: { topic: string }) => row.topic).sort()).toEqual(Object.keys(expected.shares).sort());
    for (const row of rows) {
      expect(row.score).toBe(expected.shares[row.topic]);
      expect(row).toMatchObject({ channel_verified: true, channel_subscribers: row.subscribers, channel_language: stored.language, brand_safety_max: expected.brandSafetyMax, shares: expected.shares });
    }
  });

  it('recomputes profiles stored before they kept brand-safety peaks, and those whose blocking peak is over a day old', async () => {
    const channel = await channelWithPosts([...RU_CRYPTO, RU_GAMBLING[0]!], { title: 'Stored long ago' });
    await stack.db.query(`UPDATE channels SET topic_profile = topic_profile - 'brandSafetyPeaks' WHERE id = $1`, [channel.id]);
    const peaks = await eventually(async () => {
      const [row] = await stack.db.query(`SELECT topic_profile->'brandSafetyPeaks' AS peaks FROM channels WHERE id = $1`, [channel.id]);
      return row.peaks ?? undefined;
    }, 20_000, 'the backfilled profile');
    expect(peaks.find((entry: { category: string }) => entry.category === 'gambling').score).toBeGreaterThan(0.5);
    const rows = await stack.db.query(`SELECT topic FROM channel_topic_scores WHERE channel_id = $1 AND topic = 'unsafe:gambling'`, [channel.id]);
    expect(rows).toHaveLength(1);

    // a blocking peak computed more than a day ago (scaled) is computed again: it fades with its post's age
    const longAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await stack.db.query(`UPDATE channels SET topic_profile = jsonb_set(topic_profile, '{computedAt}', to_jsonb($2::text)) WHERE id = $1`, [channel.id, longAgo]);
    await eventually(async () => {
      const [row] = await stack.db.query(`SELECT topic_profile->>'computedAt' AS at FROM channels WHERE id = $1`, [channel.id]);
      return row.at !== longAgo ? row.at : undefined;
    }, 20_000, 'the peaked profile computed again');
  });

  it('explains a recommendation with posts even when the topic lives in posts older than the stored evidence', async () => {
    // 8 crypto posts, then 30 cooking ones: the stored evidence keeps the 30 newest, all cooking
    const cookingPosts = Array.from({ length: 30 }, (_, i) => `${IT_COOKING[i % IT_COOKING.length]} (${i + 1})`);
    const channel = await channelWithPosts([...RU_CRYPTO, ...RU_CRYPTO.map((text) => `${text} 🔁`), ...cookingPosts], { title: 'Cucina e cripto', subscribers: 5_000_000 });
    // Telegram dates are whole seconds, so make the crypto posts a day older, then let one more post recompute the profile
    await stack.db.query(`UPDATE channel_posts SET posted_at = posted_at - interval '1 day' WHERE channel_id = $1 AND text NOT LIKE '%(%'`, [channel.id]);
    stack.sandbox.telegram.postAsAdmin(channel.chatId, channel.ownerUserId, { text: `${IT_COOKING[0]} (31)` });
    const evidence = await eventually(async () => {
      const rows = await stack.db.query(`SELECT topic_evidence FROM channels WHERE id = $1 AND (topic_profile->>'postCount')::int >= 39`, [channel.id]);
      return rows[0]?.topic_evidence;
    }, 20_000, 'the recomputed profile');
    const cryptoPosts: { id: string }[] = await stack.db.query(`SELECT id FROM channel_posts WHERE channel_id = $1 AND text NOT LIKE '%(%'`, [channel.id]);
    expect(cryptoPosts).toHaveLength(8);
    expect(evidence.some((post: { postId: string }) => cryptoPosts.some((crypto) => crypto.id === post.postId))).toBe(false);
    const campaign = await advertiserApi(stack).post('/v1/campaigns').set(advertiser.auth).send({ name: 'Wallet (old posts)', topics: ['crypto'], languages: [], excludedTopics: [] });
    const ranked = await advertiserApi(stack).get(`/v1/campaigns/${campaign.body.id}/recommendations`).set(advertiser.auth);
    const item = ranked.body.items.find((entry: { id: string }) => entry.id === channel.id);
    expect(item, 'the channel is recommended').toBeDefined();
    expect(item.reasons[0]).toMatchObject({ topic: 'crypto', weight: item.score });
    expect(item.reasons[0].postIds.length).toBeGreaterThan(0);
    for (const postId of item.reasons[0].postIds) expect(cryptoPosts.map((post) => post.id)).toContain(postId);
  });

  it('fails a crypto placement whose channel pivoted to gambling around the ad, and refunds; emoji and a bare link around it fail none', async () => {
    const pivoted = await channelWithPosts(RU_CRYPTO, { title: 'Crypto turned casino' });
    const steady = await channelWithPosts(RU_CRYPTO, { title: 'Crypto with emoji' });
    const { creativeId } = await campaignWithCreative(stack, advertiser, { topics: ['crypto'] });
    const before = await balanceOf(stack, advertiser);
    const [toFail, toPass] = await Promise.all([book(stack, advertiser, pivoted.id, creativeId, 4000), book(stack, advertiser, steady.id, creativeId, 4000)]);
    for (const placement of [toFail, toPass]) await channelApi(stack).post(`/v1/offers/${placement.body.id}/accept`).set(owner.auth);
    for (const text of RU_GAMBLING) stack.sandbox.telegram.postAsAdmin(pivoted.chatId, pivoted.ownerUserId, { text });
    for (const text of ['🔥🔥🔥', 'https://www.binance.com/en/futures/BTCUSDT', '👍']) stack.sandbox.telegram.postAsAdmin(steady.chatId, steady.ownerUserId, { text });
    const failed = await waitForStatus(stack, advertiser, toFail.body.id, ['failed', 'completed'], 30_000);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/context_mismatch/);
    const failedCheck = failed.delivery.checks.find((check: { kind: string }) => check.kind === 'context');
    expect(failedCheck).toMatchObject({ passed: false, data: { threshold: 0.2, judged: 'surrounding_posts', reasons: [{ topic: 'crypto', weight: expect.any(Number), postIds: expect.any(Array) }] } });
    expect(failedCheck.detail).toMatch(/gambling/);
    expect(failedCheck.detail).toMatch(/booked topics crypto make up [\d.]+ of the surrounding posts \(threshold 0.2/);
    expect(failedCheck.data.score).toBeLessThan(0.2);
    expect((await balanceOf(stack, advertiser)).availableMinor).toBe(before.availableMinor - toPass.body.priceMinor); // the other is still in escrow

    // the steady channel's checks claim no verdict on topics, and it stays published (its 1/24 runs 86 s here)
    const steadyCheck = await eventually(async () => {
      const placement = await placementOf(stack, advertiser, toPass.body.id);
      expect(placement.status).not.toBe('failed');
      return placement.delivery?.checks.find((check: { kind: string }) => check.kind === 'context');
    }, 30_000, 'a context check of the steady channel');
    expect(steadyCheck).toMatchObject({ passed: null, verdict: 'not_checked', data: { judged: 'brand_safety_only', threshold: 0.2 } });
    expect(steadyCheck.detail).toMatch(/topics not judged: the \d surrounding post\(s\) say too little about topics/);
    expect((await placementOf(stack, advertiser, toPass.body.id)).status).toBe('published');
  });
});

describe('Telegram updates by webhook (TELEGRAM_UPDATES=webhook)', () => {
  let stack: Stack;
  let owner: Party;
  const secret = 'webhook-secret-for-tests_123';

  beforeAll(async () => {
    stack = await startStack({ timeScale: 0.001, env: { TELEGRAM_UPDATES: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret } });
    owner = await signUp(stack, 'owner');
  });
  afterAll(async () => stack?.close());

  it('receives channel posts on the channel API, checks the secret first, and keeps content only', async () => {
    const channel = await onboardChannel(stack, owner, { signatures: true });
    stack.sandbox.telegram.postAsAdmin(channel.chatId, channel.ownerUserId, { text: RU_CRYPTO[0], signature: SIGNATURE });
    const rows = await eventually(async () => {
      const found = await stack.db.query(`SELECT * FROM channel_posts WHERE channel_id = $1`, [channel.id]);
      return found.length > 0 ? found : undefined;
    }, 15_000, 'the webhook to deliver the post');
    expect(rows[0].text).toBe(RU_CRYPTO[0]);
    expect(JSON.stringify(rows)).not.toContain('Sidorov');

    const forged = await channelApi(stack)
      .post('/telegram/webhook')
      .set('X-Telegram-Bot-Api-Secret-Token', 'wrong')
      .send({ update_id: 1, channel_post: { message_id: 999, date: 1, chat: { id: channel.chatId, type: 'channel' }, text: 'forged' } });
    expect([forged.status, forged.body.error.code]).toEqual([401, 'unauthorized']);
    const forgedRows = await stack.db.query(`SELECT count(*)::int AS n FROM channel_posts WHERE message_id = 999`);
    expect(forgedRows[0].n).toBe(0);

    // with the right secret: a malformed update is acknowledged and stored nowhere (Telegram would resend it forever);
    // the same update delivered twice is stored once
    const before = await stack.db.query(`SELECT count(*)::int AS n FROM channel_posts`);
    for (const body of [
      { update_id: 2, channel_post: { message_id: 1.5, date: 1, chat: { id: channel.chatId, type: 'channel' }, text: 'fractional id' } },
      { update_id: 3, channel_post: { message_id: 2 ** 40, date: 1, chat: { id: channel.chatId, type: 'channel' }, text: 'huge id' } },
      { update_id: 4, channel_post: { message_id: 5000, date: 'yesterday', chat: { id: channel.chatId, type: 'channel' }, text: 'bad date' } },
      { update_id: 5, channel_post: 'not an object' },
      // update types that carry a person, which the bot never asks for: acknowledged, nothing kept
      { update_id: 7, message: { message_id: 1, date: 1, chat: { id: 4242, type: 'private', first_name: 'Wilhelmina' }, from: { id: 4242, is_bot: false, first_name: 'Wilhelmina' }, text: 'hello' } },
      { update_id: 8, chat_member: { chat: { id: channel.chatId, type: 'channel' }, from: { id: 4243, is_bot: false, first_name: 'Wilhelmina' }, date: 1, old_chat_member: { status: 'left', user: { id: 4243, is_bot: false, first_name: 'Wilhelmina' } }, new_chat_member: { status: 'member', user: { id: 4243, is_bot: false, first_name: 'Wilhelmina' } } } },
    ]) {
      const response = await channelApi(stack).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(body);
      expect(response.status, JSON.stringify(body)).toBe(200);
    }
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM channel_posts`)).toEqual(before);
    expect(await tablesContaining(stack.db, 'Wilhelmina')).toEqual([]);
    const twice = { update_id: 6, channel_post: { message_id: 4242, date: Math.floor(Date.now() / 1000), chat: { id: channel.chatId, type: 'channel' }, text: 'delivered twice' } };
    for (let i = 0; i < 2; i++) expect((await channelApi(stack).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(twice)).status).toBe(200);
    expect(await stack.db.query(`SELECT text FROM channel_posts WHERE channel_id = $1 AND message_id = 4242`, [channel.id])).toEqual([{ text: 'delivered twice' }]);
  });
});
