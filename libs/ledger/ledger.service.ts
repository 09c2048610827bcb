import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '#libs/common';
import { isCheckViolation } from '#libs/database';
import { LedgerAccountRef } from './ledger-accounts';
import { LedgerAccountType } from './ledger.entities';

export interface JournalLineInput {
  account: LedgerAccountRef;
  amountMinor: number;
}

export interface JournalEntryInput {
  kind: string;
  /** unique: the same movement can never be written twice */
  reference: string;
  description: string;
  lines: JournalLineInput[];
}

export interface BalanceRow {
  currency: string;
  type: LedgerAccountType;
  balanceMinor: number;
}

/**
 * Writes balanced journal entries inside the caller's transaction. Account balances are updated in
 * code order so concurrent entries touching the same accounts cannot deadlock; a non-negative
 * account that would go below zero makes the whole entry fail with `insufficient_balance`.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  async post(manager: EntityManager, entry: JournalEntryInput): Promise<string> {
    assertBalanced(entry);
    const [{ id: entryId }] = await manager.query(
      `INSERT INTO journal_entries (kind, reference, description) VALUES ($1, $2, $3) RETURNING id`,
      [entry.kind, entry.reference, entry.description],
    );
    const lines = [...entry.lines].sort((a, b) => a.account.code.localeCompare(b.account.code));
    for (const line of lines) {
      const account = line.account;
      await manager.query(
        `INSERT INTO ledger_accounts (code, type, holder_id, reference, currency, non_negative, balance_minor)
         VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (code) DO NOTHING`,
        [account.code, account.type, account.holderId, account.reference, account.currency, account.nonNegative],
      );
      try {
        await manager.query(`UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE code = $2`, [
          String(line.amountMinor),
          account.code,
        ]);
      } catch (error) {
        if (isCheckViolation(error, 'ledger_accounts_non_negative')) {
          throw new DomainError(ErrorCode.InsufficientBalance, undefined, { account: account.type, currency: account.currency });
        }
        throw error;
      }
      await manager.query(`INSERT INTO journal_lines (entry_id, account_code, currency, amount_minor) VALUES ($1, $2, $3, $4)`, [
        entryId,
        account.code,
        account.currency,
        String(line.amountMinor),
      ]);
    }
    return entryId;
  }

  async balance(account: LedgerAccountRef, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query(`SELECT balance_minor FROM ledger_accounts WHERE code = $1`, [account.code]);
    return rows.length === 0 ? 0 : Number(rows[0].balance_minor);
  }

  /** Balances of one holder by account type and currency (escrow summed over placements). */
  async holderBalances(holderId: string, manager: EntityManager = this.dataSource.manager): Promise<BalanceRow[]> {
    const rows: { currency: string; type: LedgerAccountType; balance: string }[] = await manager.query(
      `SELECT currency, type, SUM(balance_minor) AS balance FROM ledger_accounts WHERE holder_id = $1 GROUP BY currency, type ORDER BY currency, type`,
      [holderId],
    );
    return rows.map((row) => ({ currency: row.currency, type: row.type, balanceMinor: Number(row.balance) }));
  }
}

function assertBalanced(entry: JournalEntryInput): void {
  if (entry.lines.length < 2) throw new Error(`journal entry ${entry.reference} needs at least two lines`);
  const sums = new Map<string, number>();
  for (const line of entry.lines) {
    if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor === 0) {
      throw new Error(`journal entry ${entry.reference} has a non-integer or zero line`);
    }
    if (line.account.currency !== line.account.code.slice(-3)) throw new Error('account currency mismatch');
    sums.set(line.account.currency, (sums.get(line.account.currency) ?? 0) + line.amountMinor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new Error(`journal entry ${entry.reference} is unbalanced in ${currency} by ${sum}`);
  }
}
