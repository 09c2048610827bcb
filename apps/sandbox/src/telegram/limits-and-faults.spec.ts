import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramSandbox, type RunningTelegramSandbox } from './index';

let server: RunningTelegramSandbox;
const readJson = (response: Response): Promise<any> => response.json();
let token: string;
let chatId: number;

async function call(method: string, params: object = {}) {
  const response = await fetch(`${server.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  return { status: response.status, text, body: (() => { try { return JSON.parse(text); } catch { return null; } })() };
}

beforeAll(async () => {
  server = await startTelegramSandbox();
});
afterAll(() => server.close());
beforeEach(() => {
  server.sandbox.reset();
  const bot = server.sandbox.createBot();
  token = bot.token;
  chatId = server.sandbox.createChannel({ title: 'Busy', username: 'busy_channel' }).id;
  server.sandbox.setAdmin(chatId, bot.id);
});

describe('flood limits', () => {
  it('allows 20 messages a minute in one channel, then 429 with retry_after', async () => {
    for (let index = 0; index < 20; index += 1) {
      expect((await call('sendMessage', { chat_id: chatId, text: `post ${index}` })).status).toBe(200);
    }
    const refused = await call('sendMessage', { chat_id: chatId, text: 'one too many' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: expect.any(Number) } });
    expect(refused.body.description).toBe(`Too Many Requests: retry after ${refused.body.parameters.retry_after}`);
    expect(server.sandbox.listMessages(chatId)).toHaveLength(20);
  });

  it('can be switched off', async () => {
    server.sandbox.setRateLimits({ enabled: false });
    for (let index = 0; index < 25; index += 1) {
      expect((await call('sendMessage', { chat_id: chatId, text: `post ${index}` })).status).toBe(200);
    }
  });
});

describe('injected faults', () => {
  it('fails the next N calls of a method with 429 and the given retry_after', async () => {
    server.sandbox.injectFault({ method: 'sendMessage', kind: 'rate_limit', retryAfter: 7, times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await call('sendMessage', { chat_id: chatId, text: 'x' })).body).toEqual({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
    }
    expect((await call('sendMessage', { chat_id: chatId, text: 'x' })).status).toBe(200);
    expect(server.sandbox.listMessages(chatId)).toHaveLength(1);
  });

  it('answers 500 in the envelope, or 502 as an HTML proxy page', async () => {
    server.sandbox.injectFault({ method: 'getMe', kind: 'server_error' });
    expect(await call('getMe')).toMatchObject({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } });
    server.sandbox.injectFault({ method: 'getme', kind: 'bad_gateway' });
    const gateway = await call('getMe');
    expect(gateway.status).toBe(502);
    expect(gateway.text).toContain('502 Bad Gateway');
  });

  it('can fail after the call took effect: the message is posted although the client saw a 500', async () => {
    server.sandbox.injectFault({ method: 'sendMessage', kind: 'server_error', afterEffect: true });
    expect((await call('sendMessage', { chat_id: chatId, text: 'did it post?' })).status).toBe(500);
    expect(server.sandbox.listMessages(chatId).map((message) => message.text)).toEqual(['did it post?']);
  });

  it('can drop the connection', async () => {
    server.sandbox.injectFault({ method: 'getMe', kind: 'drop_connection' });
    await expect(call('getMe')).rejects.toThrow();
    expect((await call('getMe')).status).toBe(200);
  });
});

describe('control routes', () => {
  it('drives the sandbox over HTTP', async () => {
    const control = (path: string, method: string, body?: object) =>
      fetch(`${server.url}/control/telegram${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
    const bot = await readJson(await control('/bots', 'POST', { username: 'demo_bot' }));
    expect(bot.token).toMatch(/^\d+:[\w-]{35}$/);
    const user = await readJson(await control('/users', 'POST', { firstName: 'Bob' }));
    const channel = await readJson(await control('/channels', 'POST', { title: 'Demo', username: 'demo_channel', memberCount: 10, ownerUserId: user.id }));
    await control(`/channels/${channel.id}/admins/${bot.id}`, 'PUT', { canPostMessages: true, canDeleteMessages: true });
    const post = await readJson(await control('/channels/@demo_channel/messages', 'POST', { userId: user.id, text: 'by Bob' }));
    await control(`/channels/${channel.id}/messages/${post.message_id}`, 'PATCH', { text: 'by Bob, edited' });
    const listed = await readJson(await control(`/channels/${channel.id}/messages`, 'GET'));
    expect(listed.messages.map((message: any) => message.text)).toEqual(['by Bob, edited']);
    expect((await control(`/channels/${channel.id}/messages/${post.message_id}`, 'DELETE')).status).toBe(204);
    const patched = await readJson(await control(`/channels/${channel.id}`, 'PATCH', { description: 'code PLC-9', memberCount: 99 }));
    expect(patched).toMatchObject({ description: 'code PLC-9', memberCount: 99, admins: [{ memberId: bot.id, canPostMessages: true }] });
    expect((await control('/faults', 'POST', { method: 'getMe', kind: 'rate_limit', retryAfter: 1 })).status).toBe(204);
    expect((await control('/limits', 'PUT', { enabled: false })).status).toBe(200);
    const missing = await control('/channels/@nope_nope', 'GET');
    expect(missing.status).toBe(404);
    expect(await readJson(missing)).toEqual({ error: { code: 'channel_not_found', message: 'no channel @nope_nope' } });
    expect((await control('/reset', 'POST')).status).toBe(204);
  });
});
