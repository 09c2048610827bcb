export * from './jobs';
export * from './outbox.entity';
export * from './outbox';
export * from './connection';
export * from './queue-producer';
export * from './outbox-relay';
export * from './queue.module';
