import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '#libs/common';
import { isCheckViolation, queryPrepared } from '#libs/database';
import { JournalEntryInput, entryStatement } from './entry-statement';
import { LedgerAccountRef } from './ledger-accounts';
import { LedgerAccountType } from './ledger.entities';

export interface BalanceRow {
  currency: string;
  type: LedgerAccountType;
  balanceMinor: number;
}

/** Runs a statement that writes an entry, turning the non-negative check into `insufficient_balance`. */
export async function runEntry<T>(entry: JournalEntryInput, statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (isCheckViolation(error, 'ledger_accounts_non_negative')) {
      const debited = entry.lines.find((line) => line.amountMinor < 0 && line.account.nonNegative);
      throw new DomainError(ErrorCode.InsufficientBalance, undefined, { account: debited?.account.type, currency: debited?.account.currency });
    }
    throw error;
  }
}

/**
 * Writes balanced journal entries inside the caller's transaction, one statement each (see
 * `entryStatement`).
 */
@Injectable()
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  async post(manager: EntityManager, entry: JournalEntryInput): Promise<string> {
    const statement = entryStatement(entry, 0);
    const rows = await runEntry(entry, () =>
      queryPrepared<{ ledger_entry_id: string }>(manager, `WITH ${statement.ctes} SELECT ${statement.select}`, statement.params),
    );
    return rows[0].ledger_entry_id;
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
