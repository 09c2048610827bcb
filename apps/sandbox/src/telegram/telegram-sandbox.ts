import type { FastifyInstance } from 'fastify';
import { registerBotApiRoutes } from './bot-api-routes';
import { registerControlRoutes } from './control-routes';
import { FaultInjector, type FaultSpec } from './faults';
import { formatText } from './formatting';
import { RateLimits, type RateLimitSettings } from './rate-limits';
import type { AdminRights, MessageEntity, SandboxChannel, StoredMessage } from './sandbox-model';
import { SandboxState } from './sandbox-state';
import { UpdateDelivery } from './update-delivery';
import { messageObject } from './wire-objects';

export interface TelegramSandboxOptions {
  /** flood limits on at start; default true */
  rateLimits?: boolean;
  /** first wait after a failed webhook delivery, doubling up to 60 s; default 1000 */
  webhookRetryMs?: number;
}

export class SandboxControlError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CreatedBot {
  id: number;
  username: string;
  token: string;
}

export interface ChannelSettings {
  title: string;
  username?: string;
  description?: string;
  memberCount?: number;
  /** "Sign messages": posts carry author_signature */
  signatures?: boolean;
  /** a human creator; created when absent */
  ownerUserId?: number;
}

export interface ChannelView {
  id: number;
  title: string;
  username: string | null;
  description: string;
  memberCount: number;
  signatures: boolean;
  creatorId: number;
  admins: Array<{ memberId: number; isBot: boolean } & AdminRights>;
}

export interface HumanPost {
  text: string;
  entities?: MessageEntity[];
  parseMode?: 'HTML' | 'MarkdownV2';
  /** the signature shown when the channel signs messages; defaults to the author's name */
  signature?: string;
}

/**
 * A Telegram Bot API server for development and tests, holding all state in memory.
 * `register(app)` mounts the Bot API at /bot<token>/<method> and the control API at /control/telegram;
 * the methods below are the same control API for in-process use.
 */
export class TelegramSandbox {
  readonly limits = new RateLimits();
  readonly faults = new FaultInjector();
  private readonly delivery: UpdateDelivery;
  private readonly state: SandboxState;

  constructor(private readonly options: TelegramSandboxOptions = {}) {
    this.delivery = new UpdateDelivery({ webhookRetryMs: options.webhookRetryMs ?? 1000, webhookTimeoutMs: 10_000 });
    this.state = new SandboxState(this.delivery);
    this.limits.settings.enabled = options.rateLimits ?? true;
  }

  register(app: FastifyInstance): void {
    app.register(async (scope) => registerBotApiRoutes(scope, this.state, this.delivery, this.limits, this.faults));
    app.register(async (scope) => registerControlRoutes(scope, this), { prefix: '/control/telegram' });
  }

  createBot(input: { username?: string; firstName?: string } = {}): CreatedBot {
    const number = this.state.bots.size + 1;
    const username = input.username?.replace(/^@/, '') ?? `placard_test_${number}_bot`;
    if (!/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(username) || !/bot$/i.test(username)) {
      throw new SandboxControlError(400, 'invalid_username', 'a bot username is 5-32 letters, digits or _ and ends in "bot"');
    }
    const bot = this.state.addBot(input.firstName ?? 'Placard Test Bot', username);
    return { id: bot.id, username: bot.username, token: bot.token };
  }

  createUser(input: { firstName?: string; lastName?: string; username?: string } = {}): { id: number } {
    return { id: this.state.addUser(input.firstName ?? 'Test', input.lastName, input.username).id };
  }

  createChannel(settings: ChannelSettings): ChannelView {
    if (!settings.title?.trim()) throw new SandboxControlError(400, 'invalid_title', 'a channel needs a title');
    const username = settings.username?.replace(/^@/, '') || undefined;
    if (username !== undefined) this.assertUsernameFree(username);
    const creatorId = settings.ownerUserId ?? this.state.addUser('Channel', 'Owner').id;
    if (!this.state.users.has(creatorId)) throw new SandboxControlError(404, 'user_not_found', `no user ${creatorId}`);
    const channel = this.state.addChannel({
      title: settings.title,
      username,
      description: settings.description ?? '',
      memberCount: settings.memberCount ?? 0,
      signMessages: settings.signatures ?? false,
      creatorId,
    });
    return this.describeChannel(channel);
  }

  getChannel(chat: number | string): ChannelView {
    return this.describeChannel(this.channel(chat));
  }

  updateChannel(
    chat: number | string,
    changes: Partial<Pick<ChannelSettings, 'title' | 'username' | 'description' | 'memberCount' | 'signatures'>>,
  ): ChannelView {
    const channel = this.channel(chat);
    if (changes.username !== undefined) {
      const username = changes.username.replace(/^@/, '') || undefined;
      if (username && username.toLowerCase() !== channel.username?.toLowerCase()) this.assertUsernameFree(username);
      channel.username = username;
    }
    if (changes.title !== undefined) channel.title = changes.title;
    if (changes.description !== undefined) channel.description = changes.description;
    if (changes.memberCount !== undefined) channel.memberCount = changes.memberCount;
    if (changes.signatures !== undefined) channel.signMessages = changes.signatures;
    return this.describeChannel(channel);
  }

  /** Makes a bot or a user an administrator (or changes its rights). */
  setAdmin(chat: number | string, memberId: number, rights: Partial<AdminRights> = {}): ChannelView {
    const channel = this.channel(chat);
    if (!this.state.member(memberId)) throw new SandboxControlError(404, 'member_not_found', `no bot or user ${memberId}`);
    channel.admins.set(memberId, {
      canPostMessages: rights.canPostMessages ?? true,
      canEditMessages: rights.canEditMessages ?? false,
      canDeleteMessages: rights.canDeleteMessages ?? false,
    });
    return this.describeChannel(channel);
  }

  removeAdmin(chat: number | string, memberId: number): ChannelView {
    const channel = this.channel(chat);
    channel.admins.delete(memberId);
    return this.describeChannel(channel);
  }

  /** A post by a human administrator (or the creator): bots administering the channel get channel_post. */
  postAsAdmin(chat: number | string, userId: number, post: HumanPost): Record<string, unknown> {
    const channel = this.channel(chat);
    const author = this.humanWhoMay(channel, userId, 'canPostMessages');
    const { text, entities } = formatText(post.text, post.parseMode, post.entities, this.state.mentionedUser);
    if (!text.trim()) throw new SandboxControlError(400, 'empty_text', 'a post needs text');
    const message = this.state.addMessage(channel, {
      authorId: author.id,
      authorSignature: this.state.signatureFor(channel, author, post.signature),
      text,
      entities,
    });
    this.state.announce(channel, 'channel_post', message, author.id);
    return messageObject(channel, message);
  }

  /** An edit by a human administrator: bots get edited_channel_post with edit_date. */
  editAsAdmin(chat: number | string, messageId: number, edit: Omit<HumanPost, 'signature'>, userId?: number): Record<string, unknown> {
    const channel = this.channel(chat);
    const author = this.humanWhoMay(channel, userId ?? channel.creatorId, 'canEditMessages');
    const message = this.message(channel, messageId);
    const { text, entities } = formatText(edit.text, edit.parseMode, edit.entities, this.state.mentionedUser);
    if (message.photo) Object.assign(message, { caption: text, captionEntities: entities });
    else Object.assign(message, { text, entities });
    message.editDate = Math.floor(Date.now() / 1000);
    this.state.announce(channel, 'edited_channel_post', message, author.id);
    return messageObject(channel, message);
  }

  /** A deletion by a human administrator: as on Telegram, bots get no update about it. */
  deleteAsAdmin(chat: number | string, messageId: number): void {
    const channel = this.channel(chat);
    this.message(channel, messageId);
    channel.messages.delete(messageId);
    if (channel.pinnedMessageId === messageId) channel.pinnedMessageId = undefined;
  }

  /** What a subscriber would see now: the channel's messages in order, as Message objects. */
  listMessages(chat: number | string): Array<Record<string, unknown>> {
    const channel = this.channel(chat);
    return [...channel.messages.values()].map((message) => messageObject(channel, message));
  }

  injectFault(fault: FaultSpec): void {
    const kinds = ['rate_limit', 'server_error', 'bad_gateway', 'drop_connection'];
    if (!fault?.method || !kinds.includes(fault.kind)) {
      throw new SandboxControlError(400, 'invalid_fault', `a fault needs a method and a kind among ${kinds.join(', ')}`);
    }
    this.faults.inject(fault);
  }

  setRateLimits(settings: Partial<RateLimitSettings>): RateLimitSettings {
    Object.assign(this.limits.settings, settings);
    return { ...this.limits.settings };
  }

  /** Forgets everything: bots, users, channels, updates, faults; limits back to their start setting. */
  reset(): void {
    this.delivery.stopAll();
    this.state.clear();
    this.faults.clear();
    this.limits.reset();
    this.limits.settings.enabled = this.options.rateLimits ?? true;
  }

  /** Ends long polls and webhook loops so the HTTP server can close at once. */
  shutdown(): void {
    this.delivery.stopAll();
  }

  private channel(chat: number | string): SandboxChannel {
    const reference = typeof chat === 'string' && /^-?\d+$/.test(chat) ? Number(chat) : chat;
    const channel = this.state.findChannel(reference);
    if (!channel) throw new SandboxControlError(404, 'channel_not_found', `no channel ${chat}`);
    return channel;
  }

  private message(channel: SandboxChannel, messageId: number): StoredMessage {
    const message = channel.messages.get(Number(messageId));
    if (!message) throw new SandboxControlError(404, 'message_not_found', `no message ${messageId} in ${channel.id}`);
    return message;
  }

  private humanWhoMay(channel: SandboxChannel, userId: number, right: keyof AdminRights) {
    const user = this.state.users.get(Number(userId));
    if (!user) throw new SandboxControlError(404, 'user_not_found', `no user ${userId}`);
    const allowed = channel.creatorId === user.id || channel.admins.get(user.id)?.[right];
    if (!allowed) throw new SandboxControlError(400, 'not_allowed', `user ${userId} lacks ${right} in ${channel.id}`);
    return user;
  }

  private assertUsernameFree(username: string): void {
    if (!/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(username)) {
      throw new SandboxControlError(400, 'invalid_username', 'a username is 5-32 letters, digits or _, starting with a letter');
    }
    if (this.state.findChannel(username)) throw new SandboxControlError(400, 'username_taken', `@${username} is taken`);
  }

  private describeChannel(channel: SandboxChannel): ChannelView {
    return {
      id: channel.id,
      title: channel.title,
      username: channel.username ?? null,
      description: channel.description,
      memberCount: channel.memberCount,
      signatures: channel.signMessages,
      creatorId: channel.creatorId,
      admins: [...channel.admins].map(([memberId, rights]) => ({
        memberId,
        isBot: this.state.bots.has(memberId),
        ...rights,
      })),
    };
  }
}
