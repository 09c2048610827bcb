import type { MessageEntity } from './telegram/bot-api-types';

/** What verification needs to know about a channel, read through the platform's bot. */
export interface ChannelFacts {
  /** the platform's chat id, as a string (Telegram's exceed 32 bits) */
  chatId: string;
  title: string;
  username: string | null;
  description: string;
  subscribers: number;
  botIsAdmin: boolean;
  botCanPost: boolean;
  botCanDelete: boolean;
}

/** Whether the platform bot may still act in a channel. */
export interface BotRights {
  isAdmin: boolean;
  canPost: boolean;
}

export interface PostButton {
  text: string;
  url: string;
}

export interface OutgoingPost {
  text: string;
  /** explicit formatting; ignored when parseMode is set */
  entities?: MessageEntity[];
  parseMode?: 'HTML' | 'MarkdownV2';
  /** link buttons under the post, one per row */
  buttons?: PostButton[];
  /** when set the post is a photo and `text` its caption (at most 1024 characters on Telegram) */
  imageUrl?: string;
}

export interface SentPost {
  messageId: number;
  date: Date;
}

/** A channel post or edit, reduced to content: no person-level field survives (see toChannelContent). */
export interface ChannelContent {
  kind: 'post' | 'edit';
  chatId: string;
  messageId: number;
  date: Date;
  editDate: Date | null;
  text: string;
  entities: MessageEntity[];
}

export interface UpdatesPage {
  /** pass back as `offset` next time: it confirms everything returned here */
  nextOffset: number;
  contents: ChannelContent[];
}

/**
 * A messaging platform as Placard uses it. Methods throw PlatformError; a send that may or may not
 * have happened throws code 'outcome_unknown' and is never retried here, so nothing is posted twice.
 */
export interface PlatformAdapter {
  readonly platform: 'telegram';
  /** `handle` is @username or a numeric chat id */
  inspectChannel(handle: string): Promise<ChannelFacts>;
  /** the bot's own rights only: cheaper than inspectChannel, for checks during delivery */
  botRights(chatId: string): Promise<BotRights>;
  publish(chatId: string, post: OutgoingPost): Promise<SentPost>;
  /** whether the message is still in the channel (deletions send no event, so this asks) */
  postExists(chatId: string, messageId: number): Promise<boolean>;
  getUpdates(offset: number, timeoutSeconds: number): Promise<UpdatesPage>;
  setWebhook(url: string, secret: string): Promise<void>;
  deleteWebhook(): Promise<void>;
}
