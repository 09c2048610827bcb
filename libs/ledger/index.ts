export * from './ledger.entities';
export * from './ledger-accounts';
export * from './fees';
export * from './ledger.service';
export * from './ledger-audit';
export * from './ledger.module';
