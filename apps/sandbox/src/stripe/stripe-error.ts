/**
 * Errors in the shape of Stripe's error object:
 * `{"error": {"type", "code", "message", "param", "decline_code", "doc_url", …}}`.
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
  payment_intent?: unknown;
  doc_url?: string;
}

export class StripeApiError extends Error {
  /**
   * @param saveForIdempotency Stripe saves the result of a keyed request once the endpoint has begun
   *   executing, errors included; parameter validation failures are not saved (a corrected retry with
   *   the same key is then allowed).
   */
  constructor(
    readonly statusCode: number,
    readonly body: StripeErrorBody,
    readonly saveForIdempotency = true,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }

  toJSON(): { error: StripeErrorBody } {
    const error: StripeErrorBody = { ...this.body };
    if (error.code && !error.doc_url) error.doc_url = `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}`;
    return { error };
  }
}

export function invalidRequest(
  message: string,
  options: { code?: string; param?: string; status?: number; saveForIdempotency?: boolean } = {},
): StripeApiError {
  return new StripeApiError(
    options.status ?? 400,
    { type: 'invalid_request_error', message, code: options.code, param: options.param },
    options.saveForIdempotency ?? true,
  );
}

export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param, saveForIdempotency: false });
}

export function parameterInvalid(param: string, message: string, code = 'parameter_invalid_string'): StripeApiError {
  return invalidRequest(message, { code, param, saveForIdempotency: false });
}

export function resourceMissing(objectName: string, id: string, param = 'id', status = 404): StripeApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { code: 'resource_missing', param, status });
}

export function apiError(message = 'An unknown error occurred'): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message }, false);
}
