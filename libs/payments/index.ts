export * from './payments-provider';
