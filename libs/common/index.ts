export * from './error-codes';
export * from './domain-error';
export * from './logger';
export * from './nest-logger';
export * from './pagination';
