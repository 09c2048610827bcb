import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '#libs/common';
import { LedgerAccounts, LedgerService, auditLedger, type JournalEntryInput } from '#libs/ledger';
import { freshDatabase, secondWaitsForFirst, untilWaitingOnLock, type TestDatabase } from './support/database';

/** The ledger's one-statement entries against Postgres, with transactions interleaved by hand. */
describe('ledger entries under concurrency', () => {
  let database: TestDatabase;
  let db: DataSource;
  let ledger: LedgerService;

  beforeAll(async () => {
    database = await freshDatabase('placard_test_ledger', 6);
    db = database.db;
    ledger = new LedgerService(db);
  });
  afterEach(async () => {
    const report = await auditLedger(db.manager);
    expect(report.unbalancedEntries).toEqual([]);
    expect(report.projectionMismatches).toEqual([]);
    for (const total of report.totalsByCurrency) expect(total.sum).toBe(0);
  });
  afterAll(async () => database?.close());

  const topUpEntry = (advertiserId: string, amountMinor: number): JournalEntryInput => ({
    kind: 'top_up',
    reference: `test:${randomUUID()}`,
    description: 'test top-up',
    lines: [
      { account: LedgerAccounts.external('sandbox', 'USD'), amountMinor: -amountMinor },
      { account: LedgerAccounts.advertiserAvailable(advertiserId, 'USD'), amountMinor },
    ],
  });
  const begin = async (): Promise<QueryRunner> => {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  };
  const balance = (advertiserId: string) => ledger.balance(LedgerAccounts.advertiserAvailable(advertiserId, 'USD'));

  it('adds to an account that another transaction created after this statement began (no amount lost)', async () => {
    const advertiserId = randomUUID();
    await secondWaitsForFirst(
      db,
      (tx) => ledger.post(tx, topUpEntry(advertiserId, 700)), // creates the account, not committed yet
      (tx) => ledger.post(tx, topUpEntry(advertiserId, 300)), // its insert waits on the first's row
    );
    expect(await balance(advertiserId)).toBe(1000);
  });

  it('refuses a debit of a non-negative account that does not exist, also while another transaction is creating it', async () => {
    const advertiserId = randomUUID();
    const spend = (amountMinor: number): JournalEntryInput => ({
      kind: 'placement_reserve',
      reference: `test:${randomUUID()}`,
      description: 'test spend',
      lines: [
        { account: LedgerAccounts.advertiserAvailable(advertiserId, 'USD'), amountMinor: -amountMinor },
        { account: LedgerAccounts.escrow(advertiserId, randomUUID(), 'USD'), amountMinor },
      ],
    });
    await expect(ledger.post(db.manager, spend(100))).rejects.toBeInstanceOf(DomainError);

    const creating = await begin();
    try {
      await ledger.post(creating.manager, topUpEntry(advertiserId, 500));
      const refused = ledger.post(db.manager, spend(100)).catch((error: unknown) => error);
      await untilWaitingOnLock(db);
      await creating.commitTransaction();
      expect(await refused).toMatchObject({ code: 'insufficient_balance' });
    } finally {
      await creating.release();
    }
    await ledger.post(db.manager, spend(100)); // once the account is there, it is an ordinary debit
    expect(await balance(advertiserId)).toBe(400);
  });

  it('never takes a balance below zero under 40 concurrent debits, and never deadlocks', async () => {
    const advertiserId = randomUUID();
    await ledger.post(db.manager, topUpEntry(advertiserId, 1000));
    const fee = LedgerAccounts.platformFees('USD');
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction((manager) =>
          ledger.post(manager, {
            kind: 'test_spend',
            reference: `test:${randomUUID()}`,
            description: 'test spend',
            // three accounts in varying line order: locks are still taken in code order
            lines:
              i % 2 === 0
                ? [
                    { account: LedgerAccounts.advertiserAvailable(advertiserId, 'USD'), amountMinor: -100 },
                    { account: fee, amountMinor: 10 },
                    { account: LedgerAccounts.external('sandbox', 'USD'), amountMinor: 90 },
                  ]
                : [
                    { account: LedgerAccounts.external('sandbox', 'USD'), amountMinor: 90 },
                    { account: fee, amountMinor: 10 },
                    { account: LedgerAccounts.advertiserAvailable(advertiserId, 'USD'), amountMinor: -100 },
                  ],
          }),
        ),
      ),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.length - refused.length).toBe(10);
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'insufficient_balance' });
    expect(await balance(advertiserId)).toBe(0);
  });
});
