import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '#libs/database';
import { AccountsService, PLATFORM_ADAPTER, PlacementEntity, PlacementTransitions } from '#libs/marketplace';
import type { PlatformAdapter } from '#libs/platforms';
import { QUEUE_OF_JOB, QueueProducer, jobIdFor, queuePrefix } from '#libs/queue';
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { PublishJob } from '../apps/worker/src/jobs/publish.job';
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
  type Party,
} from './support/factories';
import { expectLedgerConsistent } from './support/ledger-invariants';
import { startStack, type Stack } from './support/stack';

/** Money and posts are never lost or doubled: concurrency, retries, crashes, a lost Redis, bad input. */
describe('deal safety', () => {
  let stack: Stack;
  let advertiser: Party;
  let owner: Party;
  let creativeId: string;

  beforeAll(async () => {
    // the sweep must come round well inside the 0.36 s top window for the lost-Redis case; four audit
    // chats, because one (20 messages a minute) is spent by the checks of the tests before it, and the
    // lost-Redis deal then waited out 429s for 25 s of its 40
    stack = await startStack({ timeScale: 0.0001, auditChats: 4, env: { RATE_LIMIT_PER_MINUTE: '10000', SWEEP_INTERVAL_MS: '100' } });
    advertiser = await signUp(stack, 'advertiser');
    owner = await signUp(stack, 'owner');
    await topUp(stack, advertiser, 10_000_000);
    ({ creativeId } = await campaignWithCreative(stack, advertiser));
  });
  afterEach(async () => expectLedgerConsistent(stack));
  afterAll(async () => stack?.close());

  const postsWithLabel = (chatId: number) => stack.sandbox.telegram.listMessages(chatId).filter((message) => String(message.text ?? '').includes('#ad'));

  it('sells a slot once: 50 concurrent bookings give one 201 and 49 × 409 slot_taken', async () => {
    const channel = await onboardChannel(stack, owner, { priceMinor: 5_000 });
    const before = await balanceOf(stack, advertiser);
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        advertiserApi(stack).post('/v1/placements').set(advertiser.auth).send({ channelId: channel.id, creativeId, format: '1/24', startsAt }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    for (const response of responses.filter((response) => response.status === 409)) expect(response.body.error.code).toBe('slot_taken');
    expect((await balanceOf(stack, advertiser)).availableMinor).toBe(before.availableMinor - 5_000);
    // an overlapping top window is taken too; a slot right after the top window is free
    const overlapping = await advertiserApi(stack)
      .post('/v1/placements')
      .set(advertiser.auth)
      .send({ channelId: channel.id, creativeId, format: '1/24', startsAt: new Date(Date.parse(startsAt) + 100).toISOString() });
    expect([overlapping.status, overlapping.body.error?.code]).toEqual([409, 'slot_taken']);
  });

  it('answers an idempotent retry with the first response and writes nothing; another body with the same key is 422', async () => {
    const channel = await onboardChannel(stack, owner, { priceMinor: 3_000 });
    const body = { channelId: channel.id, creativeId, format: '1/24', startsAt: new Date(Date.now() + 7_200_000).toISOString() };
    const first = await advertiserApi(stack).post('/v1/placements').set(advertiser.auth).set('Idempotency-Key', 'book-42').send(body);
    expect(first.status).toBe(201);
    const balance = await balanceOf(stack, advertiser);
    const retry = await advertiserApi(stack).post('/v1/placements').set(advertiser.auth).set('Idempotency-Key', 'book-42').send(body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await balanceOf(stack, advertiser)).toEqual(balance);
    const rows = await stack.db.query(`SELECT count(*)::int AS n FROM placements WHERE channel_id = $1`, [channel.id]);
    expect(rows[0].n).toBe(1);
    const other = await advertiserApi(stack).post('/v1/placements').set(advertiser.auth).set('Idempotency-Key', 'book-42').send({ ...body, format: '2/48' });
    expect([other.status, other.body.error.code]).toEqual([422, 'idempotency_key_reused']);

    // a response that shows a secret once (a new API key) is never stored for replay
    const signUpBody = { email: 'once@example.com', name: 'Once' };
    const firstSignUp = await advertiserApi(stack).post('/v1/accounts').set('Idempotency-Key', 'signup-1').send(signUpBody);
    const secondSignUp = await advertiserApi(stack).post('/v1/accounts').set('Idempotency-Key', 'signup-1').send(signUpBody);
    expect(firstSignUp.status).toBe(201);
    expect(secondSignUp.body.apiKey).not.toBe(firstSignUp.body.apiKey);
    const stored = await stack.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE response_body::text LIKE '%plc_%'`);
    expect(stored[0].n).toBe(0);

    // a top-up retried with its key credits once
    const topUpBody = { amountMinor: 777, currency: 'USD' };
    const credited = await advertiserApi(stack).post('/v1/balance/top-ups').set(advertiser.auth).set('Idempotency-Key', 'topup-1').send(topUpBody);
    const again = await advertiserApi(stack).post('/v1/balance/top-ups').set(advertiser.auth).set('Idempotency-Key', 'topup-1').send(topUpBody);
    expect(again.body.id).toBe(credited.body.id);
    expect((await balanceOf(stack, advertiser)).availableMinor).toBe(balance.availableMinor + 777);
    // an error is replayed too: the same refused booking with the same key stays refused without new work
    const refused = await advertiserApi(stack).post('/v1/placements').set(advertiser.auth).set('Idempotency-Key', 'dup').send(body);
    const refusedAgain = await advertiserApi(stack).post('/v1/placements').set(advertiser.auth).set('Idempotency-Key', 'dup').send(body);
    expect([refused.status, refusedAgain.status, refusedAgain.body.error.code]).toEqual([409, 409, 'slot_taken']);
  });

  it('creates a campaign and a creative once when their requests are retried with a key', async () => {
    const count = async () => (await stack.db.query(`SELECT (SELECT count(*) FROM campaigns)::int AS campaigns, (SELECT count(*) FROM creatives)::int AS creatives`))[0];
    const before = await count();
    const campaignBody = { name: 'Retried', topics: ['crypto'], languages: ['ru'], excludedTopics: ['gambling'] };
    const [first, second] = await Promise.all([0, 1].map(() => advertiserApi(stack).post('/v1/campaigns').set(advertiser.auth).set('Idempotency-Key', 'campaign-7').send(campaignBody)));
    const retried = await advertiserApi(stack).post('/v1/campaigns').set(advertiser.auth).set('Idempotency-Key', 'campaign-7').send(campaignBody);
    const created = [first, second].find((response) => response.status === 201)!;
    expect(created, 'one of the two concurrent requests creates it').toBeDefined();
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(created.body);
    for (const response of [first, second]) expect(response.status === 201 ? response.body.id : response.body.error.code).toMatch(new RegExp(`^(${created.body.id}|idempotency_in_progress)$`));
    const creativeBody = { text: 'Acme wallet: self-custody, zero fees.' };
    const creative = await advertiserApi(stack).post(`/v1/campaigns/${created.body.id}/creatives`).set(advertiser.auth).set('Idempotency-Key', 'creative-7').send(creativeBody);
    const creativeAgain = await advertiserApi(stack).post(`/v1/campaigns/${created.body.id}/creatives`).set(advertiser.auth).set('Idempotency-Key', 'creative-7').send(creativeBody);
    expect([creative.status, creativeAgain.status, creativeAgain.body.id]).toEqual([201, 201, creative.body.id]);
    expect(await count()).toEqual({ campaigns: before.campaigns + 1, creatives: before.creatives + 1 });
  });

  it('posts once when the publish job runs twice at the same time', async () => {
    const channel = await onboardChannel(stack, owner);
    // 2/48: a 0.72 s top window at this time scale, so a loaded machine (the whole suite in parallel)
    // does not turn the runs below into missed slots
    const booked = await book(stack, advertiser, channel.id, creativeId, 1500, '2/48');
    await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    const job = stack.worker!.context.get(PublishJob);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const outcomes = await Promise.all([job.run({ placementId: booked.body.id }), job.run({ placementId: booked.body.id })]);
    expect(outcomes.filter((outcome) => outcome === 'published').length).toBeLessThanOrEqual(1);
    await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 30_000);
    expect(postsWithLabel(channel.chatId)).toHaveLength(1);
    expect(await job.run({ placementId: booked.body.id })).toBe('skipped');
    expect(postsWithLabel(channel.chatId)).toHaveLength(1);
  });

  it('applies a transition from where another transaction moved the placement meanwhile, when the state machine allows it from there', async () => {
    const channel = await onboardChannel(stack, owner);
    const booked = await book(stack, advertiser, channel.id, creativeId, 1500, '7d');
    await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    const transitions = stack.worker!.context.get(PlacementTransitions);
    const stale = await stack.db.manager.findOneByOrFail(PlacementEntity, { id: booked.body.id });
    expect(stale.status).toBe('scheduled');
    // another run flags it (the send looked in flight), then the sending run records the post from its stale read
    await withTransaction(stack.db, (tx) => transitions.apply(tx, stale, { action: 'flag', actor: 'worker', reason: 'send in flight' }));
    await withTransaction(stack.db, (tx) => transitions.apply(tx, stale, { action: 'publish', actor: 'worker', changes: { sendState: 'sent', messageId: 1 } }));
    const events = await stack.db.query(`SELECT from_status, to_status FROM placement_events WHERE placement_id = $1 ORDER BY at, id`, [booked.body.id]);
    expect(events.slice(-2)).toEqual([
      { from_status: 'scheduled', to_status: 'needs_review' },
      { from_status: 'needs_review', to_status: 'published' },
    ]);
    // an action the state machine refuses from where the placement is now is still refused
    await expect(withTransaction(stack.db, (tx) => transitions.apply(tx, stale, { action: 'publish_failed', actor: 'worker', reason: 'late' }))).rejects.toMatchObject({
      code: 'invalid_transition',
    });
  });

  it('a run that finds the send still in flight flags it; the sending run then records the post, which settles it', async () => {
    const channel = await onboardChannel(stack, owner);
    const adapter = stack.worker!.context.get<PlatformAdapter>(PLATFORM_ADAPTER);
    const realPublish = adapter.publish.bind(adapter);
    let sentToChannel!: () => void;
    const inFlight = new Promise<void>((resolve) => (sentToChannel = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    adapter.publish = async (chatId, post) => {
      const sent = await realPublish(chatId, post);
      if (chatId === String(channel.chatId)) {
        sentToChannel();
        await held; // Telegram has the post; its answer is still on the way
      }
      return sent;
    };
    try {
      const booked = await book(stack, advertiser, channel.id, creativeId, 1000, '2/48');
      await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
      await inFlight; // the worker's own publish job has sent and is waiting for the answer
      const job = stack.worker!.context.get(PublishJob);
      expect(await job.run({ placementId: booked.body.id })).toBe('needs_review');
      expect((await placementOf(stack, advertiser, booked.body.id)).status).toBe('needs_review');
      release();
      const settled = await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed'], 30_000);
      expect(settled.status).toBe('completed');
      expect(postsWithLabel(channel.chatId)).toHaveLength(1);
      const history = (await placementOf(stack, advertiser, booked.body.id)).history.map((event: { status: string }) => event.status);
      expect(history).toEqual(['offered', 'scheduled', 'needs_review', 'published', 'completed']);
    } finally {
      adapter.publish = realPublish;
      release();
    }
  });

  it('a crash between the send and its record ends in needs_review, never a second post', async () => {
    const channel = await onboardChannel(stack, owner);
    const adapter = stack.worker!.context.get<PlatformAdapter>(PLATFORM_ADAPTER);
    const realPublish = adapter.publish.bind(adapter);
    let crashes = 0;
    adapter.publish = async (chatId, post) => {
      const sent = await realPublish(chatId, post);
      if (chatId === String(channel.chatId)) {
        crashes++;
        throw new Error('simulated crash after Telegram accepted the post');
      }
      return sent;
    };
    try {
      const booked = await book(stack, advertiser, channel.id, creativeId, 1000);
      await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
      const flagged = await waitForStatus(stack, advertiser, booked.body.id, ['needs_review', 'published', 'failed'], 20_000);
      expect(flagged.status).toBe('needs_review');
      expect(flagged.statusReason).toMatch(/started but its result was never recorded/);
      expect(crashes).toBe(1);
      expect(postsWithLabel(channel.chatId)).toHaveLength(1);
      // the escrow stays held while a person looks: not paid, not refunded
      const placement = await placementOf(stack, advertiser, booked.body.id);
      expect(placement.history.map((event: { status: string }) => event.status)).toEqual(['offered', 'scheduled', 'needs_review']);

      // an operator looks at the channel, sees the post, and settles it as delivered: the owner is paid once
      const { apiKey } = await stack.channelApi.get(AccountsService).createAccount('operator', 'ops@example.com', 'Operations');
      const operator = { Authorization: `Bearer ${apiKey}` };
      expect((await channelApi(stack).get('/v1/admin/placements').set(owner.auth)).status).toBe(401);
      const waiting = await channelApi(stack).get('/v1/admin/placements').set(operator);
      expect(waiting.body.items.map((item: { id: string }) => item.id)).toContain(booked.body.id);
      const resolved = await channelApi(stack)
        .post(`/v1/admin/placements/${booked.body.id}/resolve`)
        .set(operator)
        .send({ outcome: 'delivered', reason: 'the post is in the channel, unchanged' });
      expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
      expect(resolved.body.status).toBe('completed');
      const twice = await channelApi(stack).post(`/v1/admin/placements/${booked.body.id}/resolve`).set(operator).send({ outcome: 'undelivered', reason: 'changed my mind' });
      expect([twice.status, twice.body.error.code]).toEqual([409, 'invalid_transition']);
    } finally {
      adapter.publish = realPublish;
    }
  });

  it('refuses to cancel once the send has started, so an ad that runs is never refunded', async () => {
    const channel = await onboardChannel(stack, owner);
    const adapter = stack.worker!.context.get<PlatformAdapter>(PLATFORM_ADAPTER);
    const realPublish = adapter.publish.bind(adapter);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sending!: () => void;
    const started = new Promise<void>((resolve) => (sending = resolve));
    adapter.publish = async (chatId, post) => {
      if (chatId === String(channel.chatId)) {
        sending();
        await held; // Telegram is slow to answer
      }
      return realPublish(chatId, post);
    };
    try {
      const booked = await book(stack, advertiser, channel.id, creativeId, 800);
      await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
      await started;
      const cancel = await advertiserApi(stack).post(`/v1/placements/${booked.body.id}/cancel`).set(advertiser.auth);
      expect([cancel.status, cancel.body.error.code]).toEqual([409, 'invalid_transition']);
      release();
      const published = await waitForStatus(stack, advertiser, booked.body.id, ['published', 'completed', 'failed', 'needs_review'], 15_000);
      expect(published.status).not.toBe('cancelled');
      expect(postsWithLabel(channel.chatId)).toHaveLength(1);
    } finally {
      release();
      adapter.publish = realPublish;
    }
  });

  it('queues due work again when its job already ended in BullMQ', async () => {
    const producer = stack.worker!.context.get(QueueProducer);
    const data = { placementId: randomUUID() }; // settling an unknown placement is a no-op that completes
    await producer.add('settle', data);
    const queue = producer.queue(QUEUE_OF_JOB.settle);
    const jobId = jobIdFor('settle', data);
    const first = await eventually(async () => (await queue.getJob(jobId))?.finishedOn ?? undefined, 10_000, 'the first run');
    await producer.add('settle', data); // a plain add is a no-op while BullMQ keeps the finished job
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await queue.getJob(jobId))?.finishedOn).toBe(first);
    await producer.requeue('settle', data, 0);
    const second = await eventually(async () => {
      const finishedOn = (await queue.getJob(jobId))?.finishedOn;
      return finishedOn && finishedOn > first ? finishedOn : undefined;
    }, 10_000, 'the second run');
    expect(second).toBeGreaterThan(first);
  });

  it('finishes deals whose queued jobs Redis lost (restart without persistence)', async () => {
    const channel = await onboardChannel(stack, owner);
    const booked = await book(stack, advertiser, channel.id, creativeId, 2500);
    await channelApi(stack).post(`/v1/offers/${booked.body.id}/accept`).set(owner.auth);
    // wait until the relay has handed the publish job to Redis, then wipe this stack's queue keys
    await new Promise((resolve) => setTimeout(resolve, 800));
    const relayed = await stack.db.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1 AND relayed_at IS NOT NULL`, [`placement.${booked.body.id}.publish`]);
    expect(relayed[0].n).toBe(1);
    const redis = new IORedis(stack.env.REDIS_URL);
    const keys = await redis.keys(`${stack.env.QUEUE_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const completed = await waitForStatus(stack, advertiser, booked.body.id, ['completed', 'failed', 'needs_review'], 40_000);
    expect(completed.status).toBe('completed');
    expect(postsWithLabel(channel.chatId)).toHaveLength(1);
    expect(queuePrefix()).toBe(stack.env.QUEUE_PREFIX);
  });

  // last: the channels onboarded here would otherwise share the worker with the timing tests above
  it('credits 20 concurrent first top-ups of a new advertiser exactly once each (the account is created by one of them)', async () => {
    const fresh = await signUp(stack, 'advertiser', 'Fresh Co');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        advertiserApi(stack).post('/v1/balance/top-ups').set(fresh.auth).send({ amountMinor: 100 + i, currency: 'EUR' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect((await balanceOf(stack, fresh, 'EUR')).availableMinor).toBe(20 * 100 + (19 * 20) / 2);
  });

  it('books 12 slots concurrently against one balance that covers 4: 4 × 201, 8 × 402, never below zero', async () => {
    const buyer = await signUp(stack, 'advertiser', 'Budget Co');
    await topUp(stack, buyer, 4 * 1_000);
    const { creativeId: buyerCreative } = await campaignWithCreative(stack, buyer);
    const channels = await Promise.all(Array.from({ length: 12 }, () => onboardChannel(stack, owner, { priceMinor: 1_000 })));
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const responses = await Promise.all(
      channels.map((channel) =>
        advertiserApi(stack).post('/v1/placements').set(buyer.auth).send({ channelId: channel.id, creativeId: buyerCreative, format: '1/24', startsAt }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 402)).toHaveLength(8);
    for (const response of responses.filter((response) => response.status === 402)) expect(response.body.error.code).toBe('insufficient_balance');
    expect((await balanceOf(stack, buyer)).availableMinor).toBe(0);
  });

  it('refuses bad input on every advertiser write endpoint with 400 and a code, writing nothing', async () => {
    const channel = await onboardChannel(stack, owner);
    const count = async () =>
      (await stack.db.query(`SELECT (SELECT count(*) FROM placements)::int AS p, (SELECT count(*) FROM campaigns)::int AS c, (SELECT count(*) FROM creatives)::int AS r, (SELECT count(*) FROM top_ups)::int AS t, (SELECT count(*) FROM journal_entries)::int AS j`))[0];
    const before = await count();
    const { campaignId } = await campaignWithCreative(stack, advertiser);
    const afterSetup = await count();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [string, unknown, number, string][] = [
      ['/v1/placements', { channelId: channel.id, creativeId, format: '1/24' }, 400, 'validation_failed'],
      ['/v1/placements', { channelId: 'x', creativeId, format: '1/24', startsAt: future }, 400, 'validation_failed'],
      ['/v1/placements', { channelId: channel.id, creativeId, format: '1/24', startsAt: 'tomorrow' }, 400, 'validation_failed'],
      ['/v1/placements', { channelId: channel.id, creativeId, format: '1/24', startsAt: new Date(Date.now() - 60_000).toISOString() }, 400, 'starts_at_in_past'],
      ['/v1/placements', { channelId: channel.id, creativeId, format: '9/99', startsAt: future }, 409, 'format_not_offered'],
      ['/v1/placements', { channelId: '00000000-0000-4000-8000-000000000000', creativeId, format: '1/24', startsAt: future }, 404, 'not_found'],
      ['/v1/balance/top-ups', { amountMinor: 0, currency: 'USD' }, 400, 'validation_failed'],
      ['/v1/balance/top-ups', { amountMinor: 10.5, currency: 'USD' }, 400, 'validation_failed'],
      ['/v1/balance/top-ups', { amountMinor: 100, currency: 'dollars' }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['astrology-ish'], languages: [], excludedTopics: [] }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['crypto'], languages: ['English'], excludedTopics: [] }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['crypto'], languages: [], excludedTopics: ['crypto'] }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['gambling'], languages: [], excludedTopics: [] }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['crypto', 'adult'], languages: [], excludedTopics: [] }, 400, 'validation_failed'],
      ['/v1/campaigns', { name: 'x', topics: ['crypto', 'finance', 'business', 'marketing', 'technology', 'science', 'news_politics', 'education', 'career', 'entertainment', 'humor'], languages: [], excludedTopics: [] }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: 'x'.repeat(4090) }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: 'caption', imageUrl: 'https://example.com/a.jpg', buttons: [] , extra: true }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: 'y'.repeat(1010), imageUrl: 'https://example.com/a.jpg' }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: 'hi', buttons: [{ text: 'a', url: 'http://insecure.example.com' }] }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: 'hi', buttons: Array.from({ length: 5 }, () => ({ text: 'a', url: 'https://example.com' })) }, 400, 'validation_failed'],
      [`/v1/campaigns/${campaignId}/creatives`, { text: '   ' }, 400, 'validation_failed'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await advertiserApi(stack).post(path).set(advertiser.auth).send(body as object);
      expect([response.status, response.body.error?.code], `${path} ${JSON.stringify(body).slice(0, 80)}`).toEqual([status, code]);
      expect(response.body.error.message.length).toBeGreaterThan(5);
    }
    const poor = await signUp(stack, 'advertiser', 'Poor Co');
    const poorCreative = await campaignWithCreative(stack, poor);
    const broke = await book(stack, poor, channel.id, poorCreative.creativeId, 3_600_000);
    expect([broke.status, broke.body.error.code]).toEqual([402, 'insufficient_balance']);
    const after = await count();
    expect({ ...after, c: after.c - 1, r: after.r - 1 }).toEqual(afterSetup);
    expect(afterSetup.j).toBe(before.j);
  });
});
