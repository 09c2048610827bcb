import IORedis, { Redis } from 'ioredis';

/** BullMQ needs maxRetriesPerRequest null on its blocking connections. */
export function createRedisConnection(redisUrl: string): Redis {
  return new IORedis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** A key prefix per deployment/test run so several stacks can share one Redis. */
export function queuePrefix(): string {
  return process.env.QUEUE_PREFIX ?? 'placard';
}
