import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelApi } from '../apps/channel-api/src/main';
import { advertiserApi, channelApi, onboardChannel, setDescription, signUp, type Party } from './support/factories';
import { startStack, type Stack } from './support/stack';

describe('channel onboarding (channel API against the Telegram sandbox)', () => {
  let stack: Stack;
  let owner: Party;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    owner = await signUp(stack, 'owner');
  });
  afterAll(async () => stack?.close());

  const register = async (handle: string) => {
    const response = await channelApi(stack).post('/v1/channels').set(owner.auth).send({ platform: 'telegram', handle });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const verify = (id: string, party = owner) => channelApi(stack).post(`/v1/channels/${id}/verify`).set(party.auth);

  it('registers as pending with a one-time code and instructions, then verifies with facts read from Telegram', async () => {
    const telegram = stack.sandbox.telegram;
    const channel = telegram.createChannel({ title: 'Crypto Daily', username: 'crypto_daily_ok', memberCount: 48_200 });
    const registered = await register('@crypto_daily_ok');
    expect(registered).toMatchObject({ status: 'pending', verificationCode: expect.stringMatching(/^placard-[A-Z2-9]{10}$/) });
    expect(registered.instructions).toContain(registered.verificationCode);

    telegram.setAdmin(channel.id, stack.sandbox.platform.botId, { canPostMessages: true });
    setDescription(stack, channel.id, `Markets every morning ${registered.verificationCode}`);
    const verified = await verify(registered.id);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({
      id: registered.id,
      status: 'verified',
      title: 'Crypto Daily',
      username: 'crypto_daily_ok',
      subscribers: 48_200,
      chatId: String(channel.id),
    });
    expect(verified.body.verificationCode).toBeUndefined();
  });

  it('says chat_not_found for a channel Telegram does not know', async () => {
    const registered = await register('@no_such_channel_here');
    const response = await verify(registered.id);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('chat_not_found');
  });

  it('says bot_not_admin, bot_cannot_post and code_not_found in that order of fixing', async () => {
    const telegram = stack.sandbox.telegram;
    const channel = telegram.createChannel({ title: 'Steps', username: 'steps_channel', memberCount: 900 });
    const registered = await register(`${channel.id}`);

    const notAdmin = await verify(registered.id);
    expect([notAdmin.status, notAdmin.body.error.code]).toEqual([409, 'bot_not_admin']);

    telegram.setAdmin(channel.id, stack.sandbox.platform.botId, { canPostMessages: false, canEditMessages: true });
    const cannotPost = await verify(registered.id);
    expect([cannotPost.status, cannotPost.body.error.code]).toEqual([409, 'bot_cannot_post']);

    telegram.setAdmin(channel.id, stack.sandbox.platform.botId, { canPostMessages: true });
    const noCode = await verify(registered.id);
    expect([noCode.status, noCode.body.error.code]).toEqual([409, 'code_not_found']);
    expect(noCode.body.error.message).toMatch(/description/);

    const still = await channelApi(stack).get(`/v1/channels/${registered.id}`).set(owner.auth);
    expect(still.body.status).toBe('pending');
  });

  it('refuses bad input on every write endpoint with 400 and a code, writing nothing', async () => {
    const before = await stack.db.query(`SELECT (SELECT count(*) FROM channels) AS channels, (SELECT count(*) FROM channel_prices) AS prices, (SELECT count(*) FROM accounts) AS accounts`);
    const cases: [string, string, unknown][] = [
      ['post', '/v1/channels', { platform: 'telegram', handle: 'not a handle!' }],
      ['post', '/v1/channels', { platform: 'whatsapp', handle: '@fine_name' }],
      ['post', '/v1/channels', { platform: 'telegram' }],
      ['post', '/v1/channels', { platform: 'telegram', handle: '@fine_name', extra: 1 }],
      ['post', '/v1/accounts', { email: 'not-an-email', name: 'x' }],
      ['post', '/v1/accounts', { email: 'a@example.com', name: '' }],
    ];
    for (const [method, path, body] of cases) {
      const response = await channelApi(stack)[method as 'post'](path).set(owner.auth).send(body as object);
      expect(response.status, `${path} ${JSON.stringify(body)} → ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message.length).toBeGreaterThan(5);
    }
    const channel = await onboardChannel(stack, owner);
    const badPricing: unknown[] = [
      { formats: [{ format: '1/24', priceMinor: -5, currency: 'USD' }] },
      { formats: [{ format: '1/24', priceMinor: 10.5, currency: 'USD' }] },
      { formats: [{ format: '1/24', priceMinor: 100, currency: 'usd' }] },
      { formats: [{ format: '9/99', priceMinor: 100, currency: 'USD' }] },
      { formats: [{ format: '1/24', priceMinor: 100, currency: 'USD' }, { format: '1/24', priceMinor: 200, currency: 'USD' }] },
      { formats: 'cheap' },
    ];
    const pricesBefore = await stack.db.query(`SELECT format, price_minor FROM channel_prices WHERE channel_id = $1 ORDER BY format`, [channel.id]);
    for (const body of badPricing) {
      const response = await channelApi(stack).put(`/v1/channels/${channel.id}/pricing`).set(owner.auth).send(body as object);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect(await stack.db.query(`SELECT format, price_minor FROM channel_prices WHERE channel_id = $1 ORDER BY format`, [channel.id])).toEqual(pricesBefore);

    const malformed = await channelApi(stack).post('/v1/channels').set(owner.auth).set('Content-Type', 'application/json').send('{"platform":');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    const badId = await verify('not-a-uuid');
    expect([badId.status, badId.body.error.code]).toEqual([400, 'validation_failed']);

    const after = await stack.db.query(`SELECT (SELECT count(*) FROM channels) AS channels, (SELECT count(*) FROM accounts) AS accounts`);
    expect(Number(after[0].channels)).toBe(Number(before[0].channels) + 1); // only the onboardChannel above
    expect(Number(after[0].accounts)).toBe(Number(before[0].accounts));
  });

  it('refuses keys of the other audience with 401, and unknown or revoked keys', async () => {
    const advertiser = await signUp(stack, 'advertiser');
    const onChannelApi = await channelApi(stack).get('/v1/channels').set(advertiser.auth);
    expect([onChannelApi.status, onChannelApi.body.error.code]).toEqual([401, 'unauthorized']);
    const onAdvertiserApi = await advertiserApi(stack).get('/v1/balance').set(owner.auth);
    expect([onAdvertiserApi.status, onAdvertiserApi.body.error.code]).toEqual([401, 'unauthorized']);
    const missing = await channelApi(stack).get('/v1/channels');
    expect(missing.status).toBe(401);
    const forged = await channelApi(stack).get('/v1/channels').set({ Authorization: `Bearer plc_own_${'x'.repeat(32)}` });
    expect(forged.status).toBe(401);

    const extra = await channelApi(stack).post('/v1/api-keys').set(owner.auth).send({ label: 'ci' });
    expect(extra.status).toBe(201);
    expect(extra.body.apiKey).toMatch(/^plc_own_/);
    const extraAuth = { Authorization: `Bearer ${extra.body.apiKey}` };
    expect((await channelApi(stack).get('/v1/channels').set(extraAuth)).status).toBe(200);
    const revoked = await channelApi(stack).delete(`/v1/api-keys/${extra.body.key.id}`).set(owner.auth);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await channelApi(stack).get('/v1/channels').set(extraAuth)).status).toBe(401);
    const stored = await stack.db.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [extra.body.key.id]);
    expect(stored[0].key_hash).not.toContain(extra.body.apiKey.slice(8));
  });

  it('refuses a revoked key at once in another API process that remembers it', async () => {
    const second = await startChannelApi(0); // same database and Redis: a second instance behind a balancer
    try {
      const extra = await channelApi(stack).post('/v1/api-keys').set(owner.auth).send({ label: 'second instance' });
      const extraAuth = { Authorization: `Bearer ${extra.body.apiKey}` };
      // both processes have now looked the key up and remember its account
      expect((await channelApi(stack).get('/v1/account').set(extraAuth)).status).toBe(200);
      expect((await request(second.app.getHttpServer()).get('/v1/account').set(extraAuth)).status).toBe(200);

      expect((await channelApi(stack).delete(`/v1/api-keys/${extra.body.key.id}`).set(owner.auth)).status).toBe(200);
      const elsewhere = await request(second.app.getHttpServer()).get('/v1/account').set(extraAuth);
      expect([elsewhere.status, elsewhere.body.error?.code]).toEqual([401, 'unauthorized']);
      expect((await channelApi(stack).get('/v1/account').set(extraAuth)).status).toBe(401);
      // the owner's other key is untouched, in both processes
      expect((await request(second.app.getHttpServer()).get('/v1/account').set(owner.auth)).status).toBe(200);
    } finally {
      await second.app.close();
    }
  });

  it("hides another owner's channel behind 404 for reads and writes", async () => {
    const other = await signUp(stack, 'owner', 'Other Owner');
    const channel = await onboardChannel(stack, owner);
    for (const response of [
      await channelApi(stack).get(`/v1/channels/${channel.id}`).set(other.auth),
      await verify(channel.id, other),
      await channelApi(stack).put(`/v1/channels/${channel.id}/pricing`).set(other.auth).send({ formats: [] }),
    ]) {
      expect([response.status, response.body.error.code]).toEqual([404, 'not_found']);
    }
    const list = await channelApi(stack).get('/v1/channels').set(other.auth);
    expect(list.body.items).toEqual([]);
  });

  it('applies concurrent price lists of one channel one after the other: each answered 200, the last one whole', async () => {
    const channel = await onboardChannel(stack, owner);
    const lists = Array.from({ length: 6 }, (_, i) => [
      { format: '1/24', priceMinor: 1_000 + i, currency: 'USD' },
      ...(i % 2 ? [{ format: '2/48', priceMinor: 2_000 + i, currency: 'USD' }] : []),
      { format: '3/72', priceMinor: 3_000 + i, currency: 'USD' },
    ]);
    const responses = await Promise.all(lists.map((formats) => channelApi(stack).put(`/v1/channels/${channel.id}/pricing`).set(owner.auth).send({ formats })));
    for (const response of responses) expect(response.status, JSON.stringify(response.body)).toBe(200);
    const rows = await stack.db.query(`SELECT format, price_minor::int AS "priceMinor", currency FROM channel_prices WHERE channel_id = $1 ORDER BY format`, [channel.id]);
    const sorted = (formats: { format: string }[]) => [...formats].sort((a, b) => a.format.localeCompare(b.format));
    // one list, not a mixture of several: every price carries the same list number
    expect(lists.map(sorted)).toContainEqual(rows);
    const [card] = await stack.db.query(`SELECT pricing FROM channels WHERE id = $1`, [channel.id]);
    expect(sorted(card.pricing)).toEqual(rows);
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    const health = await channelApi(stack).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    const metrics = await advertiserApi(stack).get('/metrics');
    expect(metrics.text).toContain('http_requests_total');
    const openapi = await advertiserApi(stack).get('/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/placements', '/v1/channels', '/v1/balance/top-ups']));
    const unknown = await advertiserApi(stack).get('/v1/nope');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'route_not_found']);
  });
});
