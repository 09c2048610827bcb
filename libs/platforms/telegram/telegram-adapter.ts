import type { BotRights, ChannelFacts, OutgoingPost, PlatformAdapter, SentPost, UpdatesPage } from '../platform-adapter';
import { PlatformError } from '../platform-error';
import { BotApiClient, type PlatformLogger } from './bot-api-client';
import type { BotUser, ChatFullInfo, ChatMember, SentMessage, Update } from './bot-api-types';
import { toChannelContent } from './channel-content';
import { SlidingWindowLimiter } from './sliding-window-limiter';

export interface TelegramAdapterOptions {
  /** e.g. https://api.telegram.org, or the sandbox's url */
  apiRoot: string;
  botToken: string;
  /**
   * private channels where the bot may post: postExists copies messages there and deletes the
   * copies. Each takes ~20 copies a minute; with several, each check goes to the one free soonest.
   */
  auditChatIds?: string[];
  /** client-side flood limits; false turns them off (benchmarks against the sandbox with limits off) */
  limits?: { perChatPerMinute: number; perBotPerSecond: number } | false;
  logger?: PlatformLogger;
  /** passed to the HTTP client; tests shorten waits with it */
  retry?: { maxAttempts?: number; retryDelayMs?: number; maxRateLimitWaits?: number };
}

/** Telegram's published guidance: ~20 messages a minute in one chat, ~30 messages a second per bot. */
export const TELEGRAM_LIMITS = { perChatPerMinute: 20, perBotPerSecond: 30 } as const;
/** Our clock and Telegram's start counting at slightly different moments; keep a little margin. */
const WINDOW_MARGIN_MS = { minute: 500, second: 50 } as const;
/** channel content only: what ingest stores */
const ALLOWED_UPDATES = ['channel_post', 'edited_channel_post'];

export class TelegramAdapter implements PlatformAdapter {
  readonly platform = 'telegram' as const;
  private readonly client: BotApiClient;
  private readonly perChat: SlidingWindowLimiter | null;
  private readonly perBot: SlidingWindowLimiter | null;
  private me: Promise<BotUser> | null = null;
  private nextAudit = 0;

  constructor(private readonly options: TelegramAdapterOptions) {
    this.client = new BotApiClient({ apiRoot: options.apiRoot, botToken: options.botToken, logger: options.logger, ...options.retry });
    const limits = options.limits === false ? null : (options.limits ?? TELEGRAM_LIMITS);
    this.perChat = limits ? new SlidingWindowLimiter(limits.perChatPerMinute, 60_000 + WINDOW_MARGIN_MS.minute) : null;
    this.perBot = limits ? new SlidingWindowLimiter(limits.perBotPerSecond, 1_000 + WINDOW_MARGIN_MS.second) : null;
  }

  /**
   * Reads the channel and the bot's own membership (getChatMember for the bot itself, which works
   * even before the bot is an admin, and reads no other person's data).
   */
  /** The bot's own rights in a channel: one getChatMember call (getMe is cached). */
  async botRights(chatId: string): Promise<BotRights> {
    const me = await this.getMe();
    const membership = await this.botMembership(chatReference(chatId), me.id);
    const isAdmin = membership.status === 'administrator' || membership.status === 'creator';
    return { isAdmin, canPost: isAdmin && membership.can_post_messages === true };
  }

  async inspectChannel(handle: string): Promise<ChannelFacts> {
    const chatId = chatReference(handle);
    const me = await this.getMe();
    const chat = await this.read<ChatFullInfo>('getChat', { chat_id: chatId });
    if (chat.type !== 'channel') throw new PlatformError('not_a_channel', `chat ${chat.id} is a ${chat.type}, not a channel`);
    const membership = await this.botMembership(chat.id, me.id);
    const subscribers = await this.read<number>('getChatMemberCount', { chat_id: chat.id });
    const isAdmin = membership.status === 'administrator' || membership.status === 'creator';
    return {
      chatId: String(chat.id),
      title: chat.title ?? '',
      username: chat.username ?? null,
      description: chat.description ?? '',
      subscribers,
      botIsAdmin: isAdmin,
      botCanPost: isAdmin && membership.can_post_messages === true,
      botCanDelete: isAdmin && membership.can_delete_messages === true,
    };
  }

  /** sendMessage, or sendPhoto with the text as caption; buttons become an inline keyboard of URL buttons. */
  async publish(chatId: string, post: OutgoingPost): Promise<SentPost> {
    const formatting = post.parseMode ? { parse_mode: post.parseMode } : {};
    const replyMarkup = post.buttons?.length
      ? { reply_markup: { inline_keyboard: post.buttons.map((button) => [{ text: button.text, url: button.url }]) } }
      : {};
    const target = chatReference(chatId);
    const sent = post.imageUrl
      ? await this.send<SentMessage>('sendPhoto', target, {
          photo: post.imageUrl,
          caption: post.text,
          ...formatting,
          ...(!post.parseMode && post.entities?.length ? { caption_entities: post.entities } : {}),
          ...replyMarkup,
        })
      : await this.send<SentMessage>('sendMessage', target, {
          text: post.text,
          ...formatting,
          ...(!post.parseMode && post.entities?.length ? { entities: post.entities } : {}),
          ...replyMarkup,
        });
    return { messageId: sent.message_id, date: new Date(sent.date * 1000) };
  }

  /**
   * Copies the message into the audit chat, then deletes the copy. Telegram tells bots nothing
   * when a post is deleted, and has no "get message" method, so a copy is the way to ask.
   * Each check is one message in an audit chat and counts against its ~20 per minute; with several
   * audit chats the check goes to the one whose limit frees soonest (in turn when all are free).
   */
  async postExists(chatId: string, messageId: number): Promise<boolean> {
    const auditChatId = this.auditChat();
    if (!auditChatId) throw new PlatformError('not_configured', 'postExists needs auditChatIds: a private channel the bot can post in');
    let copy: { message_id: number };
    try {
      copy = await this.send<{ message_id: number }>('copyMessage', chatReference(auditChatId), {
        from_chat_id: chatReference(chatId),
        message_id: messageId,
        disable_notification: true,
      });
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'message_not_found') return false;
      throw error;
    }
    try {
      await this.read('deleteMessage', { chat_id: chatReference(auditChatId), message_id: copy.message_id });
    } catch (error) {
      // the answer stands; a leftover copy in the private audit chat harms nobody
      this.options.logger?.warn('could not delete the audit copy', { code: (error as PlatformError).code, messageId: copy.message_id });
    }
    return true;
  }

  /** Long polls for channel posts and edits; posts in the audit chat (our own copies) are skipped. */
  async getUpdates(offset: number, timeoutSeconds: number): Promise<UpdatesPage> {
    await this.perBot?.acquire('bot');
    const updates = await this.client.call<Update[]>(
      'getUpdates',
      { offset, timeout: timeoutSeconds, allowed_updates: ALLOWED_UPDATES },
      'safe_to_repeat',
      (timeoutSeconds + 15) * 1000,
    );
    const nextOffset = updates.reduce((highest, update) => Math.max(highest, update.update_id + 1), offset);
    const contents = updates
      .map(toChannelContent)
      .filter((content) => content !== null && !(this.options.auditChatIds ?? []).includes(content.chatId))
      .map((content) => content!);
    return { nextOffset, contents };
  }

  private auditChat(): string | undefined {
    const chats = this.options.auditChatIds ?? [];
    if (chats.length <= 1) return chats[0];
    const start = this.nextAudit++ % chats.length;
    const inTurn = [...chats.slice(start), ...chats.slice(0, start)];
    if (!this.perChat) return inTurn[0];
    const limiter = this.perChat;
    return inTurn.reduce((best, chat) => (limiter.waitMs(String(chatReference(chat))) < limiter.waitMs(String(chatReference(best))) ? chat : best));
  }

  async setWebhook(url: string, secret: string): Promise<void> {
    await this.read('setWebhook', { url, secret_token: secret, allowed_updates: ALLOWED_UPDATES });
  }

  async deleteWebhook(): Promise<void> {
    await this.read('deleteWebhook', { drop_pending_updates: false });
  }

  private getMe(): Promise<BotUser> {
    this.me ??= this.read<BotUser>('getMe', {}).catch((error: unknown) => {
      this.me = null;
      throw error;
    });
    return this.me;
  }

  /** The bot's own ChatMember; a bot that is not in the channel is reported as "left", however Telegram words it. */
  private async botMembership(chatId: number | string, botId: number): Promise<ChatMember> {
    try {
      return await this.read<ChatMember>('getChatMember', { chat_id: chatId, user_id: botId });
    } catch (error) {
      if (error instanceof PlatformError && NOT_A_MEMBER.test(`${error.code} ${error.details.description ?? ''}`)) {
        return { status: 'left' };
      }
      throw error;
    }
  }

  /** Calls that change nothing, or whose repetition is harmless: repeated on 5xx and network failures. */
  private async read<T>(method: string, params: object): Promise<T> {
    await this.perBot?.acquire('bot');
    return this.client.call<T>(method, params, 'safe_to_repeat');
  }

  /** Calls that put a message in a chat: flood-limited per chat, never repeated after an unknown outcome. */
  private async send<T>(method: string, chatId: string | number, params: object): Promise<T> {
    await this.perChat?.acquire(String(chatId));
    await this.perBot?.acquire('bot');
    return this.client.call<T>(method, { chat_id: chatId, ...params }, 'never_repeat');
  }
}

/** the ways Telegram says "this bot is not in the channel" when asked about itself */
const NOT_A_MEMBER = /not_enough_rights|bot_not_member|user not found|PARTICIPANT_ID_INVALID|USER_NOT_PARTICIPANT/i;

/** "@name", "name" or a numeric id, as the Bot API's chat_id takes it. */
function chatReference(handle: string): string | number {
  const trimmed = handle.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed.startsWith('@') ? trimmed : `@${trimmed}`;
}
