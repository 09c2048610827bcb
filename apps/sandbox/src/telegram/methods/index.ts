import * as chat from './chat-methods';
import * as messages from './message-methods';
import * as updates from './update-methods';
import type { BotApiMethod } from './method-context';

export { WithDescription, type BotApiMethod, type MethodContext } from './method-context';

/** The Bot API methods the sandbox implements, by lower-case name (the real server ignores case). */
export const BOT_API_METHODS: ReadonlyMap<string, BotApiMethod> = new Map(
  Object.entries({
    ...chat,
    ...messages,
    ...updates,
    getChatMembersCount: chat.getChatMemberCount, // the deprecated name still works on Telegram
  }).map(([name, method]) => [name.toLowerCase(), method]),
);
