import Stripe from 'stripe';

/**
 * A Stripe call that did not produce a result. `retryable` says whether the same call (same ids, so the
 * same idempotency key) may succeed later: network failures, Stripe 5xx and rate limits are; invalid
 * requests, authentication failures and idempotency conflicts are not. Never carries the API key.
 */
export class StripeProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'StripeProviderError';
  }
}

export type WebhookSignatureFailure = 'missing_header' | 'malformed_header' | 'bad_signature' | 'timestamp_out_of_tolerance' | 'malformed_payload';

/** A webhook that must be refused (answer 400): its signature, header or timestamp does not check out. */
export class WebhookSignatureError extends Error {
  constructor(readonly reason: WebhookSignatureFailure, message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** Maps an error thrown by the Stripe SDK (after its own retries) to a StripeProviderError. */
export function toProviderError(error: unknown): StripeProviderError {
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new StripeProviderError('unexpected_error', error instanceof Error ? error.message : 'Unexpected error calling Stripe', true);
  }
  const statusCode = error.statusCode ?? null;
  const requestId = error.requestId ?? null;
  switch (error.type) {
    case 'StripeConnectionError':
      return new StripeProviderError('connection_error', 'Could not reach Stripe (network failure or timeout)', true, statusCode, requestId);
    case 'StripeAPIError':
      return new StripeProviderError('api_error', 'Stripe reported an internal error', true, statusCode, requestId);
    case 'StripeRateLimitError':
      return new StripeProviderError(error.code ?? 'rate_limit', 'Stripe rate limit reached', true, statusCode, requestId);
    case 'StripeAuthenticationError':
      // Stripe's message may quote part of the key: keep it out of our errors and logs.
      return new StripeProviderError('authentication_failed', 'Stripe refused the API key', false, statusCode, requestId);
    case 'StripePermissionError':
      return new StripeProviderError('permission_denied', 'The API key may not perform this request', false, statusCode, requestId);
    case 'StripeIdempotencyError':
      return new StripeProviderError('idempotency_error', error.message, false, statusCode, requestId);
    default:
      return new StripeProviderError(error.code ?? 'invalid_request', error.message, statusCode !== null && statusCode >= 500, statusCode, requestId);
  }
}
