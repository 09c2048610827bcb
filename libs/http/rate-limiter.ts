import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainError, ErrorCode } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { REDIS_CONNECTION, queuePrefix } from '#libs/queue';

const WINDOW_SECONDS = 60;

/**
 * KEYS[1] the caller's window counter, KEYS[2] the API key's revocation marker (or none): counts the
 * request and reads the marker in one command, one write and one reply per request.
 */
const CONSUME_LUA = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local revoked = 0
if KEYS[2] then revoked = redis.call('EXISTS', KEYS[2]) end
return {count, revoked}`;

type ConsumingRedis = Redis & { placardConsume(...keysThenArgs: (string | number)[]): Promise<[number, number]> };

/**
 * A fixed one-minute window per caller in Redis, so every API instance shares the count. It uses the
 * process's one Redis connection (the queue module's, which also closes it). The same round trip
 * reads the revocation marker of the caller's API key, which is what lets API processes remember a
 * key's account between requests and still refuse a revoked key at once.
 */
@Injectable()
export class RateLimiter {
  private readonly redis: ConsumingRedis;

  constructor(
    @Inject(REDIS_CONNECTION) redis: Redis,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {
    if (!('placardConsume' in redis)) redis.defineCommand('placardConsume', { lua: CONSUME_LUA }); // EVALSHA, loaded on first use
    this.redis = redis as ConsumingRedis;
  }

  /** Counts one request of an address (public routes). */
  async consume(caller: string): Promise<void> {
    const [count] = await this.redis.placardConsume(1, this.windowKey(caller), WINDOW_SECONDS + 1);
    this.refuseOverLimit(count);
  }

  /** Counts one request of an API key; `revoked` is true when the key was revoked since it was looked up. */
  async consumeKey(keyId: string): Promise<{ revoked: boolean }> {
    const [count, revoked] = await this.redis.placardConsume(2, this.windowKey(`key:${keyId}`), this.revokedKey(keyId), WINDOW_SECONDS + 1);
    if (revoked === 1) return { revoked: true };
    this.refuseOverLimit(count);
    return { revoked: false };
  }

  /** Leaves the marker every process checks; it outlives any cached lookup of the key. */
  async markRevoked(keyId: string): Promise<void> {
    await this.redis.set(this.revokedKey(keyId), '1', 'EX', 2 * this.config.apiKeyCacheSeconds + 60);
  }

  ping(): Promise<string> {
    return this.redis.ping();
  }

  private windowKey(caller: string): string {
    return `${queuePrefix()}:ratelimit:${caller}:${Math.floor(Date.now() / 1000 / WINDOW_SECONDS)}`;
  }

  private revokedKey(keyId: string): string {
    return `${queuePrefix()}:revoked-key:${keyId}`;
  }

  private refuseOverLimit(count: number): void {
    if (count <= this.config.rateLimitPerMinute) return;
    const retryAfter = String(WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS));
    throw new DomainError(ErrorCode.RateLimited, undefined, { limitPerMinute: this.config.rateLimitPerMinute }, { 'Retry-After': retryAfter });
  }
}
