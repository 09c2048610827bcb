import type { ChannelContent } from '../platform-adapter';
import type { MessageEntity } from './bot-api-types';

/** Entity types that point at a person (text_mention carries a User): dropped whole. */
const ENTITY_TYPES_WITH_A_PERSON = new Set(['text_mention']);

/**
 * Reduces a Bot API update to channel content by whitelisting: chat id, message id, dates, the text
 * (or caption) and formatting entities. Nothing else is copied, so author_signature, sender_chat,
 * from, via_bot, forward origins, mentioned users and any field Telegram adds later never get in.
 * Returns null for updates that are not channel posts or edits.
 */
export function toChannelContent(update: unknown): ChannelContent | null {
  if (!isObject(update)) return null;
  const isEdit = isObject(update.edited_channel_post);
  const message = isEdit ? update.edited_channel_post : update.channel_post;
  if (!isObject(message) || !isObject(message.chat)) return null;
  const chatId = message.chat.id;
  const messageId = message.message_id;
  const date = message.date;
  if (typeof chatId !== 'number' && typeof chatId !== 'string') return null;
  // Bot API message ids are positive 32-bit integers and dates Unix seconds: anything else is not an update to keep
  if (!isMessageId(messageId) || !isUnixTime(date)) return null;

  const hasText = typeof message.text === 'string';
  const text = hasText ? (message.text as string) : typeof message.caption === 'string' ? message.caption : '';
  const rawEntities = hasText ? message.entities : message.caption_entities;
  return {
    kind: isEdit ? 'edit' : 'post',
    chatId: String(chatId),
    messageId,
    date: new Date(date * 1000),
    editDate: isUnixTime(message.edit_date) ? new Date(message.edit_date * 1000) : null,
    text,
    entities: Array.isArray(rawEntities) ? rawEntities.flatMap(formattingOnly) : [],
  };
}

function formattingOnly(entity: unknown): MessageEntity[] {
  if (!isObject(entity) || typeof entity.type !== 'string' || ENTITY_TYPES_WITH_A_PERSON.has(entity.type)) return [];
  if (typeof entity.offset !== 'number' || typeof entity.length !== 'number') return [];
  const kept: MessageEntity = { type: entity.type, offset: entity.offset, length: entity.length };
  if (entity.type === 'text_link' && typeof entity.url === 'string') kept.url = entity.url;
  if (entity.type === 'pre' && typeof entity.language === 'string') kept.language = entity.language;
  if (entity.type === 'custom_emoji' && typeof entity.custom_emoji_id === 'string') kept.custom_emoji_id = entity.custom_emoji_id;
  return [kept];
}

const isMessageId = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) <= 2_147_483_647;
/** whole seconds between 1970 and 9999 */
const isUnixTime = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < 253_402_300_800;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
