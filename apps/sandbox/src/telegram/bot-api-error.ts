/**
 * An error the Bot API returns as `{ok: false, error_code, description, parameters?}`.
 * Descriptions are worded exactly as the real server words them, because clients
 * (ours included) match on them.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }

  toResponseBody(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (detail: string) => new BotApiError(400, `Bad Request: ${detail}`);
export const forbidden = (detail: string) => new BotApiError(403, `Forbidden: ${detail}`);
export const conflict = (detail: string) => new BotApiError(409, `Conflict: ${detail}`);
export const unauthorized = () => new BotApiError(401, 'Unauthorized');
export const methodNotFound = () => new BotApiError(404, 'Not Found');
export const tooManyRequests = (retryAfterSeconds: number) =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds });

/** The wordings we reuse in several methods, in one place. */
export const Errors = {
  chatNotFound: () => badRequest('chat not found'),
  chatIdEmpty: () => badRequest('chat_id is empty'),
  botNotMember: () => forbidden('bot is not a member of the channel chat'),
  needAdminRights: () => badRequest('need administrator rights in the channel chat'),
  memberListInaccessible: () => badRequest('member list is inaccessible'),
  userNotFound: () => badRequest('user not found'),
  messageTextEmpty: () => badRequest('message text is empty'),
  messageTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  messageIdMissing: () => badRequest('message identifier is not specified'),
  messageToCopyNotFound: () => badRequest('message to copy not found'),
  messageToForwardNotFound: () => badRequest('message to forward not found'),
  messageToEditNotFound: () => badRequest('message to edit not found'),
  messageToDeleteNotFound: () => badRequest('message to delete not found'),
  messageToPinNotFound: () => badRequest('message to pin not found'),
  messageCantBeEdited: () => badRequest("message can't be edited"),
  messageCantBeDeleted: () => badRequest("message can't be deleted"),
  messageNotModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  wrongFileIdentifier: () => badRequest('wrong file identifier/HTTP URL specified'),
  failedToGetUrlContent: () => badRequest('failed to get HTTP URL content'),
  unsupportedParseMode: (mode: string) => badRequest(`unsupported parse_mode "${mode}"`),
  cantParseEntities: (detail: string) => badRequest(`can't parse entities: ${detail}`),
  buttonUrlInvalid: () => badRequest('BUTTON_URL_INVALID'),
  getUpdatesTerminated: () =>
    conflict('terminated by other getUpdates request; make sure that only one bot instance is running'),
  webhookActive: () =>
    conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
} as const;
