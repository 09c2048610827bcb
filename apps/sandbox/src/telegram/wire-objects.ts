import type { SandboxChannel, SandboxMember, StoredMessage } from './sandbox-model';

/** Builders of the JSON objects the Bot API documents (User, Chat, ChatFullInfo, Message, ChatMember). */

export function userObject(member: SandboxMember): Record<string, unknown> {
  return {
    id: member.id,
    is_bot: member.isBot,
    first_name: member.firstName,
    ...('lastName' in member && member.lastName ? { last_name: member.lastName } : {}),
    ...(member.username ? { username: member.username } : {}),
  };
}

export function botSelfObject(member: SandboxMember): Record<string, unknown> {
  return {
    ...userObject(member),
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

export function chatObject(channel: SandboxChannel): Record<string, unknown> {
  return {
    id: channel.id,
    type: 'channel',
    title: channel.title,
    ...(channel.username ? { username: channel.username } : {}),
  };
}

export function chatFullInfoObject(channel: SandboxChannel): Record<string, unknown> {
  const pinned = channel.pinnedMessageId ? channel.messages.get(channel.pinnedMessageId) : undefined;
  return {
    ...chatObject(channel),
    accent_color_id: Math.abs(channel.id) % 7,
    max_reaction_count: 11,
    ...(channel.description ? { description: channel.description } : {}),
    ...(pinned ? { pinned_message: messageObject(channel, pinned) } : {}),
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
    },
  };
}

/** A channel post as bots see it: from the channel (sender_chat), never from a person. */
export function messageObject(channel: SandboxChannel, message: StoredMessage): Record<string, unknown> {
  const chat = chatObject(channel);
  const pinned = message.pinnedMessageId ? channel.messages.get(message.pinnedMessageId) : undefined;
  return {
    message_id: message.messageId,
    sender_chat: chat,
    chat,
    date: message.date,
    ...(message.editDate ? { edit_date: message.editDate } : {}),
    ...(message.authorSignature ? { author_signature: message.authorSignature } : {}),
    ...(message.forwardOrigin ? { forward_origin: message.forwardOrigin } : {}),
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.entities?.length ? { entities: message.entities } : {}),
    ...(message.linkPreviewOptions ? { link_preview_options: message.linkPreviewOptions } : {}),
    ...(message.photo ? { photo: message.photo } : {}),
    ...(message.caption ? { caption: message.caption } : {}),
    ...(message.captionEntities?.length ? { caption_entities: message.captionEntities } : {}),
    ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
    ...(pinned ? { pinned_message: messageObject(channel, { ...pinned, pinnedMessageId: undefined }) } : {}),
  };
}

export function chatMemberObject(channel: SandboxChannel, member: SandboxMember): Record<string, unknown> {
  const user = userObject(member);
  if (channel.creatorId === member.id) return { status: 'creator', user, is_anonymous: false };
  const rights = channel.admins.get(member.id);
  if (!rights) return { status: 'left', user };
  return {
    status: 'administrator',
    user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: rights.canDeleteMessages,
    can_manage_video_chats: false,
    can_restrict_members: false,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: false,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_post_messages: rights.canPostMessages,
    can_edit_messages: rights.canEditMessages,
  };
}
