import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramSandbox, type RunningTelegramSandbox } from './index';

let server: RunningTelegramSandbox;
const readJson = (response: Response): Promise<any> => response.json();
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
  server = await startTelegramSandbox({ rateLimits: false });
});
afterAll(() => server.close());
beforeEach(() => {
  server.sandbox.reset();
  server.sandbox.setRateLimits({ enabled: false });
  ({ token, id: botId } = server.sandbox.createBot({ username: 'placard_bot' }));
});

function channelWithBot(rights: { canPostMessages?: boolean; canEditMessages?: boolean; canDeleteMessages?: boolean } = {}) {
  const channel = server.sandbox.createChannel({ title: 'Crypto Daily', username: 'cryptodaily', description: 'News. code PLC-1', memberCount: 1234 });
  server.sandbox.setAdmin(channel.id, botId, rights);
  return channel;
}

describe('envelope and routing', () => {
  it('answers getMe with the User of the bot', async () => {
    const { status, body } = await call('getMe');
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      result: expect.objectContaining({ id: botId, is_bot: true, username: 'placard_bot', first_name: expect.any(String) }),
    });
  });

  it('refuses an unknown token with 401 Unauthorized', async () => {
    const { status, body } = await call('getMe', {}, '123:nope');
    expect(status).toBe(401);
    expect(body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('answers an unknown method with 404 Not Found', async () => {
    const { status, body } = await call('sendTelepathy');
    expect(status).toBe(404);
    expect(body).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('takes method names in any case, and parameters from GET query strings and forms', async () => {
    const channel = channelWithBot();
    const viaGet = await fetch(`${server.url}/bot${token}/GETCHAT?chat_id=${channel.id}`);
    expect((await readJson(viaGet)).result.title).toBe('Crypto Daily');

    const form = new URLSearchParams({
      chat_id: '@cryptodaily',
      text: 'hello',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Open', url: 'https://example.com' }]] }),
    });
    const viaForm = await fetch(`${server.url}/bot${token}/sendmessage`, { method: 'POST', body: form });
    const sent = await readJson(viaForm);
    expect(sent.ok).toBe(true);
    expect(sent.result.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Open', url: 'https://example.com' }]] });
  });

  it('accepts multipart requests with an uploaded photo', async () => {
    const channel = channelWithBot();
    const form = new FormData();
    form.set('chat_id', String(channel.id));
    form.set('caption', 'from a file');
    form.set('photo', new Blob([Buffer.from('not really a jpeg')]), 'photo.jpg');
    const response = await fetch(`${server.url}/bot${token}/sendPhoto`, { method: 'POST', body: form });
    const body = await readJson(response);
    expect(body.ok).toBe(true);
    expect(body.result.caption).toBe('from a file');
    expect(body.result.photo.length).toBeGreaterThan(0);
  });
});

describe('chats and members', () => {
  it('describes a channel with ChatFullInfo, by id or @username, dates and ids as numbers', async () => {
    const channel = channelWithBot();
    const { body } = await call('getChat', { chat_id: '@CryptoDaily' });
    expect(body.result).toMatchObject({ id: channel.id, type: 'channel', title: 'Crypto Daily', username: 'cryptodaily', description: 'News. code PLC-1' });
    expect(String(body.result.id)).toMatch(/^-100\d{10}$/);
    expect((await call('getChatMemberCount', { chat_id: channel.id })).body.result).toBe(1234);
  });

  it('says chat not found for unknown chats and for private channels the bot is not in', async () => {
    expect((await call('getChat', { chat_id: '@nobody_here' })).body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    const secret = server.sandbox.createChannel({ title: 'Private' });
    expect((await call('getChat', { chat_id: secret.id })).body.description).toBe('Bad Request: chat not found');
  });

  it('lets a bot read its own membership but not the member list before it is an admin', async () => {
    const channel = server.sandbox.createChannel({ title: 'Public', username: 'public_channel' });
    expect((await call('getChatMember', { chat_id: channel.id, user_id: botId })).body.result).toMatchObject({ status: 'left' });
    expect((await call('getChatAdministrators', { chat_id: channel.id })).body.description).toBe('Bad Request: member list is inaccessible');

    server.sandbox.setAdmin(channel.id, botId, { canPostMessages: true, canDeleteMessages: true });
    const member = (await call('getChatMember', { chat_id: channel.id, user_id: botId })).body.result;
    expect(member).toMatchObject({ status: 'administrator', can_post_messages: true, can_delete_messages: true, can_edit_messages: false });
    const admins = (await call('getChatAdministrators', { chat_id: channel.id })).body.result;
    expect(admins.map((admin: any) => admin.status)).toEqual(['creator', 'administrator']);
  });
});

describe('sending', () => {
  it('refuses to post unless the bot is an admin with can_post_messages', async () => {
    const channel = server.sandbox.createChannel({ title: 'Public', username: 'public_channel' });
    expect(await call('sendMessage', { chat_id: channel.id, text: 'hi' })).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' },
    });
    server.sandbox.setAdmin(channel.id, botId, { canPostMessages: false, canEditMessages: true });
    expect((await call('sendMessage', { chat_id: channel.id, text: 'hi' })).body.description).toBe(
      'Bad Request: need administrator rights in the channel chat',
    );
  });

  it('posts a channel message shaped as the docs say', async () => {
    const channel = channelWithBot();
    const before = Math.floor(Date.now() / 1000);
    const { body } = await call('sendMessage', {
      chat_id: channel.id,
      text: '<b>Big</b> news &amp; more',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(body.result).toMatchObject({
      message_id: 1,
      chat: { id: channel.id, type: 'channel', title: 'Crypto Daily', username: 'cryptodaily' },
      sender_chat: { id: channel.id, type: 'channel' },
      text: 'Big news & more',
      entities: [{ type: 'bold', offset: 0, length: 3 }],
      link_preview_options: { is_disabled: true },
    });
    expect(body.result.from).toBeUndefined();
    expect(body.result.date).toBeGreaterThanOrEqual(before);
    expect(body.result.date).toBeLessThan(10_000_000_000); // seconds, not milliseconds
  });

  it('checks text: empty, too long after parsing, bad markup', async () => {
    const channel = channelWithBot();
    expect((await call('sendMessage', { chat_id: channel.id, text: '  ' })).body.description).toBe('Bad Request: message text is empty');
    expect((await call('sendMessage', { chat_id: channel.id })).body.description).toBe('Bad Request: message text is empty');
    expect((await call('sendMessage', { chat_id: channel.id, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    // 4096 characters once the tags are gone is fine
    const tagged = `<b>${'x'.repeat(4096)}</b>`;
    expect((await call('sendMessage', { chat_id: channel.id, text: tagged, parse_mode: 'HTML' })).body.ok).toBe(true);
    const badHtml = await call('sendMessage', { chat_id: channel.id, text: '<blink>hi</blink>', parse_mode: 'HTML' });
    expect(badHtml.body.description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "blink"/);
    const badMarkdown = await call('sendMessage', { chat_id: channel.id, text: 'Price 5.00!', parse_mode: 'MarkdownV2' });
    expect(badMarkdown.body.description).toBe("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
  });

  it('sends photos by URL with a caption of at most 1024 characters, and reuses file_ids', async () => {
    const channel = channelWithBot();
    const { body } = await call('sendPhoto', { chat_id: channel.id, photo: 'https://cdn.example.com/a.jpg', caption: '*Ad*', parse_mode: 'MarkdownV2' });
    expect(body.result).toMatchObject({ caption: 'Ad', caption_entities: [{ type: 'bold', offset: 0, length: 2 }] });
    const fileId = body.result.photo.at(-1).file_id;
    expect((await call('sendPhoto', { chat_id: channel.id, photo: fileId })).body.ok).toBe(true);
    expect((await call('sendPhoto', { chat_id: channel.id, photo: 'nonsense' })).body.description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
    expect((await call('sendPhoto', { chat_id: channel.id, photo: 'https://x.example.com/a.jpg', caption: 'c'.repeat(1025) })).body.description).toBe(
      'Bad Request: message caption is too long',
    );
  });

  it('copies, forwards, edits, pins and deletes with the documented errors', async () => {
    const channel = channelWithBot({ canPostMessages: true, canEditMessages: true, canDeleteMessages: true });
    const audit = server.sandbox.createChannel({ title: 'Audit' });
    server.sandbox.setAdmin(audit.id, botId);
    const post = (await call('sendMessage', { chat_id: channel.id, text: 'original' })).body.result;

    const copy = await call('copyMessage', { chat_id: audit.id, from_chat_id: channel.id, message_id: post.message_id });
    expect(copy.body).toEqual({ ok: true, result: { message_id: 1 } });
    const forward = await call('forwardMessage', { chat_id: audit.id, from_chat_id: channel.id, message_id: post.message_id });
    expect(forward.body.result.forward_origin).toMatchObject({ type: 'channel', message_id: post.message_id, chat: { id: channel.id } });

    const unchanged = await call('editMessageText', { chat_id: channel.id, message_id: post.message_id, text: 'original' });
    expect(unchanged.body.description).toMatch(/^Bad Request: message is not modified: /);
    const edited = await call('editMessageText', { chat_id: channel.id, message_id: post.message_id, text: 'changed' });
    expect(edited.body.result).toMatchObject({ text: 'changed', edit_date: expect.any(Number) });

    expect((await call('pinChatMessage', { chat_id: channel.id, message_id: post.message_id })).body.result).toBe(true);
    expect((await call('getChat', { chat_id: channel.id })).body.result.pinned_message.message_id).toBe(post.message_id);

    expect((await call('deleteMessage', { chat_id: channel.id, message_id: post.message_id })).body).toEqual({ ok: true, result: true });
    expect((await call('deleteMessage', { chat_id: channel.id, message_id: post.message_id })).body.description).toBe('Bad Request: message to delete not found');
    expect((await call('copyMessage', { chat_id: audit.id, from_chat_id: channel.id, message_id: post.message_id })).body.description).toBe(
      'Bad Request: message to copy not found',
    );
    expect((await call('editMessageText', { chat_id: channel.id, message_id: post.message_id, text: 'x' })).body.description).toBe(
      'Bad Request: message to edit not found',
    );
  });

  it("needs can_delete_messages to delete someone else's post", async () => {
    const channel = channelWithBot({ canPostMessages: true });
    const owner = channel.creatorId;
    const human = server.sandbox.postAsAdmin(channel.id, owner, { text: 'by a person' });
    expect((await call('deleteMessage', { chat_id: channel.id, message_id: human.message_id })).body.description).toBe(
      "Bad Request: message can't be deleted",
    );
  });

  it('lists what the channel shows now, edits included and deletions gone', async () => {
    const channel = channelWithBot();
    const first = server.sandbox.postAsAdmin(channel.id, channel.creatorId, { text: 'one' });
    server.sandbox.postAsAdmin(channel.id, channel.creatorId, { text: 'two' });
    server.sandbox.editAsAdmin(channel.id, first.message_id as number, { text: 'one, edited' });
    server.sandbox.deleteAsAdmin(channel.id, 2);
    expect(server.sandbox.listMessages(channel.id).map((message) => message.text)).toEqual(['one, edited']);
  });
});
