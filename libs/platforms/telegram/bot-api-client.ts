import { PlatformError } from '../platform-error';
import type { BotApiResponse } from './bot-api-types';
import { codeForBotApiError } from './error-descriptions';

export interface PlatformLogger {
  warn(message: string, context?: object): void;
}

/**
 * How a call may be repeated after a failure that leaves its outcome unknown (5xx, dropped
 * connection, timeout). A 429 is always waited out and repeated: Telegram did not perform the call.
 */
export type RepeatPolicy = 'safe_to_repeat' | 'never_repeat';

export interface BotApiClientOptions {
  apiRoot: string;
  botToken: string;
  logger?: PlatformLogger;
  /** how many 429s one call waits out before giving up; default 3 */
  maxRateLimitWaits?: number;
  /** attempts for safe_to_repeat calls on 5xx or network failures; default 3 */
  maxAttempts?: number;
  /** base delay between those attempts, doubled each time; default 200 */
  retryDelayMs?: number;
  /** per-request timeout for calls other than getUpdates; default 30 000 */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Connection failures where the request cannot have reached Telegram. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Calls `${apiRoot}/bot${token}/${method}` with a JSON body and unwraps the Bot API envelope.
 * The URL holds the token, so it is never put in an error or a log line.
 */
export class BotApiClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BotApiClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async call<T>(method: string, params: object, policy: RepeatPolicy, timeoutMs?: number): Promise<T> {
    const maxRateLimitWaits = this.options.maxRateLimitWaits ?? 3;
    const maxAttempts = policy === 'safe_to_repeat' ? (this.options.maxAttempts ?? 3) : 1;
    let rateLimitWaits = 0;
    let failedAttempts = 0;
    for (;;) {
      try {
        return await this.callOnce<T>(method, params, policy, timeoutMs);
      } catch (error) {
        if (!(error instanceof PlatformError)) throw error;
        if (error.code === 'rate_limited' && rateLimitWaits < maxRateLimitWaits) {
          rateLimitWaits += 1;
          const seconds = error.details.retryAfterSeconds ?? 1;
          this.options.logger?.warn('Telegram asked to slow down; waiting', { method, retryAfterSeconds: seconds });
          await this.sleep(seconds * 1000);
          continue;
        }
        const transient = error.code === 'server_error' || error.code === 'network_error';
        failedAttempts += 1;
        if (transient && failedAttempts < maxAttempts) {
          const delayMs = (this.options.retryDelayMs ?? 200) * 2 ** (failedAttempts - 1);
          this.options.logger?.warn('Telegram call failed; repeating', { method, code: error.code, delayMs });
          await this.sleep(delayMs);
          continue;
        }
        throw error;
      }
    }
  }

  private async callOnce<T>(method: string, params: object, policy: RepeatPolicy, timeoutMs?: number): Promise<T> {
    const url = `${this.options.apiRoot.replace(/\/+$/, '')}/bot${this.options.botToken}/${method}`;
    let response: Response;
    let bodyText: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(timeoutMs ?? this.options.requestTimeoutMs ?? 30_000),
      });
      bodyText = await response.text();
    } catch (error) {
      throw this.transportFailure(method, error, policy);
    }

    const envelope = parseEnvelope<T>(bodyText);
    if (envelope?.ok === true) return envelope.result;
    if (envelope?.ok === false) {
      const code = codeForBotApiError(envelope.error_code ?? response.status, envelope.description ?? '');
      if (code === 'server_error') throw this.serverFailure(method, response.status, envelope.description, policy);
      throw new PlatformError(code, `Telegram ${method} failed: ${this.redact(envelope.description ?? '')}`, {
        method,
        httpStatus: response.status,
        description: this.redact(envelope.description ?? ''),
        retryAfterSeconds: envelope.parameters?.retry_after,
      });
    }
    // not the envelope at all: a proxy's error page, or a server that is not the Bot API
    if (response.status >= 500 || response.ok) {
      throw this.serverFailure(method, response.status, `HTTP ${response.status} without a Bot API response`, policy);
    }
    throw new PlatformError(codeForBotApiError(response.status, ''), `Telegram ${method} failed with HTTP ${response.status}`, {
      method,
      httpStatus: response.status,
    });
  }

  /** A 5xx: the server may have done the work before failing. */
  private serverFailure(method: string, httpStatus: number, description: string | undefined, policy: RepeatPolicy): PlatformError {
    const detail = this.redact(description ?? '');
    if (policy === 'never_repeat') {
      return new PlatformError('outcome_unknown', `Telegram ${method} answered HTTP ${httpStatus}; it may or may not have taken effect`, {
        method,
        httpStatus,
        description: detail,
      });
    }
    return new PlatformError('server_error', `Telegram ${method} failed: HTTP ${httpStatus} ${detail}`.trim(), {
      method,
      httpStatus,
      description: detail,
    });
  }

  private transportFailure(method: string, error: unknown, policy: RepeatPolicy): PlatformError {
    const cause = (error as { cause?: { code?: string } }).cause;
    const timedOut = (error as Error).name === 'TimeoutError';
    const reason = timedOut ? 'timed out' : (cause?.code ?? 'connection failed');
    if (policy === 'never_repeat' && !(cause?.code && NOT_SENT_CODES.has(cause.code))) {
      return new PlatformError('outcome_unknown', `Telegram ${method} ${reason}; it may or may not have taken effect`, { method });
    }
    return new PlatformError('network_error', `Telegram ${method} could not be reached: ${reason}`, { method });
  }

  private redact(text: string): string {
    return text.split(this.options.botToken).join('<token>');
  }
}

function parseEnvelope<T>(bodyText: string): BotApiResponse<T> | null {
  try {
    const parsed = JSON.parse(bodyText) as BotApiResponse<T>;
    return parsed && typeof parsed === 'object' && typeof parsed.ok === 'boolean' ? parsed : null;
  } catch {
    return null;
  }
}
