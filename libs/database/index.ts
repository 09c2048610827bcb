export * from './transaction';
export * from './prepared';
export * from './data-source';
export * from './create-database';
export * from './money';
export * from './naming-strategy';
export * from './idempotency-key.entity';
