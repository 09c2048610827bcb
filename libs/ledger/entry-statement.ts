import { LedgerAccountRef } from './ledger-accounts';

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

/**
 * One journal entry as the CTEs of a statement, so that a caller can write it in the same
 * statement as the row it pays for. Accounts that exist are locked in code order (the sort runs
 * before the row locks, so concurrent entries never wait on each other in a cycle) and their
 * balances moved. Accounts that do not exist yet are created holding their line's amount; if
 * another transaction created one in the meantime, the insert adds the amount to that row instead
 * (ON CONFLICT DO UPDATE sees rows committed after the statement's snapshot), so every line is
 * applied or the statement fails. A non-negative account that would go below zero, or would be
 * created below zero (a debit of an account that never held anything), fails the statement on
 * `ledger_accounts_non_negative`; Postgres checks the proposed row before resolving a conflict, so
 * that holds for the race too. The constraint trigger on journal_lines checks at commit that the
 * entry balances. `select` yields `ledger_entry_id`. Parameters are numbered from `offset + 1`.
 */
export function entryStatement(entry: JournalEntryInput, offset: number): { ctes: string; select: string; params: unknown[] } {
  assertBalanced(entry);
  const lines = [...entry.lines].sort((a, b) => a.account.code.localeCompare(b.account.code));
  const column = <T>(pick: (line: JournalLineInput) => T): T[] => lines.map(pick);
  const $ = (n: number) => `$${offset + n}`;
  return {
    ctes: `ledger_line AS (
        SELECT * FROM unnest(${$(1)}::text[], ${$(2)}::text[], ${$(3)}::uuid[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::boolean[], ${$(7)}::bigint[])
          WITH ORDINALITY AS line(code, type, holder_id, reference, currency, non_negative, amount, n)
      ), ledger_locked AS (
        SELECT code FROM ledger_accounts WHERE code = ANY(${$(1)}::text[]) ORDER BY code FOR UPDATE
      ), ledger_updated AS (
        UPDATE ledger_accounts a SET balance_minor = a.balance_minor + line.amount
          FROM ledger_line line JOIN ledger_locked locked ON locked.code = line.code
         WHERE a.code = line.code
      ), ledger_created AS (
        INSERT INTO ledger_accounts (code, type, holder_id, reference, currency, non_negative, balance_minor)
        SELECT code, type, holder_id, reference, currency, non_negative, amount
          FROM ledger_line WHERE code NOT IN (SELECT code FROM ledger_locked)
        ON CONFLICT (code) DO UPDATE SET balance_minor = ledger_accounts.balance_minor + EXCLUDED.balance_minor
      ), ledger_entry AS (
        INSERT INTO journal_entries (kind, reference, description) VALUES (${$(8)}, ${$(9)}, ${$(10)}) RETURNING id
      ), ledger_lines AS (
        INSERT INTO journal_lines (entry_id, account_code, currency, amount_minor)
        SELECT ledger_entry.id, line.code, line.currency, line.amount FROM ledger_entry, ledger_line line ORDER BY line.n
      )`,
    select: `(SELECT id FROM ledger_entry) AS ledger_entry_id`,
    params: [
      column((line) => line.account.code),
      column((line) => line.account.type),
      column((line) => line.account.holderId),
      column((line) => line.account.reference),
      column((line) => line.account.currency),
      column((line) => line.account.nonNegative),
      column((line) => String(line.amountMinor)),
      entry.kind,
      entry.reference,
      entry.description,
    ],
  };
}

function assertBalanced(entry: JournalEntryInput): void {
  if (entry.lines.length < 2) throw new Error(`journal entry ${entry.reference} needs at least two lines`);
  if (new Set(entry.lines.map((line) => line.account.code)).size !== entry.lines.length) {
    throw new Error(`journal entry ${entry.reference} names an account twice`);
  }
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
