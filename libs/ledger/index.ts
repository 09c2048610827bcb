export * from './ledger.entities';
export * from './ledger-accounts';
export * from './fees';
export * from './entry-statement';
export * from './ledger.service';
export * from './ledger-audit';
export * from './ledger.module';
