/**
 * Fault injection for the next N requests to a path.
 * - `mode: 'error'` answers 500 with an `api_error`; `mode: 'hang'` never answers (the client times out).
 * - `when: 'before'` fails before the endpoint runs (nothing is written, nothing is saved for the
 *   idempotency key); `when: 'after'` runs the endpoint, saves its result under the idempotency key and
 *   then loses the answer, as a failure between Stripe and the client would: a retry with the same key
 *   gets the saved object back.
 */
export interface FaultRule {
  /** `/v1/payment_intents`, or a prefix ending in `*` (`/v1/transfers/*`) */
  path: string;
  method?: string;
  count?: number;
  mode?: 'error' | 'hang';
  when?: 'before' | 'after';
}

export interface ActiveFault {
  path: string;
  method: string | undefined;
  remaining: number;
  mode: 'error' | 'hang';
  when: 'before' | 'after';
}

export class FaultInjector {
  private rules: ActiveFault[] = [];

  add(rule: FaultRule): ActiveFault {
    const fault: ActiveFault = {
      path: rule.path,
      method: rule.method?.toUpperCase(),
      remaining: rule.count ?? 1,
      mode: rule.mode ?? 'error',
      when: rule.when ?? 'before',
    };
    this.rules.push(fault);
    return fault;
  }

  /** The fault for this request, if any, counted as used. */
  take(method: string, path: string): ActiveFault | undefined {
    const fault = this.rules.find((rule) => rule.remaining > 0 && (!rule.method || rule.method === method) && matches(rule.path, path));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.rules = this.rules.filter((rule) => rule.remaining > 0);
    return fault;
  }

  list(): ActiveFault[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}
