import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { REDIS_CONNECTION, queuePrefix } from '#libs/queue';

/**
 * A fixed one-minute window per caller in Redis, so every API instance shares the count. It uses the
 * process's one Redis connection (the queue module's, which also closes it).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

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
}
