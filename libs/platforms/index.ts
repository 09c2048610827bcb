/**
 * Platform adapters: how Placard reads channels and posts through a messaging platform's bot.
 *
 *   interface PlatformAdapter {
 *     inspectChannel(handle): Promise<ChannelFacts>        // @username or numeric chat id
 *     publish(chatId, post: OutgoingPost): Promise<SentPost>
 *     postExists(chatId, messageId): Promise<boolean>      // copy to the audit chat, delete the copy
 *     getUpdates(offset, timeoutSeconds): Promise<UpdatesPage>
 *     setWebhook(url, secret) / deleteWebhook()
 *   }
 *   new TelegramAdapter({ apiRoot, botToken, auditChatIds?, limits?, logger?, retry? })
 *   toChannelContent(update): ChannelContent | null         // for webhook bodies: keeps content, drops people
 *   webhookSecretMatches(header, secret): boolean           // X-Telegram-Bot-Api-Secret-Token check
 *
 * Errors are PlatformError with a `code` and `retryable`. A send (publish, the copy in postExists)
 * is never repeated after a 5xx or a lost connection: it fails with code 'outcome_unknown'
 * (retryable: false), because the message may already be in the channel. 429s are waited out.
 */
export type {
  BotRights,
  ChannelContent,
  ChannelFacts,
  OutgoingPost,
  PlatformAdapter,
  PostButton,
  SentPost,
  UpdatesPage,
} from './platform-adapter';
export { PlatformError, type PlatformErrorCode } from './platform-error';
export type { MessageEntity } from './telegram/bot-api-types';
export type { PlatformLogger } from './telegram/bot-api-client';
export { toChannelContent } from './telegram/channel-content';
export { TelegramAdapter, TELEGRAM_LIMITS, type TelegramAdapterOptions } from './telegram/telegram-adapter';
export { webhookSecretMatches, TELEGRAM_SECRET_HEADER } from './telegram/webhook-secret';
