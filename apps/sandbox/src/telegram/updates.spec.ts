import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramSandbox, type RunningTelegramSandbox } from './index';

let server: RunningTelegramSandbox;
let token: string;
let botId: number;

async function call(method: string, params: object = {}, botToken = token) {
  const response = await fetch(`${server.url}/bot${botToken}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  server = await startTelegramSandbox({ rateLimits: false, webhookRetryMs: 50 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.sandbox.reset();
  server.sandbox.setRateLimits({ enabled: false });
  ({ token, id: botId } = server.sandbox.createBot({ username: 'placard_bot' }));
});

function signedChannel() {
  const author = server.sandbox.createUser({ firstName: 'Alice', lastName: 'Writer' });
  const channel = server.sandbox.createChannel({ title: 'Signed', username: 'signed_channel', signatures: true, ownerUserId: author.id });
  server.sandbox.setAdmin(channel.id, botId, { canPostMessages: true });
  return { channel, author };
}

describe('channel updates', () => {
  it('gives admin bots a channel_post with sender_chat and author_signature for a human post', async () => {
    const { channel, author } = signedChannel();
    server.sandbox.postAsAdmin(channel.id, author.id, { text: 'Hello <i>world</i>', parseMode: 'HTML' });

    const { body } = await call('getUpdates', {});
    expect(body.result).toHaveLength(1);
    expect(body.result[0].channel_post).toMatchObject({
      message_id: 1,
      chat: { id: channel.id, type: 'channel' },
      sender_chat: { id: channel.id },
      author_signature: 'Alice Writer',
      text: 'Hello world',
      entities: [{ type: 'italic', offset: 6, length: 5 }],
    });
    expect(body.result[0].channel_post.from).toBeUndefined();
  });

  it('sends edited_channel_post on edits and nothing on deletion', async () => {
    const { channel, author } = signedChannel();
    const post = server.sandbox.postAsAdmin(channel.id, author.id, { text: 'first' });
    server.sandbox.editAsAdmin(channel.id, post.message_id as number, { text: 'second' });
    server.sandbox.deleteAsAdmin(channel.id, post.message_id as number);

    const updates = (await call('getUpdates', {})).body.result;
    expect(updates.map((update: any) => Object.keys(update).filter((key) => key !== 'update_id')[0])).toEqual(['channel_post', 'edited_channel_post']);
    expect(updates[1].edited_channel_post).toMatchObject({ text: 'second', edit_date: expect.any(Number) });
  });

  it('does not send a bot its own posts, but sends them to the other admin bots', async () => {
    const { channel } = signedChannel();
    const other = server.sandbox.createBot({ username: 'other_bot' });
    server.sandbox.setAdmin(channel.id, other.id, { canPostMessages: false });
    await call('sendMessage', { chat_id: channel.id, text: 'from placard_bot' });

    expect((await call('getUpdates', {})).body.result).toEqual([]);
    const theirs = (await call('getUpdates', {}, other.token)).body.result;
    expect(theirs[0].channel_post).toMatchObject({ text: 'from placard_bot', author_signature: 'Placard Test Bot' });
  });

  it('confirms updates by offset and honours limit', async () => {
    const { channel, author } = signedChannel();
    for (const text of ['a', 'b', 'c']) server.sandbox.postAsAdmin(channel.id, author.id, { text });
    const firstTwo = (await call('getUpdates', { limit: 2 })).body.result;
    expect(firstTwo.map((update: any) => update.channel_post.text)).toEqual(['a', 'b']);
    const rest = (await call('getUpdates', { offset: firstTwo[1].update_id + 1 })).body.result;
    expect(rest.map((update: any) => update.channel_post.text)).toEqual(['c']);
    expect(rest[0].update_id).toBe(firstTwo[1].update_id + 1);
    expect((await call('getUpdates', { offset: rest[0].update_id + 1 })).body.result).toEqual([]);
  });

  it('long polls until an update arrives', async () => {
    const { channel, author } = signedChannel();
    const poll = call('getUpdates', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.sandbox.postAsAdmin(channel.id, author.id, { text: 'wake up' });
    expect((await poll).body.result[0].channel_post.text).toBe('wake up');
  });

  it('ends the older of two overlapping long polls with 409', async () => {
    const first = call('getUpdates', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = call('getUpdates', { timeout: 0 });
    expect(await first).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    expect((await second).body.ok).toBe(true);
  });

  it('drops update types the bot did not ask for', async () => {
    const { channel, author } = signedChannel();
    await call('getUpdates', { allowed_updates: ['edited_channel_post'] });
    const post = server.sandbox.postAsAdmin(channel.id, author.id, { text: 'new' });
    server.sandbox.editAsAdmin(channel.id, post.message_id as number, { text: 'edited' });
    const updates = (await call('getUpdates', {})).body.result;
    expect(updates).toHaveLength(1);
    expect(updates[0].edited_channel_post.text).toBe('edited');
  });
});

describe('webhooks', () => {
  let receiver: FastifyInstance;
  let received: Array<{ secret: unknown; body: any }>;
  let failuresLeft: number;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = Fastify();
    receiver.post('/hook', async (request, reply) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return reply.status(500).send('nope');
      }
      received.push({ secret: request.headers['x-telegram-bot-api-secret-token'], body: request.body });
      return { ok: true };
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/hook`;
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    received = [];
    failuresLeft = 0;
  });

  async function until(condition: () => boolean) {
    for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('delivers updates by POST with the secret header, retrying until the webhook accepts', async () => {
    const { channel, author } = signedChannel();
    failuresLeft = 2;
    expect((await call('setWebhook', { url: receiverUrl, secret_token: 'hook-Secret_1' })).body).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was set',
    });
    server.sandbox.postAsAdmin(channel.id, author.id, { text: 'pushed' });
    await until(() => received.length === 1);
    expect(received[0].secret).toBe('hook-Secret_1');
    expect(received[0].body.channel_post.text).toBe('pushed');
    const info = (await call('getWebhookInfo')).body.result;
    expect(info).toMatchObject({ url: receiverUrl, pending_update_count: 0, last_error_message: 'Wrong response from the webhook: 500 Internal Server Error' });
  });

  it('refuses getUpdates while a webhook is set, until deleteWebhook', async () => {
    await call('setWebhook', { url: receiverUrl });
    expect(await call('getUpdates')).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });
    expect((await call('deleteWebhook', { drop_pending_updates: true })).body.result).toBe(true);
    expect((await call('getUpdates')).body).toEqual({ ok: true, result: [] });
    expect((await call('setWebhook', { url: receiverUrl, secret_token: 'bad token!' })).status).toBe(400);
  });
});
