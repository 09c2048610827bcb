import { ERROR_HTTP_STATUS, ERROR_MESSAGES, ErrorCode } from './error-codes';

/** A failure the caller can act on: carries a code, a human message and optional details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_HTTP_STATUS[this.code];
  }
}

export const notFound = (what: string): DomainError => new DomainError(ErrorCode.NotFound, `No such ${what}.`);

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}
