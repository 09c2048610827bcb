import { randomBytes } from 'node:crypto';
import { Errors } from './bot-api-error';
import type { UpdateDelivery } from './update-delivery';
import { emptyUpdateQueue } from './update-delivery';
import type { AdminRights, PhotoSize, SandboxBot, SandboxChannel, SandboxMember, SandboxUser, StoredMessage } from './sandbox-model';
import { messageObject, userObject } from './wire-objects';

const FIRST_USER_ID = 100_000_001;
const FIRST_BOT_ID = 7_000_000_001;
/**
 * Channel ids are -100 followed by the channel's own id, as the Bot API shows them. Like Telegram's,
 * they and update ids never repeat across sandbox restarts: a database or an updates offset kept
 * from an earlier `npm run dev` must not meet the same ids again for other chats.
 */
const startedAt = (): number => Math.floor(Date.now() / 1000);
const firstChannelNumber = (): number => 1_000_000_001 + (startedAt() % 8_000_000) * 1000;
const firstUpdateId = (): number => startedAt() * 1000 + 1;

/** Everything the sandbox knows, and the lookups and rules that Bot API methods share. */
export class SandboxState {
  readonly users = new Map<number, SandboxUser>();
  readonly bots = new Map<number, SandboxBot>();
  readonly botsByToken = new Map<string, SandboxBot>();
  readonly channels = new Map<number, SandboxChannel>();
  readonly files = new Map<string, PhotoSize[]>();
  private nextUserId = FIRST_USER_ID;
  private nextBotId = FIRST_BOT_ID;
  private nextChannelNumber = firstChannelNumber();

  constructor(private readonly delivery: UpdateDelivery) {}

  clear(): void {
    this.users.clear();
    this.bots.clear();
    this.botsByToken.clear();
    this.channels.clear();
    this.files.clear();
    this.nextUserId = FIRST_USER_ID;
    this.nextBotId = FIRST_BOT_ID;
    this.nextChannelNumber = firstChannelNumber();
  }

  addUser(firstName: string, lastName?: string, username?: string): SandboxUser {
    const user: SandboxUser = { id: this.nextUserId++, isBot: false, firstName, lastName, username };
    this.users.set(user.id, user);
    return user;
  }

  addBot(firstName: string, username: string): SandboxBot {
    const id = this.nextBotId++;
    // the shape of real tokens: "<bot id>:<35 characters>"
    const token = `${id}:${randomBytes(27).toString('base64url').slice(0, 35)}`;
    const bot: SandboxBot = { id, isBot: true, firstName, username, token, updates: emptyUpdateQueue(firstUpdateId()) };
    this.bots.set(id, bot);
    this.botsByToken.set(token, bot);
    return bot;
  }

  addChannel(fields: Omit<SandboxChannel, 'id' | 'admins' | 'messages' | 'nextMessageId'>): SandboxChannel {
    const channel: SandboxChannel = {
      ...fields,
      id: Number(`-100${this.nextChannelNumber++}`),
      admins: new Map(),
      messages: new Map(),
      nextMessageId: 1,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  member(id: number): SandboxMember | undefined {
    return this.bots.get(id) ?? this.users.get(id);
  }

  findChannel(reference: number | string): SandboxChannel | undefined {
    if (typeof reference === 'number') return this.channels.get(reference);
    const username = reference.replace(/^@/, '').toLowerCase();
    if (!username) return undefined;
    for (const channel of this.channels.values()) {
      if (channel.username?.toLowerCase() === username) return channel;
    }
    return undefined;
  }

  /** A chat as a bot may address it: public channels always, private ones only once the bot is in them. */
  chatVisibleTo(bot: SandboxBot, reference: number | string): SandboxChannel {
    const channel = this.findChannel(reference);
    if (!channel) throw Errors.chatNotFound();
    if (!channel.username && !channel.admins.has(bot.id)) throw Errors.chatNotFound();
    return channel;
  }

  /** Bots are in channels only as administrators. */
  botRights(bot: SandboxBot, channel: SandboxChannel): AdminRights {
    const rights = channel.admins.get(bot.id);
    if (!rights) throw Errors.botNotMember();
    return rights;
  }

  requireCanPost(bot: SandboxBot, channel: SandboxChannel): void {
    if (!this.botRights(bot, channel).canPostMessages) throw Errors.needAdminRights();
  }

  addMessage(channel: SandboxChannel, fields: Omit<StoredMessage, 'messageId' | 'date'>): StoredMessage {
    const message: StoredMessage = { ...fields, messageId: channel.nextMessageId++, date: Math.floor(Date.now() / 1000) };
    channel.messages.set(message.messageId, message);
    return message;
  }

  /** The signature a channel puts under a post when "sign messages" is on. */
  signatureFor(channel: SandboxChannel, author: SandboxMember, override?: string): string | undefined {
    if (!channel.signMessages) return undefined;
    if (override) return override;
    return 'lastName' in author && author.lastName ? `${author.firstName} ${author.lastName}` : author.firstName;
  }

  /**
   * channel_post / edited_channel_post to every bot administering the channel, except the bot that
   * made the change: bots get no updates about their own messages. Deletions produce no update.
   */
  announce(channel: SandboxChannel, kind: 'channel_post' | 'edited_channel_post', message: StoredMessage, actorId: number): void {
    const payload = messageObject(channel, message);
    for (const adminId of channel.admins.keys()) {
      const bot = this.bots.get(adminId);
      if (bot && bot.id !== actorId) this.delivery.enqueue(bot, kind, payload);
    }
  }

  /** For tg://user?id=… mentions: only users the sandbox knows become text_mention entities. */
  mentionedUser = (userId: number): Record<string, unknown> | undefined => {
    const member = this.member(userId);
    return member ? userObject(member) : undefined;
  };
}
