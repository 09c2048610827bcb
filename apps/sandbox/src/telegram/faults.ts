/**
 * Injected failures, so clients can be tested against what Telegram does on a bad day:
 * 429 with retry_after, a 500, a 502 from the proxy in front (HTML, not JSON), or a dropped
 * connection. `afterEffect` makes the failure happen after the call took effect, which is the
 * case a client can never tell apart from "not done" (a send that did post, then failed).
 */
export type FaultKind = 'rate_limit' | 'server_error' | 'bad_gateway' | 'drop_connection';

export interface FaultSpec {
  /** Bot API method name, case-insensitive; '*' for any */
  method: string;
  kind: FaultKind;
  /** how many calls fail; default 1 */
  times?: number;
  /** seconds, for rate_limit; default 1 */
  retryAfter?: number;
  /** apply the call first, then fail (server_error, bad_gateway, drop_connection) */
  afterEffect?: boolean;
  /** only for calls by this bot (its id); default any bot */
  botId?: number;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    this.armed.push({ ...spec, method: spec.method.toLowerCase(), remaining: spec.times ?? 1 });
  }

  /** Takes the next fault that applies to this call, if any. */
  take(methodLowerCase: string, botId: number): FaultSpec | undefined {
    const fault = this.armed.find(
      (candidate) =>
        (candidate.method === '*' || candidate.method === methodLowerCase) &&
        (candidate.botId === undefined || candidate.botId === botId),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed = this.armed.filter((candidate) => candidate !== fault);
    return fault;
  }

  clear(): void {
    this.armed = [];
  }
}
