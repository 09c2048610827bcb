import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// the spec drives the adapter against the Bot API test server over real HTTP; only the spec imports it
import { startTelegramSandbox, type RunningTelegramSandbox } from '../../../apps/sandbox/src/telegram';
import { PlatformError, TelegramAdapter, type PlatformAdapter } from '../index';

let server: RunningTelegramSandbox;
let token: string;
let botId: number;
let auditChatId: number;
let warnings: Array<{ message: string; context?: object }>;
let adapter: PlatformAdapter;

beforeAll(async () => {
  server = await startTelegramSandbox({ rateLimits: false });
});
afterAll(() => server.close());
beforeEach(() => {
  server.sandbox.reset();
  server.sandbox.setRateLimits({ enabled: false });
  ({ token, id: botId } = server.sandbox.createBot({ username: 'placard_bot' }));
  auditChatId = server.sandbox.createChannel({ title: 'Placard audit' }).id;
  server.sandbox.setAdmin(auditChatId, botId, { canPostMessages: true });
  warnings = [];
  adapter = new TelegramAdapter({
    apiRoot: server.url,
    botToken: token,
    auditChatIds: [String(auditChatId)],
    logger: { warn: (message, context) => warnings.push({ message, context }) },
    retry: { retryDelayMs: 10 },
  });
});

function channel(rights?: { canPostMessages?: boolean; canDeleteMessages?: boolean }, description = 'Daily crypto news') {
  const created = server.sandbox.createChannel({ title: 'Crypto Daily', username: 'cryptodaily', description, memberCount: 5321 });
  if (rights) server.sandbox.setAdmin(created.id, botId, rights);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a PlatformError');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

describe('inspectChannel', () => {
  it('reads a channel where the bot is not an admin', async () => {
    const created = channel();
    expect(await adapter.inspectChannel('@cryptodaily')).toEqual({
      chatId: String(created.id),
      title: 'Crypto Daily',
      username: 'cryptodaily',
      description: 'Daily crypto news',
      subscribers: 5321,
      botIsAdmin: false,
      botCanPost: false,
      botCanDelete: false,
    });
  });

  it('tells an admin without the right to post from one with it, by id or username', async () => {
    const created = channel({ canPostMessages: false, canDeleteMessages: true });
    expect(await adapter.inspectChannel(String(created.id))).toMatchObject({ botIsAdmin: true, botCanPost: false, botCanDelete: true });
    server.sandbox.setAdmin(created.id, botId, { canPostMessages: true });
    expect(await adapter.inspectChannel('cryptodaily')).toMatchObject({ botIsAdmin: true, botCanPost: true, botCanDelete: false });
  });

  it('returns the description as is, so the caller can look for its code', async () => {
    channel({ canPostMessages: true }, 'News daily. Placard: PLC-7QX2');
    expect((await adapter.inspectChannel('@cryptodaily')).description).toContain('PLC-7QX2');
  });

  it('fails with chat_not_found for unknown chats and private channels the bot is not in', async () => {
    expect((await failure(adapter.inspectChannel('@no_such_channel'))).code).toBe('chat_not_found');
    const hidden = server.sandbox.createChannel({ title: 'Hidden' });
    const error = await failure(adapter.inspectChannel(String(hidden.id)));
    expect(error).toMatchObject({ code: 'chat_not_found', retryable: false });
  });

  it('repeats reads after a 5xx', async () => {
    channel();
    server.sandbox.injectFault({ method: 'getChat', kind: 'server_error' });
    server.sandbox.injectFault({ method: 'getChatMemberCount', kind: 'bad_gateway' });
    expect((await adapter.inspectChannel('@cryptodaily')).subscribers).toBe(5321);
  });

  it('fails with unauthorized for a wrong token, without the token in the error', async () => {
    const secretToken = '999:this-token-must-never-appear-anywhere';
    const wrong = new TelegramAdapter({ apiRoot: server.url, botToken: secretToken });
    const error = await failure(wrong.inspectChannel('@cryptodaily'));
    expect(error.code).toBe('unauthorized');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('this-token-must-never-appear');
  });
});

describe('publish', () => {
  it('posts text with formatting and link buttons', async () => {
    const created = channel({ canPostMessages: true });
    const sent = await adapter.publish(String(created.id), {
      text: '<b>Sale</b> #ad by Acme',
      parseMode: 'HTML',
      buttons: [
        { text: 'Shop', url: 'https://acme.example/shop' },
        { text: 'About', url: 'https://acme.example/about' },
      ],
    });
    expect(sent.messageId).toBe(1);
    expect(sent.date).toBeInstanceOf(Date);
    const [message] = server.sandbox.listMessages(created.id);
    expect(message).toMatchObject({
      text: 'Sale #ad by Acme',
      entities: [{ type: 'bold', offset: 0, length: 4 }],
      reply_markup: {
        inline_keyboard: [[{ text: 'Shop', url: 'https://acme.example/shop' }], [{ text: 'About', url: 'https://acme.example/about' }]],
      },
    });
  });

  it('posts a photo with the text as its caption', async () => {
    const created = channel({ canPostMessages: true });
    await adapter.publish('@cryptodaily', {
      text: 'Look #ad',
      entities: [{ type: 'italic', offset: 0, length: 4 }],
      imageUrl: 'https://cdn.acme.example/banner.jpg',
    });
    const [message] = server.sandbox.listMessages(created.id);
    expect(message).toMatchObject({ caption: 'Look #ad', caption_entities: [{ type: 'italic', offset: 0, length: 4 }] });
    expect(message.photo).toBeDefined();
  });

  it('maps refusals to codes', async () => {
    const created = channel({ canPostMessages: false });
    expect((await failure(adapter.publish(String(created.id), { text: 'x' }))).code).toBe('not_enough_rights');
    server.sandbox.removeAdmin(created.id, botId);
    expect((await failure(adapter.publish(String(created.id), { text: 'x' }))).code).toBe('bot_not_member');
    server.sandbox.setAdmin(created.id, botId, { canPostMessages: true });
    expect((await failure(adapter.publish(String(created.id), { text: 'x'.repeat(5000) }))).code).toBe('message_too_long');
  });

  it('waits out a 429 and then posts once', async () => {
    const created = channel({ canPostMessages: true });
    server.sandbox.injectFault({ method: 'sendMessage', kind: 'rate_limit', retryAfter: 1 });
    await adapter.publish(String(created.id), { text: 'patient' });
    expect(server.sandbox.listMessages(created.id)).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ context: expect.objectContaining({ method: 'sendMessage', retryAfterSeconds: 1 }) })]);
  });

  it('never repeats a send that hit a 500: the outcome is unknown', async () => {
    const created = channel({ canPostMessages: true });
    server.sandbox.injectFault({ method: 'sendMessage', kind: 'server_error', times: 1 });
    const error = await failure(adapter.publish(String(created.id), { text: 'once at most' }));
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: false });
    // a repeat would have succeeded (the fault was for one call only), so nothing posted means no repeat
    expect(server.sandbox.listMessages(created.id)).toHaveLength(0);
  });

  it('reports outcome_unknown when the send did happen before the failure, and leaves one post', async () => {
    const created = channel({ canPostMessages: true });
    server.sandbox.injectFault({ method: 'sendPhoto', kind: 'drop_connection', afterEffect: true });
    const error = await failure(adapter.publish(String(created.id), { text: 'did it?', imageUrl: 'https://cdn.acme.example/a.jpg' }));
    expect(error.code).toBe('outcome_unknown');
    expect(server.sandbox.listMessages(created.id)).toHaveLength(1);
  });

  it('says network_error (retryable) when the server cannot be reached at all', async () => {
    const closed = await startTelegramSandbox();
    const apiRoot = closed.url;
    await closed.close();
    const unreachable = new TelegramAdapter({ apiRoot, botToken: token, retry: { retryDelayMs: 1 } });
    expect(await failure(unreachable.publish('@cryptodaily', { text: 'x' }))).toMatchObject({ code: 'network_error', retryable: true });
  });
});

describe('postExists', () => {
  it('is true while the post is up, false once it is deleted, and leaves no copies behind', async () => {
    const created = channel({ canPostMessages: true });
    const { messageId } = await adapter.publish(String(created.id), { text: 'ad' });
    expect(await adapter.postExists(String(created.id), messageId)).toBe(true);
    expect(server.sandbox.listMessages(auditChatId)).toHaveLength(0);

    server.sandbox.deleteAsAdmin(created.id, messageId);
    expect(await adapter.postExists(String(created.id), messageId)).toBe(false);
  });

  it('spreads checks over several audit chats, so each stays inside its per-chat limit without waiting', async () => {
    const secondAudit = server.sandbox.createChannel({ title: 'Placard audit 2' }).id;
    server.sandbox.setAdmin(secondAudit, botId, { canPostMessages: true });
    const created = channel({ canPostMessages: true });
    const { messageId } = await adapter.publish(String(created.id), { text: 'ad' });
    // two copies a minute per chat: a third check in one chat would wait a minute
    const spread = new TelegramAdapter({
      apiRoot: server.url,
      botToken: token,
      auditChatIds: [String(auditChatId), String(secondAudit)],
      limits: { perChatPerMinute: 2, perBotPerSecond: 1000 },
    });
    for (let i = 0; i < 4; i++) expect(await spread.postExists(String(created.id), messageId)).toBe(true);
    // each audit chat received two copies (and deleted them): the next message in each is number 3
    const human = server.sandbox.createUser({ firstName: 'Auditor' }).id;
    for (const audit of [auditChatId, secondAudit]) {
      server.sandbox.setAdmin(audit, human, { canPostMessages: true });
      expect(server.sandbox.postAsAdmin(audit, human, { text: 'probe' }).message_id).toBe(3);
    }
    // updates from audit chats are never taken for channel content
    const page = await spread.getUpdates(0, 0);
    expect(page.contents.filter((content) => [String(auditChatId), String(secondAudit)].includes(content.chatId))).toEqual([]);
  }, 10_000);

  it('needs an audit chat', async () => {
    const withoutAudit = new TelegramAdapter({ apiRoot: server.url, botToken: token });
    expect((await failure(withoutAudit.postExists('@cryptodaily', 1))).code).toBe('not_configured');
  });
});

describe('updates', () => {
  it('turns posts and edits into content without signatures, and confirms by offset', async () => {
    const author = server.sandbox.createUser({ firstName: 'Zebediah', lastName: 'Quill' });
    const created = server.sandbox.createChannel({ title: 'Signed', username: 'signed_one', signatures: true, ownerUserId: author.id });
    server.sandbox.setAdmin(created.id, botId, { canPostMessages: true });
    const post = server.sandbox.postAsAdmin(created.id, author.id, { text: 'Bitcoin <b>up</b>', parseMode: 'HTML', signature: 'Zebediah Quill' });
    server.sandbox.editAsAdmin(created.id, post.message_id as number, { text: 'Bitcoin down' });
    // our own audit copies land in the audit chat; they are not channel content
    await adapter.postExists(String(created.id), post.message_id as number);

    const page = await adapter.getUpdates(0, 0);
    expect(page.contents.map((content) => [content.kind, content.text])).toEqual([
      ['post', 'Bitcoin up'],
      ['edit', 'Bitcoin down'],
    ]);
    expect(page.contents[1].editDate).toBeInstanceOf(Date);
    expect(JSON.stringify(page)).not.toMatch(/Zebediah|Quill/);

    const next = await adapter.getUpdates(page.nextOffset, 0);
    expect(next).toEqual({ nextOffset: page.nextOffset, contents: [] });
  });

  it('asks Telegram for channel posts and their edits only, by polling and by webhook (no update type that carries a person)', async () => {
    const subscribed = async () => (await fetch(`${server.url}/bot${token}/getWebhookInfo`).then((response): Promise<any> => response.json())).result.allowed_updates;
    expect(await subscribed()).toBeUndefined(); // Telegram's default: every type but a few
    await adapter.getUpdates(0, 0);
    expect(await subscribed()).toEqual(['channel_post', 'edited_channel_post']);
    server.sandbox.reset();
    ({ token } = server.sandbox.createBot({ username: 'placard_bot' }));
    const hooked = new TelegramAdapter({ apiRoot: server.url, botToken: token, auditChatIds: [String(auditChatId)], retry: { retryDelayMs: 10 } });
    await hooked.setWebhook('http://127.0.0.1:1/telegram/webhook', 'hook_secret');
    expect(await subscribed()).toEqual(['channel_post', 'edited_channel_post']);
  });

  it('sets and deletes the webhook', async () => {
    await adapter.setWebhook('http://127.0.0.1:1/telegram/webhook', 'hook_secret');
    const info = await fetch(`${server.url}/bot${token}/getWebhookInfo`).then((response): Promise<any> => response.json());
    expect(info.result.url).toBe('http://127.0.0.1:1/telegram/webhook');
    expect((await failure(adapter.getUpdates(0, 0))).code).toBe('conflict');
    await adapter.deleteWebhook();
    expect((await adapter.getUpdates(0, 0)).contents).toEqual([]);
  });
});

describe('flood limits', () => {
  it("reports the server's 429 as retryable rate_limited once it may wait no more", async () => {
    server.sandbox.setRateLimits({ enabled: true, perChatPerMinute: 2 });
    const created = channel({ canPostMessages: true });
    // client limits off and no waiting allowed: the sandbox's own limit answers the third post
    const impatient = new TelegramAdapter({ apiRoot: server.url, botToken: token, limits: false, retry: { maxRateLimitWaits: 0 } });
    await impatient.publish(String(created.id), { text: 'one' });
    await impatient.publish(String(created.id), { text: 'two' });
    const error = await failure(impatient.publish(String(created.id), { text: 'three' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, details: { retryAfterSeconds: expect.any(Number) } });
  });
});
