import { badRequest, Errors } from '../bot-api-error';
import { messageObject, chatObject } from '../wire-objects';
import type { StoredMessage } from '../sandbox-model';
import type { BotApiMethod } from './method-context';
import { inlineKeyboard, linkPreviewOptions, messageCaption, messageText, resolvePhoto } from './message-content';

export const sendMessage: BotApiMethod = ({ state, limits, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  state.requireCanPost(bot, channel);
  const { text, entities } = messageText(state, params);
  const replyMarkup = inlineKeyboard(params);
  const preview = linkPreviewOptions(params);
  limits.checkMessage(bot.id, channel.id);
  const message = state.addMessage(channel, {
    authorId: bot.id,
    authorSignature: state.signatureFor(channel, bot),
    text,
    entities,
    replyMarkup,
    linkPreviewOptions: preview,
  });
  state.announce(channel, 'channel_post', message, bot.id);
  return messageObject(channel, message);
};

export const sendPhoto: BotApiMethod = ({ state, limits, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  state.requireCanPost(bot, channel);
  const caption = messageCaption(state, params);
  const replyMarkup = inlineKeyboard(params);
  const photo = resolvePhoto(state, params);
  limits.checkMessage(bot.id, channel.id);
  const message = state.addMessage(channel, {
    authorId: bot.id,
    authorSignature: state.signatureFor(channel, bot),
    photo,
    ...caption,
    replyMarkup,
  });
  state.announce(channel, 'channel_post', message, bot.id);
  return messageObject(channel, message);
};

/** Copies keep the content but not the origin; the result is only the new MessageId. */
export const copyMessage: BotApiMethod = ({ state, limits, bot, params }) => {
  const target = state.chatVisibleTo(bot, params.chatReference());
  state.requireCanPost(bot, target);
  const source = state.chatVisibleTo(bot, params.chatReference('from_chat_id'));
  const original = source.messages.get(params.messageId());
  if (!original) throw Errors.messageToCopyNotFound();
  if (original.pinnedMessageId) throw badRequest("message can't be copied");
  const caption = params.has('caption') ? messageCaption(state, params) : {};
  const replyMarkup = params.has('reply_markup') ? inlineKeyboard(params) : original.replyMarkup;
  limits.checkMessage(bot.id, target.id);
  const copy = state.addMessage(target, {
    authorId: bot.id,
    authorSignature: state.signatureFor(target, bot),
    text: original.text,
    entities: original.entities,
    photo: original.photo,
    caption: original.caption,
    captionEntities: original.captionEntities,
    ...caption,
    replyMarkup,
  });
  state.announce(target, 'channel_post', copy, bot.id);
  return { message_id: copy.messageId };
};

export const forwardMessage: BotApiMethod = ({ state, limits, bot, params }) => {
  const target = state.chatVisibleTo(bot, params.chatReference());
  state.requireCanPost(bot, target);
  const source = state.chatVisibleTo(bot, params.chatReference('from_chat_id'));
  const original = source.messages.get(params.messageId());
  if (!original || original.pinnedMessageId) throw Errors.messageToForwardNotFound();
  limits.checkMessage(bot.id, target.id);
  const forwarded = state.addMessage(target, {
    authorId: bot.id,
    text: original.text,
    entities: original.entities,
    photo: original.photo,
    caption: original.caption,
    captionEntities: original.captionEntities,
    replyMarkup: original.replyMarkup,
    forwardOrigin: {
      type: 'channel',
      date: original.date,
      chat: chatObject(source),
      message_id: original.messageId,
      ...(original.authorSignature ? { author_signature: original.authorSignature } : {}),
    },
  });
  state.announce(target, 'channel_post', forwarded, bot.id);
  return messageObject(target, forwarded);
};

/** A bot edits its own posts with the right to post, anyone else's only with can_edit_messages. */
export const editMessageText: BotApiMethod = ({ state, bot, params }) => {
  if (!params.has('chat_id') && params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const channel = state.chatVisibleTo(bot, params.chatReference());
  const rights = state.botRights(bot, channel);
  const message = channel.messages.get(params.messageId());
  if (!message) throw Errors.messageToEditNotFound();
  const own = message.authorId === bot.id;
  if (!(rights.canEditMessages || (own && rights.canPostMessages))) throw Errors.messageCantBeEdited();
  if (message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { text, entities } = messageText(state, params);
  const replyMarkup = inlineKeyboard(params);
  const preview = linkPreviewOptions(params) ?? message.linkPreviewOptions;
  if (text === message.text && sameJson(entities, message.entities ?? []) && sameJson(replyMarkup, message.replyMarkup)) {
    throw Errors.messageNotModified();
  }
  Object.assign(message, {
    text,
    entities,
    replyMarkup,
    linkPreviewOptions: preview,
    editDate: Math.floor(Date.now() / 1000),
  } satisfies Partial<StoredMessage>);
  state.announce(channel, 'edited_channel_post', message, bot.id);
  return messageObject(channel, message);
};

/** Deleting produces no update at all: that is why clients have to check that a post still exists. */
export const deleteMessage: BotApiMethod = ({ state, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  const rights = state.botRights(bot, channel);
  const messageId = params.messageId();
  const message = channel.messages.get(messageId);
  if (!message) throw Errors.messageToDeleteNotFound();
  const own = message.authorId === bot.id;
  if (!(rights.canDeleteMessages || (own && rights.canPostMessages))) throw Errors.messageCantBeDeleted();
  channel.messages.delete(messageId);
  if (channel.pinnedMessageId === messageId) channel.pinnedMessageId = undefined;
  return true;
};

/** In channels pinning takes can_edit_messages, and leaves a service message in the channel. */
export const pinChatMessage: BotApiMethod = ({ state, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  const rights = state.botRights(bot, channel);
  if (!rights.canEditMessages) throw badRequest('not enough rights to manage pinned messages in the chat');
  const messageId = params.messageId();
  const message = channel.messages.get(messageId);
  if (!message || message.pinnedMessageId) throw Errors.messageToPinNotFound();
  channel.pinnedMessageId = messageId;
  const service = state.addMessage(channel, { authorId: bot.id, pinnedMessageId: messageId });
  state.announce(channel, 'channel_post', service, bot.id);
  return true;
};

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
}
