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
 * Writes balanced journal entries inside the caller's transaction, one statement each. Account
 * balances are updated in code order so concurrent entries touching the same accounts cannot
 * deadlock; a non-negative account that would go below zero fails the whole entry with
 * `insufficient_balance`.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  async post(manager: EntityManager, entry: JournalEntryInput): Promise<string> {
    assertBalanced(entry);
    // Two statements: create the accounts missing so far (at zero), then the entry, every balance and
    // the lines together. Accounts are touched in code order, so concurrent entries lock them in the
    // same order. (One upsert cannot do both: Postgres checks CHECK constraints on the row proposed for
    // insertion before it resolves the conflict, so a debit would trip the non-negative check.)
    const lines = [...entry.lines].sort((a, b) => a.account.code.localeCompare(b.account.code));
    const column = <T>(pick: (line: JournalLineInput) => T): T[] => lines.map(pick);
    const codes = column((line) => line.account.code);
    const amounts = column((line) => String(line.amountMinor));
    try {
      // creates what is missing, then locks the accounts that existed in code order (the sort runs
      // before the row locks), so the balance updates below never wait on each other in a cycle
      await manager.query(
        `WITH created AS (
           INSERT INTO ledger_accounts (code, type, holder_id, reference, currency, non_negative, balance_minor)
           SELECT code, type, holder_id, reference, currency, non_negative, 0
             FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::boolean[]) AS a(code, type, holder_id, reference, currency, non_negative)
           ON CONFLICT (code) DO NOTHING
           RETURNING code
         )
         SELECT code FROM ledger_accounts WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE`,
        [
          codes,
          column((line) => line.account.type),
          column((line) => line.account.holderId),
          column((line) => line.account.reference),
          column((line) => line.account.currency),
          column((line) => line.account.nonNegative),
        ],
      );
      const rows: { id: string }[] = await manager.query(
        `WITH entry AS (
           INSERT INTO journal_entries (kind, reference, description) VALUES ($1, $2, $3) RETURNING id
         ), balances AS (
           UPDATE ledger_accounts a SET balance_minor = a.balance_minor + line.amount
             FROM unnest($4::text[], $5::bigint[]) AS line(code, amount)
            WHERE a.code = line.code
           RETURNING a.code
         ), lines AS (
           INSERT INTO journal_lines (entry_id, account_code, currency, amount_minor)
           SELECT entry.id, line.code, right(line.code, 3), line.amount
             FROM entry, unnest($4::text[], $5::bigint[]) WITH ORDINALITY AS line(code, amount, n)
            ORDER BY line.n
         )
         SELECT id FROM entry`,
        [entry.kind, entry.reference, entry.description, codes, amounts],
      );
      return rows[0].id;
    } catch (error) {
      if (isCheckViolation(error, 'ledger_accounts_non_negative')) {
        const debited = lines.find((line) => line.amountMinor < 0 && line.account.nonNegative);
        throw new DomainError(ErrorCode.InsufficientBalance, undefined, { account: debited?.account.type, currency: debited?.account.currency });
      }
      throw error;
    }
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
