export * from './payments-provider';
export * from './stripe';
