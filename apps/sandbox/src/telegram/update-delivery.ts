import { conflict, Errors } from './bot-api-error';
import { nowSeconds, type BotUpdateQueue, type SandboxBot, type Update, type WebhookState } from './sandbox-model';

/** Update types a bot gets when it asked for "all" (the docs' default leaves these out). */
const OPT_IN_UPDATE_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
/** Telegram keeps unconfirmed updates for 24 hours; the sandbox keeps a bounded number instead. */
const MAX_PENDING_UPDATES = 10_000;

export function emptyUpdateQueue(firstUpdateId: number): BotUpdateQueue {
  return { pending: [], nextUpdateId: firstUpdateId, allowedUpdates: null, webhook: null };
}

interface LongPoll {
  resolve: (updates: Update[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  limit: number;
}

export interface UpdateDeliveryOptions {
  /** first wait after a failed webhook delivery; doubles up to 60 s */
  webhookRetryMs: number;
  webhookTimeoutMs: number;
}

/**
 * getUpdates long polling and webhook delivery, with the Bot API's rules: updates are confirmed by
 * calling getUpdates with a higher offset; a second poll ends the first with 409; polling is refused
 * while a webhook is set; a webhook gets each update by POST until it answers 2xx.
 */
export class UpdateDelivery {
  private readonly polls = new Map<number, LongPoll>();
  /** one running loop per bot; the object identifies the loop so a stale one notices it was replaced */
  private readonly webhookLoops = new Map<number, object>();

  constructor(private readonly options: UpdateDeliveryOptions) {}

  enqueue(bot: SandboxBot, kind: string, payload: Record<string, unknown>): void {
    const queue = bot.updates;
    const allowed = queue.allowedUpdates;
    const wanted = allowed && allowed.length > 0 ? allowed.includes(kind) : !OPT_IN_UPDATE_TYPES.has(kind);
    if (!wanted) return;
    queue.pending.push({ update_id: queue.nextUpdateId++, [kind]: payload });
    if (queue.pending.length > MAX_PENDING_UPDATES) queue.pending.shift();
    if (queue.webhook) this.startWebhookLoop(bot);
    else this.wakePoll(bot);
  }

  async getUpdates(
    bot: SandboxBot,
    request: { offset?: number; limit?: number; timeoutSeconds?: number; allowedUpdates?: string[] },
    clientGone: AbortSignal,
  ): Promise<Update[]> {
    const queue = bot.updates;
    if (queue.webhook) throw Errors.webhookActive();
    if (request.allowedUpdates) queue.allowedUpdates = request.allowedUpdates;
    confirmUpTo(queue, request.offset ?? 0);
    this.terminatePoll(bot.id, Errors.getUpdatesTerminated());

    const limit = Math.min(Math.max(request.limit ?? 100, 1), 100);
    const timeoutSeconds = Math.max(request.timeoutSeconds ?? 0, 0);
    if (queue.pending.length > 0 || timeoutSeconds === 0) return queue.pending.slice(0, limit);

    return new Promise<Update[]>((resolve, reject) => {
      const poll: LongPoll = {
        resolve,
        reject,
        limit,
        timer: setTimeout(() => this.finishPoll(bot.id, poll, []), timeoutSeconds * 1000),
      };
      this.polls.set(bot.id, poll);
      clientGone.addEventListener('abort', () => this.finishPoll(bot.id, poll, []), { once: true });
    });
  }

  setWebhook(bot: SandboxBot, webhook: WebhookState, dropPendingUpdates: boolean, allowedUpdates?: string[]): void {
    this.terminatePoll(bot.id, conflict('terminated by setWebhook request'));
    if (dropPendingUpdates) bot.updates.pending = [];
    if (allowedUpdates) bot.updates.allowedUpdates = allowedUpdates;
    bot.updates.webhook = webhook;
    this.startWebhookLoop(bot);
  }

  deleteWebhook(bot: SandboxBot, dropPendingUpdates: boolean): boolean {
    const hadWebhook = bot.updates.webhook !== null;
    bot.updates.webhook = null;
    if (dropPendingUpdates) bot.updates.pending = [];
    return hadWebhook;
  }

  /** Ends every long poll (with no updates) and stops webhook loops: for reset and shutdown. */
  stopAll(): void {
    for (const [botId, poll] of this.polls) this.finishPoll(botId, poll, []);
    this.webhookLoops.clear();
  }

  private wakePoll(bot: SandboxBot): void {
    const poll = this.polls.get(bot.id);
    if (poll) this.finishPoll(bot.id, poll, bot.updates.pending.slice(0, poll.limit));
  }

  private finishPoll(botId: number, poll: LongPoll, updates: Update[]): void {
    if (this.polls.get(botId) !== poll) return;
    clearTimeout(poll.timer);
    this.polls.delete(botId);
    poll.resolve(updates);
  }

  private terminatePoll(botId: number, error: Error): void {
    const poll = this.polls.get(botId);
    if (!poll) return;
    clearTimeout(poll.timer);
    this.polls.delete(botId);
    poll.reject(error);
  }

  private startWebhookLoop(bot: SandboxBot): void {
    if (this.webhookLoops.has(bot.id)) return;
    const loop = {};
    this.webhookLoops.set(bot.id, loop);
    void this.runWebhookLoop(bot, loop).finally(() => {
      if (this.webhookLoops.get(bot.id) === loop) this.webhookLoops.delete(bot.id);
    });
  }

  /** Delivers pending updates one at a time, in order, retrying each until the webhook takes it. */
  private async runWebhookLoop(bot: SandboxBot, loop: object): Promise<void> {
    let retryMs = this.options.webhookRetryMs;
    while (this.webhookLoops.get(bot.id) === loop) {
      const webhook = bot.updates.webhook;
      const update = bot.updates.pending[0];
      if (!webhook || !update) return;
      const failure = await this.postUpdate(webhook, update);
      if (bot.updates.webhook !== webhook) continue; // changed while we were posting
      if (failure === null) {
        if (bot.updates.pending[0] === update) bot.updates.pending.shift();
        retryMs = this.options.webhookRetryMs;
        continue;
      }
      webhook.lastErrorDate = nowSeconds();
      webhook.lastErrorMessage = failure;
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
      retryMs = Math.min(retryMs * 2, 60_000);
    }
  }

  /** Returns null on success, or the last_error_message Telegram would report. */
  private async postUpdate(webhook: WebhookState, update: Update): Promise<string | null> {
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secretToken ? { 'x-telegram-bot-api-secret-token': webhook.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return null;
      return `Wrong response from the webhook: ${response.status} ${response.statusText}`.trim();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if ((error as Error).name === 'TimeoutError') return 'Read timeout expired';
      if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
      return 'Connection failed';
    }
  }
}

/** Drops the updates a client confirmed: offset > 0 confirms ids below it; offset < 0 keeps the last -offset. */
function confirmUpTo(queue: BotUpdateQueue, offset: number): void {
  if (offset > 0) queue.pending = queue.pending.filter((update) => update.update_id >= offset);
  else if (offset < 0) queue.pending = queue.pending.slice(offset);
}
