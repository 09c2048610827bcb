/**
 * Stripe's idempotency layer: the first result for a key is saved and replayed to any retry with the
 * same key and parameters; the same key with other parameters (or another endpoint) is an
 * `idempotency_error`. Keys expire after 24 hours.
 */
export interface SavedResult {
  fingerprint: string;
  statusCode: number;
  body: unknown;
  requestId: string;
  savedAt: number;
}

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export class IdempotencyStore {
  private readonly saved = new Map<string, SavedResult>();

  /** Scoped by API key and connected account, as Stripe scopes keys per account. */
  static scope(apiKey: string, stripeAccount: string | undefined, key: string): string {
    return `${apiKey}\u0000${stripeAccount ?? ''}\u0000${key}`;
  }

  get(scopedKey: string): SavedResult | undefined {
    const result = this.saved.get(scopedKey);
    if (result && Date.now() - result.savedAt > KEY_LIFETIME_MS) {
      this.saved.delete(scopedKey);
      return undefined;
    }
    return result;
  }

  save(scopedKey: string, result: Omit<SavedResult, 'savedAt'>): void {
    this.saved.set(scopedKey, { ...result, savedAt: Date.now() });
  }

  clear(): void {
    this.saved.clear();
  }

  get size(): number {
    return this.saved.size;
  }
}

/** Parameters compare as values, whatever order their keys were sent in. */
export function fingerprint(method: string, path: string, params: unknown): string {
  return JSON.stringify([method, path, canonical(params)]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}
