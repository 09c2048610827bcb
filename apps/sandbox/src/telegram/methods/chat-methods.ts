import { Errors } from '../bot-api-error';
import { botSelfObject, chatFullInfoObject, chatMemberObject } from '../wire-objects';
import type { BotApiMethod } from './method-context';

export const getMe: BotApiMethod = ({ bot }) => botSelfObject(bot);

export const getChat: BotApiMethod = ({ state, bot, params }) =>
  chatFullInfoObject(state.chatVisibleTo(bot, params.chatReference()));

/** Bots see a channel's administrators only when they are one of them. */
export const getChatAdministrators: BotApiMethod = ({ state, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  if (!channel.admins.has(bot.id)) throw Errors.memberListInaccessible();
  const ids = [channel.creatorId, ...channel.admins.keys()];
  return ids.flatMap((id) => {
    const member = state.member(id);
    return member ? [chatMemberObject(channel, member)] : [];
  });
};

/** A bot may always ask about itself; about others only as an administrator. */
export const getChatMember: BotApiMethod = ({ state, bot, params }) => {
  const channel = state.chatVisibleTo(bot, params.chatReference());
  const userId = params.integer('user_id');
  if (userId === undefined) throw Errors.userNotFound();
  if (userId !== bot.id && !channel.admins.has(bot.id)) throw Errors.memberListInaccessible();
  const member = state.member(userId);
  if (!member) throw Errors.userNotFound();
  return chatMemberObject(channel, member);
};

export const getChatMemberCount: BotApiMethod = ({ state, bot, params }) =>
  state.chatVisibleTo(bot, params.chatReference()).memberCount;
