import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { createRedisConnection } from './connection';
import { QueueProducer } from './queue-producer';

export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/** The Redis connection and the producer, shared by everything in one process. */
@Global()
@Module({
  providers: [
    { provide: REDIS_CONNECTION, inject: [PLACARD_CONFIG], useFactory: (config: PlacardConfig) => createRedisConnection(config.redisUrl) },
    { provide: QueueProducer, inject: [REDIS_CONNECTION], useFactory: (connection: Redis) => new QueueProducer(connection) },
  ],
  exports: [REDIS_CONNECTION, QueueProducer],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(
    private readonly producer: QueueProducer,
    @Inject(REDIS_CONNECTION) private readonly connection: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
    await this.connection.quit().catch(() => undefined);
  }
}
