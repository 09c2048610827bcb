import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { queuePrefix } from '#libs/queue';

/** A fixed one-minute window per caller in Redis, so every API instance shares the count. */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(@Inject(PLACARD_CONFIG) private readonly config: PlacardConfig) {
    this.redis = new IORedis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  }

  async consume(caller: string): Promise<void> {
    const windowSeconds = 60;
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const key = `${queuePrefix()}:ratelimit:${caller}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, windowSeconds + 1).exec()) as [[null, number]];
    if (count > this.config.rateLimitPerMinute) {
      const retryAfter = String(windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds));
      throw new DomainError(ErrorCode.RateLimited, undefined, { limitPerMinute: this.config.rateLimitPerMinute }, { 'Retry-After': retryAfter });
    }
  }

  ping(): Promise<string> {
    return this.redis.ping();
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
