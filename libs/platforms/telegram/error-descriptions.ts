import type { PlatformErrorCode } from '../platform-error';

/**
 * Bot API error descriptions and what they mean for us, first match wins. Telegram words errors
 * freely and says error_code may change, so descriptions come first and the HTTP status is the fallback.
 */
const DESCRIPTION_TABLE: ReadonlyArray<readonly [RegExp, PlatformErrorCode]> = [
  [/chat not found|PEER_ID_INVALID|CHANNEL_INVALID|CHANNEL_PRIVATE/i, 'chat_not_found'],
  [/bot is not a member|bot was kicked|user is deactivated|bot was blocked/i, 'bot_not_member'],
  [/need administrator rights|not enough rights|have no rights|CHAT_ADMIN_REQUIRED|CHAT_WRITE_FORBIDDEN|member list is inaccessible/i, 'not_enough_rights'],
  [/message to (copy|delete|edit|forward|pin) not found|message not found|MESSAGE_ID_INVALID|message can't be copied/i, 'message_not_found'],
  [/message is not modified/i, 'message_not_modified'],
  [/message is too long|caption is too long|MESSAGE_TOO_LONG/i, 'message_too_long'],
  [/^Unauthorized/i, 'unauthorized'],
  [/^Too Many Requests/i, 'rate_limited'],
  [/^Conflict/i, 'conflict'],
];

export function codeForBotApiError(httpStatus: number, description: string): PlatformErrorCode {
  for (const [pattern, code] of DESCRIPTION_TABLE) {
    if (pattern.test(description)) return code;
  }
  if (httpStatus === 401) return 'unauthorized';
  if (httpStatus === 403) return 'forbidden';
  if (httpStatus === 409) return 'conflict';
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus >= 500) return 'server_error';
  return 'bad_request';
}
