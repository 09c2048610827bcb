/** In-memory records the sandbox keeps. Shapes sent on the wire are built from these in wire-objects.ts. */

export interface AdminRights {
  canPostMessages: boolean;
  canEditMessages: boolean;
  canDeleteMessages: boolean;
}

export interface SandboxUser {
  id: number;
  isBot: false;
  firstName: string;
  lastName?: string;
  username?: string;
}

export interface SandboxBot {
  id: number;
  isBot: true;
  firstName: string;
  username: string;
  token: string;
  updates: BotUpdateQueue;
}

export type SandboxMember = SandboxUser | SandboxBot;

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: Record<string, unknown>;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: Array<Array<{ text: string; url?: string }>>;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface StoredMessage {
  messageId: number;
  date: number;
  editDate?: number;
  /** who made it: a bot or a human admin; never sent on the wire for channel posts */
  authorId: number;
  authorSignature?: string;
  text?: string;
  entities?: MessageEntity[];
  photo?: PhotoSize[];
  caption?: string;
  captionEntities?: MessageEntity[];
  replyMarkup?: InlineKeyboardMarkup;
  linkPreviewOptions?: Record<string, unknown>;
  forwardOrigin?: Record<string, unknown>;
  pinnedMessageId?: number;
}

export interface SandboxChannel {
  id: number;
  title: string;
  username?: string;
  description: string;
  memberCount: number;
  signMessages: boolean;
  creatorId: number;
  admins: Map<number, AdminRights>;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  pinnedMessageId?: number;
}

export interface Update {
  update_id: number;
  [kind: string]: unknown;
}

/** Per-bot update state; delivery (polling or webhook) lives in update-delivery.ts. */
export interface BotUpdateQueue {
  pending: Update[];
  nextUpdateId: number;
  allowedUpdates: string[] | null;
  webhook: WebhookState | null;
}

export interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
