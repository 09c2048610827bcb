import type { RateLimits } from '../rate-limits';
import type { RequestParams } from '../request-params';
import type { SandboxBot } from '../sandbox-model';
import type { SandboxState } from '../sandbox-state';
import type { UpdateDelivery } from '../update-delivery';

export interface MethodContext {
  state: SandboxState;
  delivery: UpdateDelivery;
  limits: RateLimits;
  bot: SandboxBot;
  params: RequestParams;
  /** aborted when the HTTP client goes away (ends a long poll early) */
  clientGone: AbortSignal;
}

export type BotApiMethod = (context: MethodContext) => unknown | Promise<unknown>;

/** A result that also carries the envelope's `description`, as setWebhook's does. */
export class WithDescription {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}
