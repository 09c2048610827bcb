import { createHmac } from 'node:crypto';
import { newId } from './ids';

/**
 * Signs as Stripe does: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`
 * keyed with the endpoint's signing secret (`whsec_…`).
 */
export function signWebhookPayload(payload: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** event types, or `*` for all */
  enabledEvents: string[];
}

export interface WebhookRetryPolicy {
  /** total attempts per delivery, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** per attempt */
  timeoutMs: number;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  attempt: number;
  /** HTTP status, or null when the request failed or timed out */
  status: number | null;
  ok: boolean;
  error?: string;
  at: string;
}

export interface StripeEventLike {
  id: string;
  type: string;
}

export const DEFAULT_RETRY_POLICY: WebhookRetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 1_000, timeoutMs: 5_000 };

/**
 * Sends events to the configured endpoints, retrying non-2xx answers with exponential backoff up to a
 * bound. Deliveries can be held and released in a chosen order, and any event can be sent again.
 */
export class WebhookDispatcher {
  private endpointList: WebhookEndpoint[] = [];
  private held: Array<{ event: PayloadEvent; endpoint: WebhookEndpoint }> = [];
  private holding = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly attemptLog: DeliveryAttempt[] = [];
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private retryPolicy: WebhookRetryPolicy = DEFAULT_RETRY_POLICY) {}

  get endpoints(): readonly WebhookEndpoint[] {
    return this.endpointList;
  }

  addEndpoint(input: { url: string; secret?: string; enabledEvents?: string[] }): WebhookEndpoint {
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      url: input.url,
      secret: input.secret ?? newId('whsec', 32),
      enabledEvents: input.enabledEvents ?? ['*'],
    };
    this.endpointList.push(endpoint);
    return endpoint;
  }

  /** Replaces every endpoint by this one (or none). */
  setEndpoint(input: { url: string; secret?: string; enabledEvents?: string[] } | null): WebhookEndpoint | null {
    this.endpointList = [];
    return input ? this.addEndpoint(input) : null;
  }

  setRetryPolicy(policy: Partial<WebhookRetryPolicy>): void {
    this.retryPolicy = { ...this.retryPolicy, ...policy };
  }

  /** How many endpoints an event of this type goes to (the event's `pending_webhooks`). */
  countEndpointsFor(type: string): number {
    return this.endpointList.filter((endpoint) => subscribed(endpoint, type)).length;
  }

  /** Called for every new event: sent at once, or queued while deliveries are held. */
  enqueue(event: StripeEventLike, payload: string): void {
    for (const endpoint of this.endpointList.filter((candidate) => subscribed(candidate, event.type))) {
      if (this.holding) this.held.push({ event: withPayload(event, payload), endpoint });
      else this.track(this.deliverWithRetries(withPayload(event, payload), endpoint));
    }
  }

  hold(): void {
    this.holding = true;
  }

  heldEventIds(): string[] {
    return this.held.map((entry) => entry.event.id);
  }

  /**
   * Stops holding and sends what was held, one delivery after another (each with its retries), so
   * arrival order is the chosen order: event ids listed in `order` first, in that order, then the rest
   * as they were queued; `'reverse'` sends newest first.
   */
  async release(order?: readonly string[] | 'reverse'): Promise<void> {
    this.holding = false;
    let queue = this.held;
    this.held = [];
    if (order === 'reverse') queue = [...queue].reverse();
    else if (order) {
      const rank = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
      queue = [...queue].sort((a, b) => rank(a.event.id) - rank(b.event.id));
    }
    const run = (async () => {
      for (const entry of queue) await this.deliverWithRetries(entry.event, entry.endpoint);
    })();
    this.track(run);
    await run;
  }

  /** Sends an event once more to every subscribed endpoint (a duplicate delivery), with retries. */
  async redeliver(event: StripeEventLike, payload: string): Promise<DeliveryAttempt[]> {
    const results = this.endpointList
      .filter((endpoint) => subscribed(endpoint, event.type))
      .map((endpoint) => this.deliverWithRetries(withPayload(event, payload), endpoint));
    const run = Promise.all(results);
    this.track(run);
    return run;
  }

  attempts(): DeliveryAttempt[] {
    return [...this.attemptLog];
  }

  /** Resolves once no delivery is under way (held ones do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  reset(): void {
    this.held = [];
    this.holding = false;
    this.attemptLog.length = 0;
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
  }

  private async deliverWithRetries(event: PayloadEvent, endpoint: WebhookEndpoint): Promise<DeliveryAttempt> {
    let last: DeliveryAttempt | undefined;
    for (let attempt = 1; attempt <= this.retryPolicy.maxAttempts && !this.closed; attempt += 1) {
      if (attempt > 1) {
        const delay = Math.min(this.retryPolicy.baseDelayMs * 2 ** (attempt - 2), this.retryPolicy.maxDelayMs);
        await sleep(delay, this.abort.signal);
        if (this.closed) break;
      }
      last = await this.deliverOnce(event, endpoint, attempt);
      if (last.ok) break;
    }
    return last ?? { eventId: event.id, eventType: event.type, endpointId: endpoint.id, attempt: 0, status: null, ok: false, error: 'sandbox closed', at: new Date().toISOString() };
  }

  private async deliverOnce(event: PayloadEvent, endpoint: WebhookEndpoint, attempt: number): Promise<DeliveryAttempt> {
    const record: DeliveryAttempt = { eventId: event.id, eventType: event.type, endpointId: endpoint.id, attempt, status: null, ok: false, at: new Date().toISOString() };
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signWebhookPayload(event.payload, endpoint.secret),
        },
        body: event.payload,
        signal: AbortSignal.any([AbortSignal.timeout(this.retryPolicy.timeoutMs), this.abort.signal]),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      record.ok = response.status >= 200 && response.status < 300;
    } catch (error) {
      record.error = error instanceof Error ? error.name : 'delivery failed';
    }
    this.attemptLog.push(record);
    return record;
  }
}

interface PayloadEvent extends StripeEventLike {
  payload: string;
}

function withPayload(event: StripeEventLike, payload: string): PayloadEvent {
  return { id: event.id, type: event.type, payload };
}

function subscribed(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(type);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
