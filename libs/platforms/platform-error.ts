/** What went wrong talking to a platform, as a code callers can branch on. */
export type PlatformErrorCode =
  | 'chat_not_found'
  | 'not_a_channel'
  | 'bot_not_member'
  | 'not_enough_rights'
  | 'message_not_found'
  | 'message_not_modified'
  | 'message_too_long'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'outcome_unknown'
  | 'not_configured';

/** Codes worth trying again later (the platform may answer differently). */
const RETRYABLE: ReadonlySet<PlatformErrorCode> = new Set(['rate_limited', 'server_error', 'network_error', 'conflict']);

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  /** true when the same call may succeed later; false for outcome_unknown: the call may have taken effect */
  readonly retryable: boolean;

  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    readonly details: { method?: string; httpStatus?: number; description?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.retryable = RETRYABLE.has(code);
  }
}
