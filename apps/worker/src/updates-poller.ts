import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { IngestService, PLATFORM_ADAPTER, ProfileScheduler } from '#libs/marketplace';
import type { PlatformAdapter } from '#libs/platforms';
import { REDIS_CONNECTION, queuePrefix } from '#libs/queue';


/**
 * Long polling by one worker at a time across all instances: a Redis lock with a token, renewed
 * while polling. Telegram allows one getUpdates consumer per bot; a second would get 409 Conflict.
 * The offset lives in Redis; losing it only makes Telegram resend unconfirmed updates, which ingest
 * stores idempotently.
 */
@Injectable()
export class UpdatesPoller {
  private readonly logger = new Logger(UpdatesPoller.name);
  private readonly token = randomUUID();
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(PLATFORM_ADAPTER) private readonly platform: PlatformAdapter,
    private readonly ingest: IngestService,
    private readonly profiles: ProfileScheduler,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  /** longer than a whole poll (its timeout plus ingest), and renewed every third of it while polling */
  private get lockTtlMs(): number {
    return (this.config.telegram.pollTimeoutSeconds + 30) * 1000;
  }

  private get lockKey(): string {
    return `${queuePrefix()}:telegram:poller-lock`;
  }

  /** per bot: another bot's updates have other ids (the bot id is the token's first part) */
  private get offsetKey(): string {
    const botId = (this.config.telegram.botToken ?? '').split(':')[0];
    return `${queuePrefix()}:telegram:offset:${botId}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    // a long poll in flight may take its full timeout to return; stop without waiting for it
    await Promise.race([this.loop, sleep(1000)]);
    // release the lock only if it is still ours
    await this.redis.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`, 1, this.lockKey, this.token);
  }

  /** One poll cycle, exposed for tests: returns how many contents were stored, or null without the lock. */
  async pollOnce(timeoutSeconds: number): Promise<number | null> {
    if (!(await this.holdLock())) return null;
    const renew = setInterval(() => void this.holdLock().catch(() => undefined), this.lockTtlMs / 3);
    try {
      const offset = Number((await this.redis.get(this.offsetKey)) ?? 0);
      const page = await this.platform.getUpdates(offset, timeoutSeconds);
      const touched = await this.ingest.store(page.contents);
      await this.profiles.schedule(touched);
      if (page.nextOffset !== offset) await this.redis.set(this.offsetKey, String(page.nextOffset));
      return page.contents.length;
    } finally {
      clearInterval(renew);
    }
  }

  private async holdLock(): Promise<boolean> {
    const acquired = await this.redis.set(this.lockKey, this.token, 'PX', this.lockTtlMs, 'NX');
    if (acquired === 'OK') return true;
    const renewed = await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`,
      1,
      this.lockKey,
      this.token,
      String(this.lockTtlMs),
    );
    return renewed === 1;
  }

  private async run(): Promise<void> {
    const timeout = this.config.telegram.pollTimeoutSeconds;
    while (this.running) {
      try {
        const stored = await this.pollOnce(timeout);
        if (stored === null) await sleep(1000); // another worker polls; wait for its lock to lapse
      } catch (error) {
        this.logger.warn(`polling failed: ${(error as Error).message}`);
        await sleep(1000);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
